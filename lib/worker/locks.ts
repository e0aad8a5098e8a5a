import pg from "pg";
import type { Logger } from "pino";
import { getRedisConnections } from "../redis";

/**
 * Where workers find each other and hold the components they probe (lib/worker/ownership.ts decides which):
 * a registry of live workers, and one lock per component. Redis holds both as keys with a time to live, renewed
 * by every sync; PostgreSQL as the lock session itself (its application name lists the worker, its session
 * advisory locks are the components), gone the moment the worker's connection is; "local" is one process alone.
 * `heartbeat` and `sync` throw when the backend is unreachable: the caller decides what to do then.
 */
export type OwnershipLock = {
  kind: "redis" | "postgres" | "local";
  /** This worker, as the registry lists it. */
  memberId: string;
  /**
   * Says this worker is alive for `ttlMs`, in `group` (workers that share components: the same configuration); every
   * live worker of the group, this one included.
   */
  heartbeat: (ttlMs: number, group: string) => Promise<string[]>;
  /** Takes or renews each of `keep` that is free or ours, for `ttlMs`, and gives up each of `drop`; returns the kept keys now ours. */
  sync: (keep: string[], drop: string[], ttlMs: number) => Promise<Set<string>>;
  /** Keys stay ours while the session lives, renewed or not (advisory locks); otherwise for the ttl of the last sync. */
  sessionBound: boolean;
  sessionAlive: () => boolean;
  /** Leaves the registry (keys are given up through `sync`). */
  leave: () => Promise<void>;
  /** One key for one task (history maintenance). If the backend is unreachable the claim succeeds (fail open). */
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
// The registry: a sorted set of workers scored by when they expire, on Redis's clock (no worker's clock counts).
const HEARTBEAT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)`;
// KEYS[1..ARGV[3]] to keep (take or renew), the rest to drop; returns the positions of the kept keys now ours.
const SYNC_SCRIPT = `
local held = {}
local keep = tonumber(ARGV[3])
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if i <= keep then
    if not v then
      redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
      held[#held + 1] = i
    elseif v == ARGV[1] then
      redis.call('PEXPIRE', KEYS[i], ARGV[2])
      held[#held + 1] = i
    end
  elseif v == ARGV[1] then
    redis.call('DEL', KEYS[i])
  end
end
return held`;
/** Keys per script call: one call never holds Redis for long, however many components there are. */
const SYNC_CHUNK = 500;

function failOpen(logger: Logger, kind: string) {
  let warned = false;
  return (error: unknown) => {
    if (!warned)
      logger.warn({ err: (error as Error).message }, `${kind} lock unreachable: running the task without it`);
    warned = true;
    return true;
  };
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export function createRedisLock(url: string, ownerId: string, logger: Logger, namespace: string): OwnershipLock {
  const prefix = `${namespace}:owner:`;
  const registry = `${namespace}:workers`;
  // The process's one command connection (lib/redis.ts): a call fails at once while Redis is disconnected and
  // within 500 ms when it hangs (stopped, not gone), so the caller's leases run on rather than wait.
  const connections = getRedisConnections(url);
  if (!connections) throw new Error("createRedisLock needs a Redis URL");
  const redis = connections.commands;
  const onError = failOpen(logger, "redis");
  let group: string | null = null;
  return {
    kind: "redis",
    memberId: ownerId,
    sessionBound: false,
    sessionAlive: () => true,
    async heartbeat(ttlMs, inGroup) {
      group = inGroup;
      return (await redis.eval(
        HEARTBEAT_SCRIPT,
        1,
        `${registry}:${inGroup}`,
        ownerId,
        Math.max(1, Math.round(ttlMs)),
      )) as string[];
    },
    async sync(keep, drop, ttlMs) {
      const held = new Set<string>();
      const ttl = Math.max(1, Math.round(ttlMs));
      const work = [...keep.map((key) => ({ key, keep: true })), ...drop.map((key) => ({ key, keep: false }))];
      for (const part of chunks(work, SYNC_CHUNK)) {
        const kept = part.filter((w) => w.keep);
        const dropped = part.filter((w) => !w.keep);
        const keys = [...kept, ...dropped].map((w) => prefix + w.key);
        const got = (await redis.eval(SYNC_SCRIPT, keys.length, ...keys, ownerId, ttl, kept.length)) as number[];
        for (const position of got) {
          const entry = kept[position - 1];
          if (entry) held.add(entry.key);
        }
      }
      return held;
    },
    async leave() {
      if (group !== null) await redis.zrem(`${registry}:${group}`, ownerId).catch(() => undefined);
    },
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
      // The connection is the process's, shared with the event bus and the throttle: closeRedis() ends it at shutdown.
    },
  };
}

const PG_MEMBER_PREFIX = "preflight-owner:";
/** Groups are short fingerprints (lib/worker/ownership.ts). */
const PG_GROUP_MAX = 12;
/** application_name holds 63 bytes: the end of the worker id (its pid and random part) keeps it unique. */
const PG_MEMBER_MAX = 63 - PG_MEMBER_PREFIX.length - PG_GROUP_MAX - 1;
const advisoryKey = (key: string) => `preflight:owner:${key}`;

/**
 * Session-level advisory locks on a connection of their own: a worker's components, and its place in the registry
 * (its application name, listed in pg_stat_activity), die with its session, so a killed worker's components are
 * free at once. Session locks nest, so a key is locked once and then only remembered.
 */
export function createPostgresLock(url: string, ownerId: string, logger: Logger): OwnershipLock {
  const memberId = ownerId.slice(-PG_MEMBER_MAX);
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const held = new Set<string>();
  /** The registry group each session has named itself into. */
  const named = new WeakMap<pg.Client, string>();
  const onError = failOpen(logger, "postgres advisory");

  const connect = () => {
    connecting ??= (async () => {
      const next = new pg.Client({
        connectionString: url,
        application_name: "preflight-lock",
        connectionTimeoutMillis: 3_000,
      });
      next.on("error", () => {
        // The session is gone, and with it every lock it held.
        held.clear();
        if (client === next) client = null;
      });
      await next.connect();
      client = next;
      return next;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };
  const session = async () => client ?? (await connect());

  return {
    kind: "postgres",
    memberId,
    sessionBound: true,
    sessionAlive: () => client !== null,
    async heartbeat(_ttlMs, group) {
      const db = await session();
      const prefix = `${PG_MEMBER_PREFIX}${group.slice(0, PG_GROUP_MAX)}:`;
      // The session's name is its registry entry; a new session (after a reconnect) has none yet.
      if (named.get(db) !== prefix) {
        await db.query("SELECT set_config('application_name', $1, false)", [prefix + memberId]);
        named.set(db, prefix);
      }
      const result = await db.query<{ name: string }>(
        `SELECT substr(application_name, $1::int) AS name FROM pg_stat_activity
         WHERE datname = current_database() AND starts_with(application_name, $2) AND pid <> pg_backend_pid()`,
        [prefix.length + 1, prefix],
      );
      return [...result.rows.map((r) => r.name), memberId];
    },
    async sync(keep, drop) {
      const db = await session();
      const release = drop.filter((key) => held.has(key));
      if (release.length > 0) {
        await db.query("SELECT pg_advisory_unlock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k", [
          release.map(advisoryKey),
        ]);
        for (const key of release) held.delete(key);
      }
      const take = keep.filter((key) => !held.has(key));
      if (take.length > 0) {
        const result = await db.query<{ key: string; ok: boolean }>(
          "SELECT k AS key, pg_try_advisory_lock(hashtextextended($2 || k, 0)) AS ok FROM unnest($1::text[]) AS k",
          [take, "preflight:owner:"],
        );
        for (const row of result.rows) if (row.ok) held.add(row.key);
      }
      return new Set(keep.filter((key) => held.has(key)));
    },
    async leave() {
      // The registry entry is the session: closing it (close) leaves.
    },
    async claim(key) {
      if (held.has(key) && client) return true;
      try {
        const result = await (await session()).query<{ ok: boolean }>(
          "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
          [advisoryKey(key)],
        );
        const ok = result.rows[0]?.ok === true;
        if (ok) held.add(key);
        return ok;
      } catch (error) {
        return onError(error);
      }
    },
    async release(key) {
      if (!held.delete(key) || !client) return;
      await client
        .query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [advisoryKey(key)])
        .catch(() => undefined);
    },
    async close() {
      held.clear();
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}

/** One process, no shared lock: the embedded database and single-instance setups. */
export function createLocalLock(ownerId = "local"): OwnershipLock {
  return {
    kind: "local",
    memberId: ownerId,
    sessionBound: true,
    sessionAlive: () => true,
    heartbeat: async () => [ownerId],
    sync: async (keep) => new Set(keep),
    leave: async () => undefined,
    claim: async () => true,
    release: async () => undefined,
    close: async () => undefined,
  };
}
