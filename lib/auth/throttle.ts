import type { Redis } from "ioredis";
import type { PrismaClient } from "../generated/prisma/client";

// Sign-in throttling per account and per address. Every attempt is counted *before* the password is checked, with
// one atomic increment (Redis INCR or a PostgreSQL upsert, both shared by every replica; in-process in unit tests):
// 30 parallel guesses at one account get exactly `perAccount` tries, never more. A success clears the account's
// count and gives the address its attempt back; the address's count runs out with its window. The window starts at
// the first attempt and is never extended.

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
      const replies = await redis
        .multi()
        .incr(`${prefix}${key}`)
        .pexpire(`${prefix}${key}`, windowMs, "NX")
        .pttl(`${prefix}${key}`)
        .exec();
      const [count, , ttl] = (replies ?? []).map(([, v]) => Number(v ?? 0));
      return { count: count ?? 0, ttlMs: Math.max(0, ttl ?? 0) };
    },
    decr: async (key) =>
      void (await redis.eval(
        "local v = tonumber(redis.call('GET', KEYS[1]) or '0') if v > 0 then redis.call('DECR', KEYS[1]) end",
        1,
        `${prefix}${key}`,
      )),
    clear: async (key) => void (await redis.del(`${prefix}${key}`)),
  };
}

/**
 * In PostgreSQL (auth_login_throttle): one upsert per attempt, atomic under concurrency (the conflicting row is
 * locked), and a window that ran out starts again in the same statement.
 */
export function createPostgresThrottleStore(prisma: Pick<PrismaClient, "$queryRaw" | "$executeRaw">): TThrottleStore {
  let sinceSweep = 0;
  return {
    incr: async (key, windowMs) => {
      const rows = await prisma.$queryRaw<{ attempts: number; ttl_ms: number }[]>`
        INSERT INTO auth_login_throttle AS t (key, attempts, expires_at)
        VALUES (${key}, 1, now() + ${Math.round(windowMs)}::int * interval '1 millisecond')
        ON CONFLICT (key) DO UPDATE SET
          attempts = CASE WHEN t.expires_at <= now() THEN 1 ELSE t.attempts + 1 END,
          expires_at = CASE WHEN t.expires_at <= now() THEN EXCLUDED.expires_at ELSE t.expires_at END
        RETURNING t.attempts, GREATEST(0, CEIL(EXTRACT(EPOCH FROM (t.expires_at - now())) * 1000))::int AS ttl_ms`;
      // Windows that ran out are forgotten now and then, so a spray of addresses cannot grow the table for good.
      if (++sinceSweep >= 500) {
        sinceSweep = 0;
        void prisma.$executeRaw`DELETE FROM auth_login_throttle WHERE expires_at < now()`.catch(() => undefined);
      }
      const row = rows[0];
      return { count: Number(row?.attempts ?? 0), ttlMs: Number(row?.ttl_ms ?? 0) };
    },
    decr: async (key) =>
      void (await prisma.$executeRaw`
        UPDATE auth_login_throttle SET attempts = attempts - 1 WHERE key = ${key} AND attempts > 0 AND expires_at > now()`),
    clear: async (key) => void (await prisma.$executeRaw`DELETE FROM auth_login_throttle WHERE key = ${key}`),
  };
}

/** How long the primary store (Redis) may take before an attempt is counted in the fallback (PostgreSQL). */
export const PRIMARY_BOUND_MS = 400;
/** After the primary failed, it is not asked again for this long (or until it was seen down and back up). */
const PRIMARY_PAUSE_MS = 2_000;

function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Redis while it answers, PostgreSQL when it does not (known to be down, or no answer within `boundMs`), so that
 * sign-in works through a Redis outage in bounded time and stays throttled. The two keep separate counts: across a
 * switch an account can get up to `perAccount` more tries in a window, no more, and every replica still counts
 * together (each store is shared). An answer that came too late may have counted in both: stricter, never looser.
 */
export function createFallbackThrottleStore(
  primary: TThrottleStore,
  fallback: TThrottleStore,
  options: { available: () => boolean; boundMs?: number; now?: () => number },
): TThrottleStore {
  const boundMs = options.boundMs ?? PRIMARY_BOUND_MS;
  const now = options.now ?? Date.now;
  let pausedUntil = 0;
  const primaryAvailable = () => {
    // Known to be down: once it is known to be back, it is asked again at once, whatever the pause said.
    if (!options.available()) {
      pausedUntil = 0;
      return false;
    }
    return now() >= pausedUntil;
  };
  const run = async <T>(work: (store: TThrottleStore) => Promise<T>): Promise<T> => {
    if (primaryAvailable()) {
      try {
        return await withinMs(work(primary), boundMs);
      } catch {
        pausedUntil = now() + PRIMARY_PAUSE_MS;
      }
    }
    return work(fallback);
  };
  return {
    incr: (key, windowMs) => run((store) => store.incr(key, windowMs)),
    decr: (key) => run((store) => store.decr(key)),
    clear: async (key) => {
      // In both: a count left in PostgreSQL by one outage must not lock the person out in the next.
      const inPrimary = primaryAvailable() ? withinMs(primary.clear(key), boundMs).catch(() => undefined) : undefined;
      await Promise.all([inPrimary, fallback.clear(key)]);
    },
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
        return {
          ok: false,
          retryAfterS: Math.max(1, Math.ceil(account.ttlMs / 1000)),
          reason: "too many failed sign-ins for this account",
        };
      }
      if (address) {
        const from = await store.incr(addressKey(address), limits.windowMs);
        if (from.count > limits.perAddress)
          return {
            ok: false,
            retryAfterS: Math.max(1, Math.ceil(from.ttlMs / 1000)),
            reason: "too many failed sign-ins from this address",
          };
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
