import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TPrometheusProbe } from "../config/probe-schema";
import { startDemoStack, type DemoStack } from "../demo/stack";
import type { DemoServiceId } from "../demo/types";
import { runPrometheusProbe } from "./prometheus";
import { runProbe } from "./run";

// Prometheus probes and the service presets against the demo stack's simulators, which answer each service's
// own health protocol, healthy and failing.

let stack: DemoStack;
const urlOf = (id: DemoServiceId): string => {
  const service = stack.services.find((s) => s.id === id);
  if (!service) throw new Error(`no ${id} in the demo stack`);
  return service.url;
};

beforeAll(async () => {
  stack = await startDemoStack({ basePort: 0 });
});

afterEach(async () => {
  for (const id of ["api", "prometheus", "grafana", "alertmanager", "jaeger"] as const)
    await stack.setMode(id, "healthy");
});

afterAll(async () => {
  await stack.stop();
});

const prometheus = (extra: Partial<TPrometheusProbe> = {}): TPrometheusProbe => ({
  type: "prometheus",
  url: urlOf("prometheus"),
  headers: {},
  ...extra,
});

describe("Prometheus probe: check healthy", () => {
  it("passes on /-/healthy", async () => {
    expect(await runPrometheusProbe(prometheus(), 2_000)).toMatchObject({ ok: true, detail: "HTTP 200", error: null });
  });

  it("fails while Prometheus is not ready", async () => {
    await stack.setMode("prometheus", "failing");
    expect(await runPrometheusProbe(prometheus(), 2_000)).toMatchObject({
      ok: false,
      detail: "HTTP 503",
      error: "[STATUS] == 200 (got 503)",
    });
  });
});

describe("Prometheus probe: target", () => {
  it("reads a target's health", async () => {
    const outcome = await runPrometheusProbe(prometheus({ target: { job: "api" } }), 2_000);
    expect(outcome).toMatchObject({ ok: true, detail: "up (job=api)", error: null, values: { TARGET_HEALTH: "up" } });
  });

  it("fails a target that is down, with its last scrape error", async () => {
    await stack.setMode("api", "down");
    const outcome = await runPrometheusProbe(prometheus({ target: { job: "api" } }), 2_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toBe("down (job=api)");
    expect(outcome.error).toMatch(
      /^last scrape error: Get "http:\/\/127\.0\.0\.1:\d+\/metrics": dial tcp .*connection refused; \[TARGET_HEALTH\] == up \(got "down"\)$/,
    );
  });

  it("matches the instance too", async () => {
    const api = new URL(urlOf("api")).host;
    expect((await runPrometheusProbe(prometheus({ target: { job: "api", instance: api } }), 2_000)).ok).toBe(true);
    const none = await runPrometheusProbe(prometheus({ target: { job: "api", instance: "10.0.0.1:80" } }), 2_000);
    expect(none).toMatchObject({ ok: false, error: "no active target with job=api, instance=10.0.0.1:80" });
  });

  it("fails when no active target has the job", async () => {
    const outcome = await runPrometheusProbe(
      prometheus({ target: { job: "nope" }, conditions: ["[TARGET_HEALTH] == up"] }),
      2_000,
    );
    expect(outcome).toMatchObject({ ok: false, detail: "no target", error: "no active target with job=nope" });
  });
});

describe("Prometheus probe: query", () => {
  it("takes the first sample's value", async () => {
    const outcome = await runPrometheusProbe(prometheus({ query: "sum(up)", conditions: ["[VALUE] == 8"] }), 2_000);
    expect(outcome).toMatchObject({ ok: true, detail: "value 8", error: null, values: { VALUE: 8 } });
  });

  it("says how many samples there were when there are several", async () => {
    const outcome = await runPrometheusProbe(prometheus({ query: "up" }), 2_000);
    expect(outcome).toMatchObject({ ok: true, detail: "value 1 (first of 8 samples)" });
  });

  it("fails a condition on the value, after an outage shows in the metrics", async () => {
    await stack.setMode("api", "failing");
    const query = 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))';
    const outcome = await runPrometheusProbe(prometheus({ query, conditions: ["[VALUE] < 0.05"] }), 2_000);
    expect(outcome).toMatchObject({ ok: false, detail: "value 0.94", error: "[VALUE] < 0.05 (got 0.94)" });
  });

  it("takes a scalar", async () => {
    expect(await runPrometheusProbe(prometheus({ query: "42" }), 2_000)).toMatchObject({
      ok: true,
      detail: "value 42",
    });
  });

  it("fails a query that returns no samples", async () => {
    const outcome = await runPrometheusProbe(
      prometheus({ query: 'up{job="nope"}', conditions: ["[VALUE] == 1"] }),
      2_000,
    );
    expect(outcome).toMatchObject({ ok: false, detail: "no samples", error: "query returned no samples" });
  });

  it("fails a malformed query with Prometheus' own error", async () => {
    const outcome = await runPrometheusProbe(prometheus({ query: "sum(up" }), 2_000);
    expect(outcome).toMatchObject({
      ok: false,
      detail: "HTTP 400",
      error: 'Prometheus error: invalid parameter "query": 1:4: parse error: unclosed left parenthesis',
    });
  });

  it("fails on a reply that is not the Prometheus API", async () => {
    const outcome = await runPrometheusProbe({ ...prometheus({ query: "up" }), url: urlOf("grafana") }, 2_000);
    expect(outcome).toMatchObject({ ok: false, error: "HTTP 404, expected 200" });
  });
});

