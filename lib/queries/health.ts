import { getDatabaseTarget } from "../db/connection";
import { getPrisma } from "../db/client";
import { getEnv } from "../env";
import { getRedis } from "../redis";

export type DependencyCheck = { ok: boolean; latencyMs: number; error?: string };

export type DashboardHealth = {
  status: "ok" | "degraded" | "down";
  database: DependencyCheck & { kind: "embedded" | "postgresql" };
  redis: (DependencyCheck & { configured: true }) | { configured: false };
  worker: {
    running: boolean;
    lastBeatAt: string | null;
    heartbeatAgeMs: number | null;
    workers: number;
    /** Results held in memory because the database could not take them yet. */
    bufferedResults: number;
    /** Results lost to a full buffer since the workers started: never silent. */
    droppedResults: number;
  };
  time: string;
};

const HEARTBEAT_STALE_MS = 30_000;

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

  let lastBeat: Date | null = null;
  let workers = 0;
  let bufferedResults = 0;
  let droppedResults = 0;
  if (database.ok) {
    const beats = await prisma.workerHeartbeat.findMany({ where: { beatAt: { gt: new Date(now.getTime() - HEARTBEAT_STALE_MS) } } });
    workers = beats.length;
    lastBeat = beats.reduce<Date | null>((latest, b) => (!latest || b.beatAt > latest ? b.beatAt : latest), null);
    bufferedResults = beats.reduce((sum, b) => sum + b.bufferDepth, 0);
    droppedResults = beats.reduce((sum, b) => sum + Number(b.droppedResults), 0);
  }
  const heartbeatAgeMs = lastBeat ? Math.max(0, now.getTime() - lastBeat.getTime()) : null;
  const worker = { running: workers > 0, lastBeatAt: lastBeat?.toISOString() ?? null, heartbeatAgeMs, workers, bufferedResults, droppedResults };
  const redisOk = !redis.configured || redis.ok;
  const status = !database.ok ? "down" : !redisOk || !worker.running || droppedResults > 0 ? "degraded" : "ok";
  return { status, database: { kind, ...database }, redis, worker, time: now.toISOString() };
}
