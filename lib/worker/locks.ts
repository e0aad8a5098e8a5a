import { Redis } from "ioredis";
import pg from "pg";
import type { Logger } from "pino";

/**
 * Which worker probes a component: the one that holds its ownership lock. A holder renews at every slot;
 * when it dies, another takes over at its first slot after the lease ran out (Redis) or as soon as the
 * dead worker's session is gone (PostgreSQL advisory locks): within two intervals either way.
 * If the lock backend itself is unreachable, claims succeed (fail open): a duplicate probe is better than
 * a missed outage, and it is logged.
 */
export type OwnershipLock = {
  kind: "redis" | "postgres" | "local";
  claim: (key: string, ttlMs: number) => Promise<boolean>;
  release: (key: string) => Promise<void>;
  close: () => Promise<void>;
};


// Take the key if it is free, renew it if it is ours, refuse otherwise: one atomic step.
const CLAIM_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

function failOpen(logger: Logger, kind: string) {
  let warned = false;
  return (error: unknown) => {
    if (!warned) logger.warn({ err: (error as Error).message }, `${kind} lock unreachable: probing without ownership (duplicates possible)`);
    warned = true;
    return true;
  };
}

export function createRedisLock(url: string, ownerId: string, logger: Logger, namespace: string): OwnershipLock {
  const prefix = `${namespace}:owner:`;
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: "preflight-lock" });
  redis.on("error", () => undefined);
  const onError = failOpen(logger, "redis");
  return {
    kind: "redis",
    async claim(key, ttlMs) {
      try {
        return (await redis.eval(CLAIM_SCRIPT, 1, prefix + key, ownerId, Math.max(1, Math.round(ttlMs)))) === 1;
      } catch (error) {
        return onError(error);
      }
    },
    async release(key) {
      await redis.eval(RELEASE_SCRIPT, 1, prefix + key, ownerId).catch(() => undefined);
    },
    async close() {
      redis.disconnect();
    },
  };
}

/** Session-level advisory locks on a connection of their own: the lock dies with the worker's session. */
export function createPostgresLock(url: string, logger: Logger): OwnershipLock {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const held = new Set<string>();
  const onError = failOpen(logger, "postgres advisory");

  const connect = () => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: url, application_name: "preflight-lock", connectionTimeoutMillis: 3_000 });
      next.on("error", () => {
        // The session is gone, and with it every lock it held.
        held.clear();
        client = null;
      });
      await next.connect();
      client = next;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    kind: "postgres",
    async claim(key) {
      if (held.has(key) && client) return true;
      try {
        const session = client ?? (await connect());
        const result = await session.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok", [`preflight:owner:${key}`]);
        const ok = result.rows[0]?.ok === true;
        if (ok) held.add(key);
        return ok;
      } catch (error) {
        return onError(error);
      }
    },
    async release(key) {
      if (!held.delete(key) || !client) return;
      await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [`preflight:owner:${key}`]).catch(() => undefined);
    },
    async close() {
      held.clear();
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}

/** One process, no shared lock: the embedded database and single-instance setups. */
export function createLocalLock(): OwnershipLock {
  return { kind: "local", claim: async () => true, release: async () => undefined, close: async () => undefined };
}
