import type { PrismaClient } from "../generated/prisma/client";

/** A heartbeat older than this is a worker that is gone (stopped, or killed before it could say so). */
const HEARTBEAT_STALE_MS = 30_000;

export type WorkerSummary = {
  running: boolean;
  workers: number;
  lastBeatAt: string | null;
  heartbeatAgeMs: number | null;
  /** Results held in memory because the database could not take them yet. */
  bufferedResults: number;
  /** Results lost to a full buffer since the live workers started: never silent. */
  droppedResults: number;
};

/** The live workers, as their heartbeats report them: one reading for the health API, the pages and /metrics. */
export async function getWorkerSummary(prisma: PrismaClient, now: Date): Promise<WorkerSummary> {
  const beats = await prisma.workerHeartbeat.findMany({ where: { beatAt: { gt: new Date(now.getTime() - HEARTBEAT_STALE_MS) } } });
  const lastBeat = beats.reduce<Date | null>((latest, b) => (!latest || b.beatAt > latest ? b.beatAt : latest), null);
  return {
    running: beats.length > 0,
    workers: beats.length,
    lastBeatAt: lastBeat?.toISOString() ?? null,
    heartbeatAgeMs: lastBeat ? Math.max(0, now.getTime() - lastBeat.getTime()) : null,
    bufferedResults: beats.reduce((sum, b) => sum + b.bufferDepth, 0),
    droppedResults: beats.reduce((sum, b) => sum + Number(b.droppedResults), 0),
  };
}
