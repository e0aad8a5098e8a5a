import { getDatabaseTarget } from "../db/connection";
import { getPrisma } from "../db/client";
import { checkDatabase, describeDatabaseOutage } from "../db/outage";
import { getEnv } from "../env";
import { getRedis } from "../redis";
import { getWorkerSummary, type WorkerSummary } from "./workers";

export type DependencyCheck = { ok: boolean; latencyMs: number; error?: string };

export type DashboardHealth = {
  status: "ok" | "degraded" | "down";
  /** Only when the database is down: the sentence every API answers with then. */
  error?: string;
  /** `unreachableSince`: when this process first saw it not answer; `lastOkAt`: when it last answered. */
  database: DependencyCheck & { kind: "embedded" | "postgresql"; unreachableSince?: string; lastOkAt?: string | null };
  redis: (DependencyCheck & { configured: true }) | { configured: false };
  /** From the workers' own heartbeats (a file, Redis), and the database's rows when it answers. */
  worker: WorkerSummary;
  time: string;
};

async function timed(work: () => Promise<unknown>): Promise<DependencyCheck> {
  const started = performance.now();
  try {
    await work();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message.split("\n")[0],
    };
  }
}

/**
 * The dashboard's own health: its database (a bounded ping), Redis when configured, and the workers as their own
 * heartbeats report them, which needs neither: during a database outage this still says which workers run and
 * how many results wait in their buffers.
 */
export async function getDashboardHealth(now = new Date()): Promise<DashboardHealth> {
  const kind: DashboardHealth["database"]["kind"] = getDatabaseTarget().embedded ? "embedded" : "postgresql";
  const prisma = getPrisma();
  const redisClient = getEnv().REDIS_URL ? getRedis() : null;
  const [{ ping, outage }, redisCheck] = await Promise.all([
    checkDatabase(prisma, now.getTime(), { fresh: true }),
    redisClient
      ? timed(() =>
          Promise.race([
            redisClient.ping(),
            new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 2 s")), 2_000).unref()),
          ]),
        )
      : null,
  ]);
  const redis = redisCheck ? { configured: true as const, ...redisCheck } : { configured: false as const };
  const worker = await getWorkerSummary(prisma, now, { databaseDown: !ping.ok });
  const database: DashboardHealth["database"] = ping.ok
    ? { kind, ok: true, latencyMs: ping.latencyMs }
    : {
        kind,
        ok: false,
        latencyMs: ping.latencyMs,
        error: ping.error,
        unreachableSince: outage?.since,
        lastOkAt: outage?.lastOkAt ?? null,
      };
  const redisOk = !redis.configured || redis.ok;
  const status = !ping.ok ? "down" : !redisOk || !worker.running || worker.droppedResults > 0 ? "degraded" : "ok";
  return {
    status,
    ...(ping.ok ? {} : { error: describeDatabaseOutage({ error: ping.error }) }),
    database,
    redis,
    worker,
    time: now.toISOString(),
  };
}
