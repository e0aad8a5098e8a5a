import type { Redis } from "ioredis";

// Sign-in throttling per account and per address. Every attempt is counted *before* the password is checked, with
// one atomic increment (Redis INCR, shared by every replica, or in this process): 30 parallel guesses at one account
// get exactly `perAccount` tries, never more. A success clears the account's count and gives the address its attempt
// back; the address's count runs out with its window. The window starts at the first attempt and is never extended.

export type TThrottleLimits = { perAccount: number; perAddress: number; windowMs: number };
export const DEFAULT_LIMITS: TThrottleLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

export type TThrottleStore = {
  /** Increments a key and returns its new count and the ms until its window ends. */
  incr(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }>;
  decr(key: string): Promise<void>;
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
    // Synchronous between reading and writing, so concurrent callers in this process cannot both pass.
    incr: async (key, windowMs) => {
      let e = live(key);
      if (e) e.count += 1;
      else entries.set(key, (e = { count: 1, expiresAt: now() + windowMs }));
      // Keep the map bounded under a spray of addresses: forget expired entries now and then.
      if (entries.size > 10_000) for (const k of [...entries.keys()]) live(k);
      return { count: e.count, ttlMs: e.expiresAt - now() };
    },
    decr: async (key) => {
      const e = live(key);
      if (e && e.count > 0) e.count -= 1;
    },
    clear: async (key) => void entries.delete(key),
  };
}

export function createRedisThrottleStore(redis: Redis, prefix: string): TThrottleStore {
  return {
    incr: async (key, windowMs) => {
      // The window starts at the first attempt: NX sets the expiry only when the key is new.
      const replies = await redis.multi().incr(`${prefix}${key}`).pexpire(`${prefix}${key}`, windowMs, "NX").pttl(`${prefix}${key}`).exec();
      const [count, , ttl] = (replies ?? []).map(([, v]) => Number(v ?? 0));
      return { count: count ?? 0, ttlMs: Math.max(0, ttl ?? 0) };
    },
    decr: async (key) => void (await redis.eval("local v = tonumber(redis.call('GET', KEYS[1]) or '0') if v > 0 then redis.call('DECR', KEYS[1]) end", 1, `${prefix}${key}`)),
    clear: async (key) => void (await redis.del(`${prefix}${key}`)),
  };
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;

export type TThrottleVerdict = { ok: true } | { ok: false; retryAfterS: number; reason: string };

export function createLoginThrottle(store: TThrottleStore, limits: TThrottleLimits = DEFAULT_LIMITS) {
  return {
    /** Counts an attempt; refuses it when the account or the address has used up its tries in the window. */
    async attempt(email: string, address: string | null): Promise<TThrottleVerdict> {
      const account = await store.incr(accountKey(email), limits.windowMs);
      if (account.count > limits.perAccount) {
        return { ok: false, retryAfterS: Math.max(1, Math.ceil(account.ttlMs / 1000)), reason: "too many failed sign-ins for this account" };
      }
      if (address) {
        const from = await store.incr(addressKey(address), limits.windowMs);
        if (from.count > limits.perAddress) return { ok: false, retryAfterS: Math.max(1, Math.ceil(from.ttlMs / 1000)), reason: "too many failed sign-ins from this address" };
      }
      return { ok: true };
    },
    /** The password was right: the account starts afresh, and the address gets this attempt back. */
    async succeeded(email: string, address: string | null): Promise<void> {
      await store.clear(accountKey(email));
      if (address) await store.decr(addressKey(address));
    },
  };
}

export type TLoginThrottle = ReturnType<typeof createLoginThrottle>;
