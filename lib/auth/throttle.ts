import type { Redis } from "ioredis";

// Login throttling per account and per address: failures are counted in a fixed window, in Redis when the
// deployment has it (so every replica sees every attempt) or in this process otherwise. A success clears the
// account's count; the address's count runs out with its window.

export type TThrottleLimits = { perAccount: number; perAddress: number; windowMs: number };
export const DEFAULT_LIMITS: TThrottleLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

export type TThrottleStore = {
  /** Current count of a key (0 when absent or expired) and ms until it expires. */
  get(key: string): Promise<{ count: number; ttlMs: number }>;
  incr(key: string, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
};

export function createMemoryThrottleStore(now: () => number = Date.now): TThrottleStore {
  const entries = new Map<string, { count: number; expiresAt: number }>();
  const live = (key: string) => {
    const e = entries.get(key);
    if (e && e.expiresAt <= now()) entries.delete(key);
    return entries.get(key);
  };
  return {
    get: async (key) => {
      const e = live(key);
      return e ? { count: e.count, ttlMs: e.expiresAt - now() } : { count: 0, ttlMs: 0 };
    },
    incr: async (key, windowMs) => {
      const e = live(key);
      if (e) e.count += 1;
      else entries.set(key, { count: 1, expiresAt: now() + windowMs });
      // Keep the map bounded under a spray of addresses: forget expired entries now and then.
      if (entries.size > 10_000) for (const k of [...entries.keys()]) live(k);
    },
    clear: async (key) => void entries.delete(key),
  };
}

export function createRedisThrottleStore(redis: Redis, prefix: string): TThrottleStore {
  return {
    get: async (key) => {
      const [count, ttl] = await redis.multi().get(`${prefix}${key}`).pttl(`${prefix}${key}`).exec().then((r) => (r ?? []).map(([, v]) => v));
      return { count: Number(count ?? 0), ttlMs: Math.max(0, Number(ttl ?? 0)) };
    },
    incr: async (key, windowMs) => {
      // The window starts at the first failure: NX sets the expiry only when the key is new.
      await redis.multi().incr(`${prefix}${key}`).pexpire(`${prefix}${key}`, windowMs, "NX").exec();
    },
    clear: async (key) => void (await redis.del(`${prefix}${key}`)),
  };
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

export type TThrottleVerdict = { ok: true } | { ok: false; retryAfterS: number; reason: string };

export function createLoginThrottle(store: TThrottleStore, limits: TThrottleLimits = DEFAULT_LIMITS) {
  return {
    async check(email: string, address: string | null): Promise<TThrottleVerdict> {
      const account = await store.get(accountKey(email));
      if (account.count >= limits.perAccount) {
        return { ok: false, retryAfterS: Math.ceil(account.ttlMs / 1000), reason: "too many failed sign-ins for this account" };
      }
      if (address) {
        const from = await store.get(addressKey(address));
        if (from.count >= limits.perAddress) return { ok: false, retryAfterS: Math.ceil(from.ttlMs / 1000), reason: "too many failed sign-ins from this address" };
      }
      return { ok: true };
    },
    async failed(email: string, address: string | null): Promise<void> {
      await store.incr(accountKey(email), limits.windowMs);
      if (address) await store.incr(addressKey(address), limits.windowMs);
    },
    async succeeded(email: string): Promise<void> {
      await store.clear(accountKey(email));
    },
  };
}

export type TLoginThrottle = ReturnType<typeof createLoginThrottle>;
