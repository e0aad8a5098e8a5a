import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "../generated/prisma/client";
import type { TRedisConnections } from "../redis";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { startPrivateRedis, type PrivateRedis } from "../testing/private-redis";

// Sign-in through better-auth's handler, as the login form reaches it, on a real database and a Redis server of
// this test's own that is paused and killed mid-run: sign-in keeps working in bounded time, and the throttle keeps
// counting (in PostgreSQL) while Redis does not answer, and in Redis again once it is back.

type TLine = { level: number; msg: string; component?: string };
const lines: TLine[] = [];
const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line) as TLine) });
const redisLines = () =>
  lines.filter((line) => line.component === "redis").map((line) => ({ level: line.level, msg: line.msg }));
const consoleErrors = vi.spyOn(console, "error");

let database: TestDatabase;
let server: PrivateRedis;
let redis: TRedisConnections;
let prisma: PrismaClient;
let namespace: string;
let handler: (request: Request) => Promise<Response>;
const dataDir = mkdtempSync(join(tmpdir(), "pf-auth-redis-"));
const savedEnv = { ...process.env };
const PASSWORD = "a long enough password";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(what: string, check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(25);
  }
}

beforeAll(async () => {
  database = await createTestDatabase("pf_auth_redis");
  server = await startPrivateRedis();
  (globalThis as { preflightLogger?: pino.Logger }).preflightLogger = logger;
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    REDIS_URL: server.url,
    PREFLIGHT_AUTH_SECRET: "x".repeat(40),
    PREFLIGHT_PUBLIC_URL: "https://preflight.example.com",
    PREFLIGHT_DATA_DIR: dataDir,
    PORT: "3998",
  });
  prisma = (await import("../db/client")).getPrisma();
  const { getRedisConnections, redisNamespace } = await import("../redis");
  redis = getRedisConnections() as TRedisConnections;
  namespace = redisNamespace(database.url);
  const auth = (await import("./auth")).getAuth();
  handler = (request) => auth.handler(request);
  const { insertUser } = await import("../services/users/schema");
  await prisma.$transaction(async (tx) => {
    for (const name of ["ada", "tia", "hal", "rex"]) {
      await insertUser(tx, {
        email: `${name}@example.com`,
        name,
        role: "viewer",
        password: PASSWORD,
        signOffRoles: [],
      });
    }
  });
  await until("Redis up", () => redis.health().state === "up");
});
afterAll(async () => {
  const { closeRedis } = await import("../redis");
  await closeRedis();
  await prisma.$disconnect();
  await server.destroy();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
  for (const key of [
    "preflightPrisma",
    "preflightAuth",
    "preflightEnv",
    "preflightLogger",
    "preflightRedisConnections",
  ])
    delete (globalThis as Record<string, unknown>)[key];
  process.env = savedEnv;
  consoleErrors.mockRestore();
});

/** Sign-in as the login form sends it; resolves with the status and how long it took. */
async function signIn(
  email: string,
  password: string,
  address = "192.0.2.10",
): Promise<{ status: number; ms: number; message?: string }> {
  const started = performance.now();
  const response = await handler(
    new Request("https://preflight.example.com/api/auth/sign-in/email", {
      method: "POST",
      body: JSON.stringify({ email, password }),
      headers: {
        "content-type": "application/json",
        origin: "https://preflight.example.com",
        "x-forwarded-for": address,
      },
    }),
  );
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  return { status: response.status, ms: performance.now() - started, message: body.message };
}

const inPostgres = async (key: string) =>
  (
    await prisma.$queryRaw<
      { attempts: number }[]
    >`SELECT attempts FROM auth_login_throttle WHERE key = ${key} AND expires_at > now()`
  )[0]?.attempts ?? 0;

describe("sign-in while Redis is unreachable", () => {
  it("counts in Redis while it answers", async () => {
    expect((await signIn("rex@example.com", "wrong password!!")).status).toBe(401);
    expect(await redis.commands.get(`${namespace}:login:account:rex@example.com`)).toBe("1");
    expect(await inPostgres("account:rex@example.com")).toBe(0);
    expect((await signIn("ada@example.com", PASSWORD)).status).toBe(200);
  });

  it("works within 2 s while Redis hangs (answers nothing), counting in PostgreSQL", async () => {
    server.pause();
    try {
      const result = await signIn("hal@example.com", "wrong password!!", "192.0.2.30");
      expect(result.status).toBe(401);
      expect(result.ms).toBeLessThan(2_000);
      expect(await inPostgres("account:hal@example.com")).toBe(1);
      const ok = await signIn("ada@example.com", PASSWORD, "192.0.2.31");
      expect(ok).toMatchObject({ status: 200 });
      expect(ok.ms).toBeLessThan(2_000);
    } finally {
      server.resume();
    }
    await until("Redis up after the pause", () => redis.health().state === "up");
  }, 30_000);

  it("works within 2 s with Redis stopped, still throttles (5 wrong passwords, then 429), and logs the outage once", async () => {
    lines.length = 0;
    await server.kill();
    await until("Redis down", () => redis.health().state === "down", 3_000);

    const sessions = () => prisma.session.count({ where: { user: { email: "ada@example.com" } } });
    const before = await sessions();
    const ok = await signIn("ada@example.com", PASSWORD, "192.0.2.40");
    expect(ok.status).toBe(200);
    expect(ok.ms).toBeLessThan(2_000);
    expect(await sessions()).toBe(before + 1);

    for (let i = 0; i < 5; i++) {
      const wrong = await signIn("tia@example.com", "wrong password!!", `192.0.2.${50 + i}`);
      expect(wrong.status).toBe(401);
      expect(wrong.ms).toBeLessThan(2_000);
    }
    const throttled = await signIn("tia@example.com", PASSWORD, "192.0.2.99");
    expect(throttled.status).toBe(429);
    expect(throttled.message).toMatch(/^too many failed sign-ins for this account: try again in \d+ s$/);
    expect(await inPostgres("account:tia@example.com")).toBe(6);

    // Every attempt above met a dead Redis; the log says so once, with no unhandled ioredis error events.
    expect(redisLines()).toEqual([
      {
        level: 40,
        msg: expect.stringMatching(/^Redis unreachable since .+: falling back to PostgreSQL for the sign-in throttle/),
      },
    ]);
    expect(consoleErrors.mock.calls.map((call) => String(call[0]))).not.toContainEqual(
      expect.stringContaining("ioredis"),
    );
  }, 30_000);

  it("counts in Redis again once it is back, and logs that once", async () => {
    await server.start();
    await until("Redis back", () => redis.health().state === "up", 10_000);
    expect((await signIn("rex@example.com", "wrong password!!", "192.0.2.60")).status).toBe(401);
    // A fresh server (nothing saved): the first count since it came back.
    expect(await redis.commands.get(`${namespace}:login:account:rex@example.com`)).toBe("1");
    expect((await signIn("ada@example.com", PASSWORD, "192.0.2.61")).status).toBe(200);
    expect(redisLines()).toEqual([
      { level: 40, msg: expect.stringMatching(/^Redis unreachable since /) },
      { level: 30, msg: expect.stringMatching(/^Redis back after \d+ s$/) },
    ]);
  }, 30_000);
});
