import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { z } from "zod";
import { getPool } from "./db/client";
import { getDatabaseTarget } from "./db/connection";
import { getEnv } from "./env";
import type { PrismaClient } from "./generated/prisma/client";
import { getRedis, redisNamespace } from "./redis";

// The workers' own heartbeats, kept where a database outage cannot reach them: a file per worker under
// PREFLIGHT_DATA_DIR/heartbeats/ (always: a worker on the web server's host or volume), and a key per worker in Redis
// when REDIS_URL is set (every host). /api/health, /metrics and the outage page read them, so that while
// PostgreSQL is down they still say which workers run and how many results wait in their buffers; the database
// row (worker_heartbeat) stays for what only the database can join on.

/** A heartbeat older than this is a worker that is gone (stopped, or killed before it could say so). */
export const HEARTBEAT_STALE_MS = 30_000;
/** Files of workers killed without a word are swept after this long. */
const SWEEP_AFTER_MS = 3_600_000;
/** Redis gets this long per call: a Redis that does not answer must not hold a heartbeat or /api/health. */
const REDIS_TIMEOUT_MS = 1_500;

export const ZHeartbeat = z.object({
  workerId: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  mode: z.enum(["embedded", "standalone"]),
  startedAt: z.string(),
  beatAt: z.string(),
  /** "buffering": the worker probes, but the database does not take its results; they wait in memory. */
  state: z.enum(["running", "buffering"]),
  bufferedResults: z.number().int().nonnegative(),
  droppedResults: z.number().int().nonnegative(),
  /** The last batch the database took (ISO), or null before the first. */
  lastFlushAt: z.string().nullable(),
  /** The first heartbeat that saw writes failing, while they still fail. */
  writesFailingSince: z.string().nullable(),
  lastError: z.string().nullable(),
  ownedComponents: z.array(z.string()),
});
export type THeartbeat = z.infer<typeof ZHeartbeat>;

export type THeartbeatSource = "file" | "redis";
export type THeartbeatReading = {
  beats: THeartbeat[];
  sources: Record<THeartbeatSource, "ok" | "failed" | "off">;
  problems: string[];
};

export type THeartbeatStore = {
  /** Writes to every place this store keeps; the problems of those that failed (none: all took it). */
  write: (beat: THeartbeat) => Promise<string[]>;
  remove: (workerId: string) => Promise<void>;
  /** The live heartbeats (newer than HEARTBEAT_STALE_MS), one per worker, the newest where both places have it. */
  read: (now: Date) => Promise<THeartbeatReading>;
};

const fileNameOf = (workerId: string) => `${workerId.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;

async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${REDIS_TIMEOUT_MS / 1000} s`)),
      REDIS_TIMEOUT_MS,
    );
    timer.unref?.();
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function parseBeat(text: string | null | undefined): THeartbeat | null {
  if (!text) return null;
  try {
    const parsed = ZHeartbeat.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

type TRedisLike = NonNullable<ReturnType<typeof getRedis>>;

/**
 * A store over a directory and, when `redis()` gives a client, Redis keys under `namespace`. `redis` is asked at each
 * call, so a Redis that comes and goes at run time is used whenever it is there.
 */
export function createHeartbeatStore(options: {
  dir: string;
  namespace: string;
  redis: () => TRedisLike | null;
}): THeartbeatStore {
  const { dir, namespace } = options;
  const index = `${namespace}:heartbeats`;
  const keyOf = (workerId: string) => `${namespace}:heartbeat:${workerId}`;

  const writeFileBeat = async (beat: THeartbeat) => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, fileNameOf(beat.workerId));
    // Written aside and renamed: a reader never sees half a heartbeat.
    const partial = `${path}.${process.pid}.tmp`;
    await writeFile(partial, JSON.stringify(beat), { mode: 0o600 });
    await rename(partial, path);
  };

  const writeRedisBeat = async (redis: TRedisLike, beat: THeartbeat) => {
    const at = Date.parse(beat.beatAt);
    await withTimeout(
      redis
        .multi()
        .set(keyOf(beat.workerId), JSON.stringify(beat), "PX", HEARTBEAT_STALE_MS * 2)
        .zadd(index, at, beat.workerId)
        .zremrangebyscore(index, "-inf", at - SWEEP_AFTER_MS)
        .exec(),
      "Redis",
    );
  };

  const readFiles = async (now: Date): Promise<THeartbeat[]> => {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const beats: THeartbeat[] = [];
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      const path = join(dir, name);
      const beat = parseBeat(await readFile(path, "utf8").catch(() => null));
      if (beat) beats.push(beat);
      else continue;
      if (now.getTime() - Date.parse(beat.beatAt) > SWEEP_AFTER_MS)
        await rm(path, { force: true }).catch(() => undefined);
    }
    return beats;
  };

  const readRedis = async (redis: TRedisLike, now: Date): Promise<THeartbeat[]> => {
    const ids = await withTimeout(redis.zrangebyscore(index, now.getTime() - HEARTBEAT_STALE_MS, "+inf"), "Redis");
    if (ids.length === 0) return [];
    const values = await withTimeout(redis.mget(...ids.map(keyOf)), "Redis");
    return values.map(parseBeat).filter((b): b is THeartbeat => b !== null);
  };

  return {
    async write(beat) {
      const redis = options.redis();
      const results = await Promise.allSettled([
        writeFileBeat(beat),
        redis ? writeRedisBeat(redis, beat) : Promise.resolve(),
      ]);
      return results.flatMap((r, i) =>
        r.status === "rejected" ? [`${i === 0 ? "file" : "Redis"}: ${(r.reason as Error).message}`] : [],
      );
    },
    async remove(workerId) {
      const redis = options.redis();
      await Promise.allSettled([
        rm(join(dir, fileNameOf(workerId)), { force: true }),
        redis
          ? withTimeout(redis.multi().del(keyOf(workerId)).zrem(index, workerId).exec(), "Redis")
          : Promise.resolve(),
      ]);
    },
    async read(now) {
      const redis = options.redis();
      const [files, keys] = await Promise.allSettled([
        readFiles(now),
        redis ? readRedis(redis, now) : Promise.resolve([]),
      ]);
      const newest = new Map<string, THeartbeat>();
      for (const result of [files, keys]) {
        if (result.status !== "fulfilled") continue;
        for (const beat of result.value) {
          if (now.getTime() - Date.parse(beat.beatAt) > HEARTBEAT_STALE_MS) continue;
          const known = newest.get(beat.workerId);
          if (!known || Date.parse(beat.beatAt) > Date.parse(known.beatAt)) newest.set(beat.workerId, beat);
        }
      }
      const problems = [files, keys].flatMap((r, i) =>
        r.status === "rejected" ? [`${i === 0 ? "file" : "Redis"}: ${(r.reason as Error).message}`] : [],
      );
      return {
        beats: [...newest.values()].sort((a, b) => a.workerId.localeCompare(b.workerId)),
        sources: {
          file: files.status === "fulfilled" ? "ok" : "failed",
          redis: !redis ? "off" : keys.status === "fulfilled" ? "ok" : "failed",
        },
        problems,
      };
    },
  };
}