describe("presets", () => {
  it("grafana: 200 and database ok", async () => {
    expect(await runProbe({ type: "grafana", url: urlOf("grafana"), headers: {} }, 2_000)).toMatchObject({
      ok: true,
      detail: "HTTP 200",
      error: null,
    });
    await stack.setMode("grafana", "failing");
    expect(await runProbe({ type: "grafana", url: urlOf("grafana"), headers: {} }, 2_000)).toMatchObject({
      ok: false,
      detail: "HTTP 503",
      error: '[STATUS] == 200 (got 503); [BODY].database == ok (got "failing")',
    });
  });

  it("grafana: extra conditions add to the preset's", async () => {
    const outcome = await runProbe(
      { type: "grafana", url: `${urlOf("grafana")}/`, headers: {}, conditions: ["[BODY].version matches '^12\\.'"] },
      2_000,
    );
    expect(outcome).toMatchObject({ ok: false, error: `[BODY].version matches '^12\\.' (got "11.3.0")` });
  });

  it("alertmanager: 200 on /-/healthy", async () => {
    expect(await runProbe({ type: "alertmanager", url: urlOf("alertmanager"), headers: {} }, 2_000)).toMatchObject({
      ok: true,
      detail: "HTTP 200",
    });
    await stack.setMode("alertmanager", "failing");
    expect(await runProbe({ type: "alertmanager", url: urlOf("alertmanager"), headers: {} }, 2_000)).toMatchObject({
      ok: false,
      error: "[STATUS] == 200 (got 503)",
    });
  });

  it("jaeger: 200 and Server available on the admin port", async () => {
    const probe = { type: "jaeger" as const, url: "http://127.0.0.1:1", adminUrl: urlOf("jaeger"), headers: {} };
    expect(await runProbe(probe, 2_000)).toMatchObject({ ok: true, detail: "HTTP 200", error: null });
    await stack.setMode("jaeger", "failing");
    expect(await runProbe(probe, 2_000)).toMatchObject({
      ok: false,
      error: '[STATUS] == 200 (got 503); [BODY].status == "Server available" (got "Server not available")',
    });
  });

  it("a preset on a stopped service is connection refused", async () => {
    await stack.setMode("grafana", "down");
    expect(await runProbe({ type: "grafana", url: urlOf("grafana"), headers: {} }, 2_000)).toMatchObject({
      ok: false,
      error: "connection refused (ECONNREFUSED)",
    });
  });
});
