import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "./stack.js";
import { findService } from "./test-support.js";

type VectorSample = { metric: Record<string, string>; value: [number, string] };
type QueryBody = { status: string; data?: { resultType: string; result: unknown }; errorType?: string; error?: string };

describe("Prometheus simulator API", () => {
  let stack: DemoStack;
  let base: string;
  beforeAll(async () => {
    stack = await startDemoStack({ basePort: 0 });
    base = findService(stack, "prometheus").url;
  });
  afterAll(async () => {
    await stack.stop();
  });

  const query = async (expression: string): Promise<{ status: number; body: QueryBody }> => {
    const res = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expression })}`);
    return { status: res.status, body: (await res.json()) as QueryBody };
  };
  const vector = (body: QueryBody): VectorSample[] => (body.data?.result ?? []) as VectorSample[];

  it("answers /-/ready", async () => {
    const res = await fetch(`${base}/-/ready`);
    expect(res.status).toBe(200);
    expect((await res.text()).trim()).toBe("Prometheus Server is Ready.");
  });

  it("answers `up` with one sample per job that follows the other simulators' modes", async () => {
    const before = await query("up");
    expect(before.status).toBe(200);
    expect(before.body.data?.resultType).toBe("vector");
    const samples = vector(before.body);
    expect(samples.map((s) => s.metric.job).sort()).toEqual(stack.services.map((s) => s.id).sort());
    for (const sample of samples) {
      expect(sample.metric.__name__).toBe("up");
      expect(sample.value[1]).toBe("1");
      expect(sample.value[0]).toBeCloseTo(Date.now() / 1000, -1);
    }

    await stack.setMode("redis", "down");
    await stack.setMode("grafana", "failing");
    try {
      const after = vector((await query("up")).body);
      const byJob = Object.fromEntries(after.map((s) => [s.metric.job, s.value[1]]));
      expect(byJob).toMatchObject({ redis: "0", grafana: "0", api: "1", postgres: "1" });
      const single = vector((await query('up{job="redis"}')).body);
      expect(single).toHaveLength(1);
      expect(single[0]?.value[1]).toBe("0");
    } finally {
      await stack.setMode("redis", "healthy");
      await stack.setMode("grafana", "healthy");
    }
  });

  it("accepts form-encoded POST queries", async () => {
    const res = await fetch(`${base}/api/v1/query`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ query: "sum(rate(http_requests_total[5m]))", time: "1700000000.5" }),
    });
    const body = (await res.json()) as QueryBody;
    expect(res.status).toBe(200);
    const [sample] = vector(body);
    expect(sample?.value[0]).toBe(1700000000.5);
    expect(Number(sample?.value[1])).toBeGreaterThan(0);
  });

  it("answers canned latency, error-rate and container queries with plausible numbers", async () => {
    const p95 = vector(
      (await query("histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))")).body,
    );
    expect(Number(p95[0]?.value[1])).toBeGreaterThan(0);
    expect(Number(p95[0]?.value[1])).toBeLessThan(1);

    const errors = vector(
      (await query('sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))')).body,
    );
    expect(Number(errors[0]?.value[1])).toBeLessThan(0.05);

    const memory = vector(
      (
        await query(
          "sum(container_memory_working_set_bytes) by (container) / sum(container_spec_memory_limit_bytes) by (container)",
        )
      ).body,
    );
    expect(memory).toHaveLength(8);
    expect(memory.every((s) => Number(s.value[1]) > 0 && Number(s.value[1]) < 1)).toBe(true);
  });

  it("returns an empty vector for a metric it does not have", async () => {
    const res = await query("some_metric_nobody_exports_total");
    expect(res).toEqual({ status: 200, body: { status: "success", data: { resultType: "vector", result: [] } } });
  });

  it.each(["", "   ", "sum(rate(up[5m])", 'up{job="api"'])(
    "rejects malformed query %j with bad_data",
    async (expression) => {
      const res = await query(expression);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        status: "error",
        errorType: "bad_data",
        error: expect.stringContaining("parse error"),
      });
    },
  );

  it("rejects a missing query parameter like an empty one", async () => {
    const res = await fetch(`${base}/api/v1/query`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errorType: "bad_data" });
  });

  it("lists targets with health and the last scrape error", async () => {
    await stack.setMode("postgres", "down");
    try {
      const res = await fetch(`${base}/api/v1/targets`);
      const body = (await res.json()) as {
        data: {
          activeTargets: {
            labels: { job: string };
            health: string;
            lastError: string;
            lastScrape: string;
            scrapeUrl: string;
          }[];
        };
      };
      const targets = body.data.activeTargets;
      expect(targets).toHaveLength(8);
      const postgres = targets.find((t) => t.labels.job === "postgres");
      expect(postgres).toMatchObject({ health: "down", lastError: expect.stringContaining("connection refused") });
      const api = targets.find((t) => t.labels.job === "api");
      expect(api).toMatchObject({ health: "up", lastError: "" });
      expect(Number.isNaN(Date.parse(api?.lastScrape ?? ""))).toBe(false);
      // The mesh gateway only speaks TLS, so Prometheus scrapes it over https.
      expect(targets.find((t) => t.labels.job === "gateway")).toMatchObject({
        health: "up",
        scrapeUrl: expect.stringMatching(/^https:\/\//),
      });
    } finally {
      await stack.setMode("postgres", "healthy");
    }
  });

  it("answers everything with 503 while failing", async () => {
    await stack.setMode("prometheus", "failing");
    try {
      const res = await fetch(`${base}/api/v1/query?query=up`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe("Service Unavailable");
    } finally {
      await stack.setMode("prometheus", "healthy");
    }
  });
});