const globalForStores = globalThis as unknown as { preflightHeartbeatStores?: Map<string, THeartbeatStore> };

/**
 * The heartbeat store of the installation whose database `prisma` talks to: the same namespace as its Redis locks
 * and events (derived from the database's host, port and name), and a directory of its own under the data directory,
 * so workers of two databases (or two test files) never read each other's heartbeats.
 */
export function heartbeatStoreFor(prisma: PrismaClient): THeartbeatStore {
  const url = getPool(prisma)?.options.connectionString ?? getDatabaseTarget().url;
  const namespace = redisNamespace(url);
  const dir = join(getEnv().PREFLIGHT_DATA_DIR, "heartbeats", namespace.slice(namespace.indexOf(":") + 1));
  globalForStores.preflightHeartbeatStores ??= new Map();
  let store = globalForStores.preflightHeartbeatStores.get(dir);
  if (!store) {
    store = createHeartbeatStore({ dir, namespace, redis: getRedis });
    globalForStores.preflightHeartbeatStores.set(dir, store);
  }
  return store;
}

export type TBufferStats = { depth: number; dropped: number; lastError: string | null; lastFlushAt: Date | null };

/**
 * One worker's heartbeat writer: builds the beat from its buffer and the components it owns, and writes it to the
 * store without ever throwing (a heartbeat that cannot be written is logged once, until one goes through again).
 */
export function createHeartbeatPublisher(
  store: THeartbeatStore,
  identity: { workerId: string; mode: THeartbeat["mode"]; startedAt: Date },
  logger: Pick<Logger, "warn" | "info">,
) {
  let writesFailingSince: string | null = null;
  let failing = false;
  return {
    async publish(buffer: TBufferStats, owned: Iterable<string>, now = new Date()): Promise<void> {
      writesFailingSince = buffer.lastError ? (writesFailingSince ?? now.toISOString()) : null;
      const beat: THeartbeat = {
        workerId: identity.workerId,
        host: hostname(),
        pid: process.pid,
        mode: identity.mode,
        startedAt: identity.startedAt.toISOString(),
        beatAt: now.toISOString(),
        state: buffer.lastError ? "buffering" : "running",
        bufferedResults: buffer.depth,
        droppedResults: buffer.dropped,
        lastFlushAt: buffer.lastFlushAt?.toISOString() ?? null,
        writesFailingSince,
        lastError: buffer.lastError,
        ownedComponents: [...owned].sort(),
      };
      try {
        const problems = await store.write(beat);
        if (problems.length > 0 && !failing) logger.warn({ problems }, "worker heartbeat not written everywhere");
        else if (problems.length === 0 && failing) logger.info({}, "worker heartbeat written everywhere again");
        failing = problems.length > 0;
      } catch (error) {
        if (!failing) logger.warn({ err: (error as Error).message }, "worker heartbeat not written");
        failing = true;
      }
    },
    remove: () => store.remove(identity.workerId).catch(() => undefined),
  };
}
