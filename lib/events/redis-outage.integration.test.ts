import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase } from "../testing/database";
import { startPrivateRedis } from "../testing/private-redis";

// GET /api/events through the route handler, with the event bus on a Redis server of this test's own that is
// killed and restarted mid-run: an open stream is told the bus is down and ends (the page falls back to polling),
// a new one gets the same answer while Redis is away, and streams are live again once it is back.

vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => undefined,
    delete: () => undefined,
  }),
}));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => undefined,
}));

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const savedEnv = { ...process.env };
const dataDir = mkdtempSync(join(tmpdir(), "pf-events-redis-"));
const database = await createTestDatabase("pf_events_redis");
const server = await startPrivateRedis();
(globalThis as { preflightLogger?: pino.Logger }).preflightLogger = pino({ level: "silent" });
Object.assign(process.env, {
  DATABASE_URL: database.url,
  PREFLIGHT_CONFIG: join(ROOT, "preflight.config.yaml"),
  PREFLIGHT_EMBEDDED_WORKER: "false",
  REDIS_URL: server.url,
  PREFLIGHT_AUTH_SECRET: randomBytes(30).toString("base64url"),
  PREFLIGHT_DATA_DIR: dataDir,
  PORT: "3998",
});
delete process.env.PREFLIGHT_PUBLIC_URL;

const { getPrisma } = await import("../db/client");
const { getAuth } = await import("../auth/auth");
const { getEventBus } = await import("./current");
const { closeRedis } = await import("../redis");
const { isWorkerReachable } = await import("../queries/live");
const { insertUser } = await import("../services/users/schema");
const { GET } = await import("../../app/api/events/route");

const PASSWORD = "correct horse battery staple";
let cookie = "";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(25);
  }
}

/** Opens the stream as a browser would; `closed` settles when the server ends it. */
async function follow() {
  const abort = new AbortController();
  const response = await GET(
    new Request("http://localhost:3998/api/events", { headers: { cookie }, signal: abort.signal }),
  );
  const reader = response.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder();
  let text = "";
  const closed = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return text;
      text += decoder.decode(chunk.value);
    }
  })();
  return { response, closed, text: () => text, leave: () => abort.abort() };
}
const publish = (storedAt: string) => getEventBus().publish({ type: "results", storedAt, components: [] });
const DEGRADED =
  /^retry: 5000\nevent: degraded\ndata: \{"reason":"bus-down","message":"live updates are paused: the event bus \(Redis\) is unreachable","at":"[^"]+","retryMs":5000\}\n\n$/;

beforeAll(async () => {
  await getPrisma().$transaction((tx) =>
    insertUser(tx, {
      email: "viewer@events.test",
      name: "Viewer",
      role: "viewer",
      password: PASSWORD,
      signOffRoles: [],
    }),
  );
  const response = await getAuth().api.signInEmail({
    body: { email: "viewer@events.test", password: PASSWORD },
    asResponse: true,
  });
  cookie =
    response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0] ?? "")
      .find((c) => c.startsWith("better-auth.session_token=")) ?? "";
  expect(cookie).not.toBe("");
  await until("bus up", () => getEventBus().state() === "up");
});
afterAll(async () => {
  await getEventBus().close();
  await closeRedis();
  await getPrisma().$disconnect();
  for (const key of [
    "preflightPrisma",
    "preflightAuth",
    "preflightEnv",
    "preflightConfig",
    "preflightBus",
    "preflightLogger",
    "preflightRedisConnections",
  ]) {
    delete (globalThis as Record<string, unknown>)[key];
  }
  await server.destroy();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
  process.env = savedEnv;
});

describe("GET /api/events while Redis is unreachable", () => {
  it("tells an open stream the bus is down and ends it; new streams get the same until Redis is back, then are live", async () => {
    const open = await follow();
    expect(open.response.status).toBe(200);
    await until("subscribed", () => open.text().includes("event: hello"));
    await sleep(100);
    await publish("before");
    await until("event before", () => open.text().includes('"storedAt":"before"'), 2_000);
    expect(await isWorkerReachable()).toBe(true);

    const killedAt = performance.now();
    await server.kill();
    const text = await open.closed;
    expect(performance.now() - killedAt).toBeLessThan(1_000);
    expect(text.slice(text.lastIndexOf("retry:"))).toMatch(DEGRADED);
    // A page rendered now polls from the start.
    expect(await isWorkerReachable()).toBe(false);

    // The browser's reconnection (every 5 s, as the event said): 200, the degraded event, and the end; no hello.
    const refused = await follow();
    expect(refused.response.status).toBe(200);
    expect(refused.response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await refused.closed).toMatch(DEGRADED);
    // Without a session it is still 401, whatever Redis does.
    expect((await GET(new Request("http://localhost:3998/api/events"))).status).toBe(401);

    await server.start();
    await until("bus up again", () => getEventBus().state() === "up", 10_000);
    expect(await isWorkerReachable()).toBe(true);
    const again = await follow();
    await until("hello again", () => again.text().includes("event: hello"));
    await publish("after");
    await until("event after", () => again.text().includes('"storedAt":"after"'), 2_000);
    expect(again.text()).not.toContain("event: degraded");
    again.leave();
    await again.closed;
  }, 30_000);
});
