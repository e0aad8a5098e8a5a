import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_REDIS_URL } from "../testing/database";
import { createLoginThrottle, createRedisThrottleStore } from "./throttle";

// The same throttle over the machine's real Redis: what every web replica shares.
const redis = new Redis(TEST_REDIS_URL);
const prefix = `pf-test:${randomBytes(4).toString("hex")}:login:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

describe("login throttle over Redis", () => {
  it("counts failures across instances, expires with the window, and clears on success", async () => {
    const a = createLoginThrottle(createRedisThrottleStore(redis, prefix), { perAccount: 2, perAddress: 10, windowMs: 1_500 });
    const b = createLoginThrottle(createRedisThrottleStore(redis, prefix), { perAccount: 2, perAddress: 10, windowMs: 1_500 });
    await a.failed("ada@x", "198.51.100.1");
    await b.failed("ada@x", "198.51.100.2");
    const locked = await a.check("ada@x", null);
    expect(locked).toMatchObject({ ok: false, reason: "too many failed sign-ins for this account" });
    expect(locked.ok ? 0 : locked.retryAfterS).toBeGreaterThanOrEqual(1);
    expect(locked.ok ? 0 : locked.retryAfterS).toBeLessThanOrEqual(2);
    // The window is not extended by later failures (NX expiry).
    await b.failed("ada@x", null);
    await new Promise((done) => setTimeout(done, 1_700));
    expect(await b.check("ada@x", null)).toEqual({ ok: true });
    await a.failed("bob@x", null);
    await a.succeeded("bob@x");
    expect(await redis.exists(`${prefix}account:bob@x`)).toBe(0);
  });
});
