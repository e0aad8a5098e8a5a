import { describe, expect, it } from "vitest";
import { checkPromqlSyntax, evaluatePromql, normalizePromql, PROMETHEUS_CANNED_QUERIES } from "./prometheus-queries.js";
import type { QueryContext } from "./prometheus-series.js";
import { DEMO_SERVICE_IDS, type DemoMode, type DemoServiceId } from "./types.js";

const contextWith = (modes: Partial<Record<DemoServiceId, DemoMode>> = {}, delayMs = 0): QueryContext => ({
  timeSeconds: 1_700_000_000,
  peers: DEMO_SERVICE_IDS.map((id, i) => {
    const mode = modes[id] ?? "healthy";
    return {
      id,
      host: "127.0.0.1",
      port: 20000 + i,
      state: { mode, delayMs: mode === "slow" ? delayMs : 0, since: new Date(0) },
    };
  }),
});

const values = (query: string, ctx: QueryContext): number[] => {
  const result = evaluatePromql(query, ctx);
  if (result.kind !== "vector") throw new Error(`expected a vector for ${query}, got ${result.kind}`);
  return result.samples.map((s) => s.value);
};

describe("canned PromQL", () => {
  it.each(PROMETHEUS_CANNED_QUERIES.map((q) => [q.id, q.example] as const))(
    "%s: its example matches and has data",
    (id, example) => {
      const matched = PROMETHEUS_CANNED_QUERIES.find((q) => q.pattern.test(normalizePromql(example)));
      expect(matched?.id).toBe(id);
      expect(values(example, contextWith()).length).toBeGreaterThan(0);
    },
  );

  it("treats `sum by (x) (…)` and `sum(…) by (x)` alike", () => {
    const ctx = contextWith();
    expect(values("sum by (container) (container_memory_working_set_bytes)", ctx)).toEqual(
      values("sum(container_memory_working_set_bytes) by (container)", ctx),
    );
  });

  it("tells the outage story: API failing raises errors, slow raises latency, down empties the series", () => {
    const errorRatio = 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
    const p99 = "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))";
    expect(values(errorRatio, contextWith())[0]).toBeLessThan(0.01);
    expect(values(errorRatio, contextWith({ api: "failing" }))[0]).toBeGreaterThan(0.5);
    expect(values(p99, contextWith({ api: "slow" }, 1500))[0]).toBeGreaterThan(1.5);
    expect(values(p99, contextWith({ api: "down" }))).toEqual([]);
    expect(
      values("sum(container_memory_working_set_bytes) by (container)", contextWith({ redis: "down" })),
    ).toHaveLength(7);
  });

  it("answers `or vector(0)` where Prometheus would: on the 5xx sum only while there is traffic, on the whole always", () => {
    const bare = 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
    const onFailures =
      '(sum(rate(http_requests_total{status=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total[5m]))';
    const onWhole = `${bare} or vector(0)`;
    const healthy = values(bare, contextWith());
    expect(values(onFailures, contextWith())).toEqual(healthy);
    expect(values(onWhole, contextWith())).toEqual(healthy);
    // API down: no series at all. A ratio over no requests is unknown unless the whole expression defaults to 0.
    expect(values(bare, contextWith({ api: "down" }))).toEqual([]);
    expect(values(onFailures, contextWith({ api: "down" }))).toEqual([]);
    expect(values(onWhole, contextWith({ api: "down" }))).toEqual([0]);
    expect(
      values('sum(rate(http_requests_total{status=~"5.."}[5m])) or vector(0)', contextWith({ api: "down" })),
    ).toEqual([0]);
  });

  it("counts up targets, treating a slow-but-answering target as up", () => {
    // Eight targets: two not up, and the slow one answering within the scrape timeout counts as up.
    expect(values("sum(up)", contextWith({ redis: "down", api: "failing", jaeger: "slow" }, 1500))).toEqual([6]);
    expect(values("sum(up)", contextWith({ jaeger: "slow" }, 15_000))).toEqual([7]);
  });

  it("selects bare series with label matchers", () => {
    const ctx = contextWith({ redis: "down" });
    expect(values('up{job=~"redis|api"}', ctx).sort()).toEqual([0, 1]);
    expect(values('up{job!="redis"}', ctx)).toHaveLength(7);
    expect(values('kube_pod_container_resource_limits{resource="cpu",container="api"}', ctx)).toEqual([1]);
  });

  it("answers a numeric literal as a scalar", () => {
    expect(evaluatePromql("1", contextWith())).toEqual({ kind: "scalar", value: 1 });
  });

  it("returns an empty vector for well-formed unknown queries", () => {
    expect(evaluatePromql("rate(nginx_requests_total[1m])", contextWith())).toEqual({ kind: "vector", samples: [] });
  });
});

describe("checkPromqlSyntax", () => {
  it.each([
    ["", "no expression found in input"],
    ["sum(up", "unclosed left parenthesis"],
    ["rate(up[5m)", 'unexpected ")"'],
    ['up{job="a"', "unexpected end of input inside braces"],
    ['up{job="a}', "unterminated quoted string"],
    ["up +", "unexpected end of input"],
    ["up # comment?", "unexpected character"],
    ["!!up", "unexpected character: '!'"],
  ])("rejects %j", (query, message) => {
    expect(checkPromqlSyntax(query)).toContain(message);
  });

  it("accepts ordinary expressions", () => {
    expect(checkPromqlSyntax('sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) > 0.1')).toBeNull();
  });
});
