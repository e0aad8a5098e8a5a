import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatGoDuration } from "./http-sim.js";
import { startDemoStack, type DemoStack } from "./stack.js";
import { captureError, errorCode, findService, timeCall } from "./test-support.js";
import { DEMO_SERVICE_IDS, type DemoServiceId } from "./types.js";

// The gateway speaks only mTLS, which fetch cannot: gateway-sim.test.ts walks it with Preflight's own probe.
type HttpServiceId = Exclude<DemoServiceId, "postgres" | "redis" | "gateway">;
type Check = (status: number, body: string) => void;
type HealthProtocol = { path: string; healthy: Check; failing: Check };

const json = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;

const PROTOCOLS: Record<HttpServiceId, HealthProtocol> = {
  api: {
    path: "/health",
    healthy: (status, body) => {
      expect(status).toBe(200);
      expect(json(body)).toMatchObject({
        status: "healthy",
        version: expect.any(String),
        uptime_seconds: expect.any(Number),
      });
    },
    failing: (status, body) => {
      expect(status).toBe(503);
      expect(json(body)).toMatchObject({ status: "unhealthy" });
    },
  },
  prometheus: {
    path: "/-/healthy",
    healthy: (status, body) => {
      expect(status).toBe(200);
      expect(body.trim()).toBe("Prometheus Server is Healthy.");
    },
    failing: (status, body) => {
      expect(status).toBe(503);
      expect(body).toBe("Service Unavailable");
    },
  },
  grafana: {
    path: "/api/health",
    healthy: (status, body) => {
      expect(status).toBe(200);
      expect(json(body)).toEqual({ commit: expect.any(String), database: "ok", version: "11.3.0" });
    },
    failing: (status, body) => {
      expect(status).toBe(503);
      expect(json(body)).toMatchObject({ database: "failing" });
    },
  },
  alertmanager: {
    path: "/-/healthy",
    healthy: (status, body) => {
      expect(status).toBe(200);
      expect(body).toBe("OK");
    },
    failing: (status) => expect(status).toBe(503),
  },
  jaeger: {
    path: "/",
    healthy: (status, body) => {
      expect(status).toBe(200);
      const parsed = json(body);
      expect(parsed).toMatchObject({ status: "Server available", uptime: expect.stringMatching(/^[\d.hms]+$/) });
      expect(Number.isNaN(Date.parse(String(parsed.upSince)))).toBe(false);
    },
    failing: (status, body) => {
      expect(status).toBe(503);
      expect(json(body)).toMatchObject({ status: "Server not available" });
    },
  },
};

describe("demo stack HTTP services", () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startDemoStack({ basePort: 0 });
  });
  afterAll(async () => {
    await stack.stop();
  });

  const probe = async (id: HttpServiceId): Promise<{ status: number; body: string }> => {
    const res = await fetch(`${findService(stack, id).url}${PROTOCOLS[id].path}`);
    return { status: res.status, body: await res.text() };
  };

  it("reports all eight services on real, distinct ports", () => {
    expect(stack.services.map((s) => s.id)).toEqual([...DEMO_SERVICE_IDS]);
    expect(stack.services).toHaveLength(8);
    expect(findService(stack, "gateway").url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ports = stack.services.map((s) => s.port);
    expect(ports.every((port) => port > 0)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
    expect(Object.values(stack.getModes()).every((m) => m.mode === "healthy")).toBe(true);
  });

  // Runs the services concurrently so the slow-mode waits overlap instead of adding up.
  it.concurrent.each(Object.keys(PROTOCOLS) as HttpServiceId[])(
    "%s walks healthy → failing → slow → down → healthy",
    async (id) => {
      try {
        await walkModes(id);
      } finally {
        await stack.setMode(id, "healthy");
      }
    },
  );

  const walkModes = async (id: HttpServiceId): Promise<void> => {
    const protocol = PROTOCOLS[id];
    const healthy = await probe(id);
    protocol.healthy(healthy.status, healthy.body);

    await stack.setMode(id, "failing");
    const failing = await probe(id);
    protocol.failing(failing.status, failing.body);

    await stack.setMode(id, "slow", { delayMs: 300 });
    expect(stack.getModes()[id]).toMatchObject({ mode: "slow", delayMs: 300 });
    const slow = await timeCall(() => probe(id));
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(290);
    protocol.healthy(slow.result.status, slow.result.body);

    await stack.setMode(id, "down");
    expect(errorCode(await captureError(() => probe(id)))).toBe("ECONNREFUSED");

    // Same URL as before the outage: recovery must come back on the same port.
    await stack.setMode(id, "healthy");
    const recovered = await probe(id);
    protocol.healthy(recovered.status, recovered.body);
  };

  it("serves the API's metrics and root endpoints", async () => {
    const { url } = findService(stack, "api");
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(text).toMatch(/^# TYPE http_requests_total counter$/m);
    expect(text).toMatch(/^http_requests_total\{handler="\/health",method="GET",status="2xx"\} \d+$/m);
    const root = await fetch(`${url}/api/v1/`);
    expect(root.status).toBe(200);
    expect(await root.json()).toMatchObject({ service: "x0tta6bl4", api_version: "v1" });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });

  it("serves Alertmanager's status, and TargetDown alerts for broken peers", async () => {
    const { url } = findService(stack, "alertmanager");
    expect(await (await fetch(`${url}/api/v2/status`)).json()).toMatchObject({
      versionInfo: { version: expect.any(String) },
    });
    await stack.setMode("grafana", "failing");
    try {
      const alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as { labels: { job: string } }[];
      expect(alerts.map((alert) => alert.labels.job)).toEqual(["grafana"]);
    } finally {
      await stack.setMode("grafana", "healthy");
    }
  });
});

describe("startDemoStack options", () => {
  it("fails clearly, and leaves nothing listening, when a port is taken", async () => {
    const first = await startDemoStack({ basePort: 0 });
    try {
      const taken = findService(first, "grafana").port;
      const err = await captureError(() => startDemoStack({ basePort: 0, ports: { grafana: taken } }));
      expect(String(err)).toMatch(/grafana could not listen/);
    } finally {
      await first.stop();
    }
  });
});

describe("formatGoDuration", () => {
  it("prints like Go's time.Duration", () => {
    expect(formatGoDuration(0)).toBe("0s");
    expect(formatGoDuration(250)).toBe("250ms");
    expect(formatGoDuration(1500)).toBe("1.5s");
    expect(formatGoDuration(3_723_004)).toBe("1h2m3.004s");
  });
});
