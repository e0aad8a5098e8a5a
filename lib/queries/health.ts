import { getDatabaseTarget } from "../db/connection";
import { getPrisma } from "../db/client";
import { getEnv } from "../env";
import { getRedis } from "../redis";
import { getWorkerSummary, type WorkerSummary } from "./workers";

export type DependencyCheck = { ok: boolean; latencyMs: number; error?: string };

export type DashboardHealth = {
  status: "ok" | "degraded" | "down";
  database: DependencyCheck & { kind: "embedded" | "postgresql" };
  redis: (DependencyCheck & { configured: true }) | { configured: false };
  worker: WorkerSummary;
  time: string;
};


async function timed(work: () => Promise<unknown>): Promise<DependencyCheck> {
  const started = performance.now();
  try {
    await work();
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message.split("\n")[0] };
  }
}

/** The dashboard's own health: its database, Redis when configured, and how fresh the worker heartbeat is. */
export async function getDashboardHealth(now = new Date()): Promise<DashboardHealth> {
  const kind = getDatabaseTarget().embedded ? "embedded" : "postgresql";
  const prisma = getPrisma();
  const database = await timed(() => prisma.$queryRaw`SELECT 1`);
  const redisClient = getEnv().REDIS_URL ? getRedis() : null;
  const redis = redisClient
    ? {
        configured: true as const,
        ...(await timed(() =>
          Promise.race([redisClient.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 2 s")), 2_000).unref())]),
        )),
      }
    : { configured: false as const };

  const worker: WorkerSummary = database.ok
    ? await getWorkerSummary(prisma, now)
    : { running: false, workers: 0, lastBeatAt: null, heartbeatAgeMs: null, bufferedResults: 0, droppedResults: 0 };
  const redisOk = !redis.configured || redis.ok;
  const status = !database.ok ? "down" : !redisOk || !worker.running || worker.droppedResults > 0 ? "degraded" : "ok";
  return { status, database: { kind, ...database }, redis, worker, time: now.toISOString() };
}
