import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlServer, type ControlServer } from "./control-server.js";
import { startDemoStack, type DemoStack } from "./stack.js";
import { captureError, errorCode, findService } from "./test-support.js";

type ServiceView = { id: string; port: number; url: string; mode: string; delayMs: number };

describe("demo control server", () => {
  let stack: DemoStack;
  let control: ControlServer;
  beforeAll(async () => {
    stack = await startDemoStack({ basePort: 0 });
    control = await startControlServer({ stack, port: 0 });
  });
  afterAll(async () => {
    await control.stop();
    await stack.stop();
  });

  const postMode = (id: string, body: unknown, raw?: string): Promise<Response> =>
    fetch(`${control.url}/services/${id}/mode`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: raw ?? JSON.stringify(body),
    });

  it("lists every service with its port, url and mode", async () => {
    const res = await fetch(`${control.url}/services`);
    expect(res.status).toBe(200);
    const services = (await res.json()) as ServiceView[];
    expect(services).toHaveLength(8);
    expect(services.find((s) => s.id === "redis")).toMatchObject({
      port: findService(stack, "redis").port,
      url: expect.stringMatching(/^redis:\/\/127\.0\.0\.1:\d+$/),
      mode: "healthy",
      delayMs: 0,
    });
  });

  it("switches a service down and back, which a real client sees", async () => {
    const jaeger = findService(stack, "jaeger").url;
    const down = await postMode("jaeger", { mode: "down" });
    expect(down.status).toBe(200);
    expect(await down.json()).toMatchObject({ id: "jaeger", mode: "down" });
    expect(errorCode(await captureError(() => fetch(jaeger)))).toBe("ECONNREFUSED");

    const healthy = await postMode("jaeger", { mode: "healthy" });
    expect(await healthy.json()).toMatchObject({ mode: "healthy" });
    expect((await fetch(jaeger)).status).toBe(200);
  });

  it("sets slow with a delay and reports it", async () => {
    const res = await postMode("api", { mode: "slow", delayMs: 2500 });
    expect(await res.json()).toMatchObject({ id: "api", mode: "slow", delayMs: 2500 });
    expect(stack.getModes().api).toMatchObject({ mode: "slow", delayMs: 2500 });
    await postMode("api", { mode: "slow" });
    expect(stack.getModes().api.delayMs).toBe(1500);
    await postMode("api", { mode: "healthy" });
  });

  it.each([
    [{ mode: "broken" }, "mode"],
    [{}, "mode"],
    [{ mode: "slow", delayMs: -5 }, "delayMs"],
    [{ mode: "slow", delayMs: "fast" }, "delayMs"],
    [{ mode: "down", delayMs: 100 }, "delayMs"],
    [{ mode: "down", extra: true }, "extra"],
  ])("rejects %j with 400 naming %s", async (body, field) => {
    const res = await postMode("grafana", body);
    expect(res.status).toBe(400);
    const payload = (await res.json()) as { error: string };
    expect(payload.error).toContain(field);
    expect(stack.getModes().grafana.mode).toBe("healthy");
  });

  it("rejects a body that is not JSON", async () => {
    const res = await postMode("grafana", undefined, "{mode: down");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^body:/);
  });

  it("answers 404 for an unknown service or route, 405 for a wrong method", async () => {
    const unknown = await postMode("mysql", { mode: "down" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain("mysql");
    expect((await fetch(`${control.url}/nope`)).status).toBe(404);
    const wrongMethod = await fetch(`${control.url}/services/redis/mode`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
  });
});
