import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from "../testing/database";
import { createLoginThrottle, createPostgresThrottleStore, createRedisThrottleStore } from "./throttle";

// The same throttle over the machine's real Redis: what every web replica shares.
const redis = new Redis(TEST_REDIS_URL);
const prefix = `pf-test:${randomBytes(4).toString("hex")}:login:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe("login throttle over Redis", () => {
  it("counts attempts across instances, expires with the window, and clears on success", async () => {
    const a = createLoginThrottle(createRedisThrottleStore(redis, prefix), {
      perAccount: 2,
      perAddress: 10,
      windowMs: 1_500,
    });
    const b = createLoginThrottle(createRedisThrottleStore(redis, prefix), {
      perAccount: 2,
      perAddress: 10,
      windowMs: 1_500,
    });
    expect(await a.attempt("ada@x", "198.51.100.1")).toEqual({ ok: true });
    expect(await b.attempt("ada@x", "198.51.100.2")).toEqual({ ok: true });
    const locked = await a.attempt("ada@x", null);
    expect(locked).toMatchObject({ ok: false, reason: "too many failed sign-ins for this account" });
    expect(locked.ok ? 0 : locked.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(locked.ok ? 0 : locked.retryAfterS).toBeLessThanOrEqual(2);
    // The window is not extended by later attempts (NX expiry).
    await b.attempt("ada@x", null);
    await new Promise((done) => setTimeout(done, 1_700));
    expect(await b.attempt("ada@x", null)).toEqual({ ok: true });
    await a.attempt("bob@x", "198.51.100.9");
    await a.succeeded("bob@x", "198.51.100.9");
    expect(await redis.exists(`${prefix}account:bob@x`)).toBe(0);
    expect(await redis.get(`${prefix}address:198.51.100.9`)).toBe("0");
  });

  it("thirty parallel attempts at one account from two replicas get exactly the limit", async () => {
    const limits = { perAccount: 5, perAddress: 100, windowMs: 10_000 };
    const replicas = [
      createLoginThrottle(createRedisThrottleStore(redis, prefix), limits),
      createLoginThrottle(createRedisThrottleStore(redis, prefix), limits),
    ];
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (replicas[i % 2] ?? replicas[0])?.attempt("carol@x", null)),
    );
    expect(verdicts.filter((v) => v?.ok)).toHaveLength(5);
  });
});

describe("login throttle in PostgreSQL (without Redis, and while Redis does not answer)", () => {
  let database: TestDatabase;
  // Two pools: two replicas.
  let replicaA: PrismaClient;
  let replicaB: PrismaClient;
  beforeAll(async () => {
    database = await createTestDatabase("pf_throttle");
    replicaA = createPrismaClient(database.url, 5);
    replicaB = createPrismaClient(database.url, 5);
  });
  afterAll(async () => {
    await replicaA.$disconnect();
    await replicaB.$disconnect();
    await database.drop();
  });

  it("counts attempts across replicas, expires with the window without extending it, and clears on success", async () => {
    const limits = { perAccount: 2, perAddress: 10, windowMs: 1_500 };
    const a = createLoginThrottle(createPostgresThrottleStore(replicaA), limits);
    const b = createLoginThrottle(createPostgresThrottleStore(replicaB), limits);
    expect(await a.attempt("ada@x", "198.51.100.1")).toEqual({ ok: true });
    expect(await b.attempt("ada@x", "198.51.100.2")).toEqual({ ok: true });
    const locked = await a.attempt("ADA@x", null);
    expect(locked).toMatchObject({ ok: false, reason: "too many failed sign-ins for this account" });
    expect(locked.ok ? 0 : locked.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(locked.ok ? 0 : locked.retryAfterS).toBeLessThanOrEqual(2);
    await b.attempt("ada@x", null);
    await new Promise((done) => setTimeout(done, 1_700));
    expect(await b.attempt("ada@x", null)).toEqual({ ok: true });
    await a.attempt("bob@x", "198.51.100.9");
    await a.succeeded("bob@x", "198.51.100.9");
    const rows = await replicaA.$queryRaw<
      { key: string; attempts: number }[]
    >`SELECT key, attempts FROM auth_login_throttle WHERE key IN ('account:bob@x', 'address:198.51.100.9')`;
    expect(rows).toEqual([{ key: "address:198.51.100.9", attempts: 0 }]);
  });

  it("thirty parallel attempts at one account from two replicas get exactly the limit", async () => {
    const limits = { perAccount: 5, perAddress: 100, windowMs: 10_000 };
    const replicas = [
      createLoginThrottle(createPostgresThrottleStore(replicaA), limits),
      createLoginThrottle(createPostgresThrottleStore(replicaB), limits),
    ];
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => (replicas[i % 2] ?? replicas[0])?.attempt("carol@x", null)),
    );
    expect(verdicts.filter((v) => v?.ok)).toHaveLength(5);
  });
});
