import { execFileSync } from "node:child_process";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ProbeOutcome } from "./probes/types";
import { closeRedis, COMMAND_TIMEOUT_MS, getRedisConnections, type TRedisConnections } from "./redis";
import { startPrivateRedis, type PrivateRedis } from "./testing/private-redis";
import { requestProbeNow, serveProbeNow } from "./worker/probe-now";
import type { RunningWorker } from "./worker/run";

// The process's Redis connections against a Redis server of this test's own, killed, paused and restarted under
// them: what the log says (one line when it goes, one when it is back), how fast commands fail meanwhile, and
// that subscriptions come back by themselves.

type TLine = { level: number; msg: string; component?: string; err?: string; downMs?: number };
const lines: TLine[] = [];
const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as TLine) });
const redisLines = () =>
  lines.filter((line) => line.component === "redis").map((line) => ({ level: line.level, msg: line.msg }));

let server: PrivateRedis;
let redis: TRedisConnections;
const consoleErrors = vi.spyOn(console, "error");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(25);
  }
}
const elapsed = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work().catch(() => undefined);
  return performance.now() - started;
};

beforeAll(async () => {
  (globalThis as { preflightLogger?: pino.Logger }).preflightLogger = logger;
  server = await startPrivateRedis();
  redis = getRedisConnections(server.url) as TRedisConnections;
  await until("connected", () => redis.health().state === "up");
});
afterEach(() => {
  // ioredis prints "[ioredis] Unhandled error event" for a client without an error listener.
  expect(consoleErrors.mock.calls.map((call) => String(call[0]))).not.toContainEqual(
    expect.stringContaining("ioredis"),
  );
});
afterAll(async () => {
  await closeRedis();
  await server.destroy();
  delete (globalThis as { preflightLogger?: pino.Logger }).preflightLogger;
  consoleErrors.mockRestore();
});

describe("Preflight's Redis connections", () => {
  it("is one per process and URL", () => {
    expect(getRedisConnections(server.url)).toBe(redis);
  });

  it("logs one warn line when Redis dies and one info line when it is back, fails fast meanwhile, and resubscribes", async () => {
    const heard: string[] = [];
    const subscription = redis.subscriber.subscribe("pf-test:outage", (message) => heard.push(message));
    expect(await subscription.ready).toBe(true);
    await redis.commands.publish("pf-test:outage", "before");
    await until("heard before", () => heard.includes("before"), 2_000);
    lines.length = 0;

    await server.kill();
    await until("down", () => redis.health().state === "down", 3_000);
    // No offline queue: a command fails at once, not after retries (the 10.6 s MaxRetriesPerRequestError).
    expect(await elapsed(() => redis.commands.incr("pf-test:n"))).toBeLessThan(100);
    await expect(redis.commands.get("pf-test:n")).rejects.toThrow();
    // Several reconnection attempts fail meanwhile (ioredis emits "error" on each): still one line.
    await sleep(2_500);
    const later = redis.subscriber.subscribe("pf-test:later", (message) => heard.push(message));
    expect(await later.ready).toBe(false);

    await server.start();
    await until("up", () => redis.health().state === "up", 10_000);
    const [down, back, ...more] = redisLines();
    expect(more).toEqual([]);
    expect(down).toMatchObject({
      level: 40,
      msg: expect.stringMatching(
        /^Redis unreachable since \d{4}-\d\d-\d\dT[\d:.]+Z: falling back to PostgreSQL for the sign-in throttle and to polling for live pages$/,
      ),
    });
    expect(back).toMatchObject({ level: 30, msg: expect.stringMatching(/^Redis back after \d+ s$/) });
    expect(lines.find((line) => line.msg === back?.msg)?.downMs).toBeGreaterThanOrEqual(2_500);

    // Subscribed again by itself, before it said "up".
    await redis.commands.publish("pf-test:outage", "after");
    // A channel first asked for during the outage is subscribed too.
    await redis.commands.publish("pf-test:later", "later");
    await until("heard after", () => heard.includes("after") && heard.includes("later"), 2_000);
    subscription.unsubscribe();
    later.unsubscribe();
    await redis.commands.publish("pf-test:outage", "unsubscribed");
    await sleep(200);
    expect(heard.filter((message) => message !== "later")).toEqual(["before", "after"]);
  }, 30_000);

  it("bounds a command when Redis hangs, and notices the hang by itself", async () => {
    lines.length = 0;
    server.pause();
    try {
      const took = await elapsed(() => redis.commands.get("pf-test:n"));
      expect(took).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 50);
      expect(took).toBeLessThan(COMMAND_TIMEOUT_MS + 300);
      // The heartbeat's PING gets no answer within the socket timeout: the connection is dropped, so "down".
      await until("down while paused", () => redis.health().state === "down", 8_000);
    } finally {
      server.resume();
    }
    await until("up after resume", () => redis.health().state === "up", 10_000);
    expect(redisLines().map((line) => line.level)).toEqual([40, 30]);
  }, 30_000);

  it("answers probe-now requests over the two shared connections: no connection per request", async () => {
    const outcome: ProbeOutcome = { ok: true, latencyMs: 3, detail: "PONG", error: null, values: {} } as ProbeOutcome;
    const worker = {
      claim: async () => true,
      scheduler: { probeNow: async () => outcome },
    } as unknown as RunningWorker;
    const stop = serveProbeNow(worker, server.url, "pf-test:probe-now", logger);
    const clients = () =>
      execFileSync("redis-cli", ["-p", String(server.port), "CLIENT", "LIST"], { encoding: "utf8" })
        .split("\n")
        .filter((line) => / name=preflight/.test(line));
    const ask = () =>
      requestProbeNow({
        componentId: "api",
        localWorker: null,
        redisUrl: server.url,
        namespace: "pf-test:probe-now",
        timeoutMs: 2_000,
      });
    try {
      expect(await ask()).toMatchObject({ ok: true, detail: "PONG" });
      // (Connections the paused server accepted late are gone by now.)
      await until("only this process's two connections", () => clients().length === 2, 5_000);
      const before = clients();
      expect(before.map((line) => / name=(\S+)/.exec(line)?.[1]).sort()).toEqual(["preflight", "preflight-subscriber"]);
      // Concurrent requests are told apart by their ids.
      const outcomes = await Promise.all(Array.from({ length: 8 }, ask));
      expect(outcomes.every((o) => o.detail === "PONG")).toBe(true);
      for (let i = 0; i < 5; i++) await ask();
      expect(clients()).toHaveLength(before.length);
    } finally {
      await stop();
    }
  }, 30_000);
});
