import { expect, test } from "@playwright/test";
import { AUTH } from "./support/token";

// The machine-facing interfaces, against the production server.

test("probe now runs a check at once and returns its outcome; unknown ids are 404, repeats 429", async ({
  request,
}) => {
  const first = await request.post("/api/v1/components/cache/probe");
  expect(first.status()).toBe(200);
  expect(await first.json()).toMatchObject({ component: "cache", ok: true, detail: expect.stringMatching(/^PONG/) });
  expect((await request.post("/api/v1/components/cache/probe")).status()).toBe(429);
  const missing = await request.post("/api/v1/components/nope/probe");
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toEqual({ error: 'no component with id "nope"' });
});

test("/metrics exposes every component's state in Prometheus format", async ({ request }) => {
  await expect
    .poll(
      async () =>
        (await (await request.get("/metrics")).text()).match(/^preflight_component_up\{component="[a-z]+"\} 1$/gm)
          ?.length ?? 0,
      {
        timeout: 30_000,
      },
    )
    .toBe(8);
  const text = await (await request.get("/metrics")).text();
  expect(text).toContain('preflight_component_status{component="api",status="up"} 1');
  expect(text).toMatch(/# TYPE preflight_probe_duration_seconds histogram/);
  expect(text).toMatch(/^preflight_results_dropped 0$/m);
  // The readiness score of the latest snapshot (the worker stores the first within seconds of starting).
  await expect
    .poll(
      async () =>
        /^preflight_readiness_score_percent (\d+(\.\d+)?)$/m.test(await (await request.get("/metrics")).text()),
      { timeout: 30_000 },
    )
    .toBe(true);
  expect(await (await request.get("/metrics")).text()).toMatch(/^preflight_readiness_blockers \d+$/m);
});

test("the readiness API carries uptime windows and 24 h latency percentiles", async ({ request }) => {
  type TBody = {
    components: {
      id: string;
      observedStatus: string;
      uptimePct: Record<string, number | null>;
      latency24h: { count: number };
    }[];
  };
  const read = async () => (await (await request.get("/api/v1/readiness", { headers: AUTH })).json()) as TBody;
  // The demo services are shared by every e2e server: a spec of another project may have just restored one, and
  // this server sees it up at its next probe (5 s).
  await expect
    .poll(async () => (await read()).components.find((c) => c.id === "api")?.observedStatus, {
      timeout: 20_000,
      intervals: [1_000],
    })
    .toBe("up");
  const body = await read();
  const api = body.components.find((c) => c.id === "api");
  expect(api?.observedStatus).toBe("up");
  expect(Object.keys(api?.uptimePct ?? {})).toEqual(["24h", "7d", "30d", "90d"]);
  expect(api?.uptimePct["24h"]).toBeGreaterThan(0);
});
