import type { PrismaClient } from "../generated/prisma/client";
import { HEARTBEAT_STALE_MS, heartbeatStoreFor, type THeartbeat, type THeartbeatStore } from "../heartbeat";

export type WorkerSummary = {
  running: boolean;
  workers: number;
  lastBeatAt: string | null;
  heartbeatAgeMs: number | null;
  /** Results held in memory because the database could not take them yet. */
  bufferedResults: number;
  /** Results lost to a full buffer since the live workers started: never silent. */
  droppedResults: number;
  /** The newest batch any live worker got into the database (ISO); null when none says. */
  lastFlushAt: string | null;
  /** Live workers whose writes fail: they probe and hold the results. */
  buffering: number;
  /** The earliest heartbeat of a live worker that saw its writes failing, while they still fail (ISO). */
  writesFailingSince: string | null;
  /** Where the heartbeats were read: the workers' own store (a file, Redis) and the database, each when it answered. */
  from: ("file" | "redis" | "database")[];
};

type TBeat = Pick<
  THeartbeat,
  "workerId" | "beatAt" | "bufferedResults" | "droppedResults" | "lastFlushAt" | "state" | "writesFailingSince"
>;

/**
 * The live workers, as their heartbeats report them: one reading for the health API, the pages, the outage page and
 * /metrics. The workers' own store is read first and needs no database; the database's rows are added when
 * `prisma` is given and answers (a worker that writes only there still counts). The newest beat of a worker wins.
 */
export async function getWorkerSummary(
  prisma: PrismaClient | null,
  now: Date,
  options: { store?: THeartbeatStore; databaseDown?: boolean } = {},
): Promise<WorkerSummary> {
  const store = options.store ?? (prisma ? heartbeatStoreFor(prisma) : null);
  const [reading, rows] = await Promise.all([
    store ? store.read(now) : null,
    prisma && !options.databaseDown
      ? prisma.workerHeartbeat
          .findMany({ where: { beatAt: { gt: new Date(now.getTime() - HEARTBEAT_STALE_MS) } } })
          .catch(() => null)
      : null,
  ]);
  const beats = new Map<string, TBeat>();
  for (const beat of reading?.beats ?? []) beats.set(beat.workerId, beat);
  for (const row of rows ?? []) {
    const known = beats.get(row.workerId);
    if (known && Date.parse(known.beatAt) >= row.beatAt.getTime()) continue;
    beats.set(row.workerId, {
      workerId: row.workerId,
      beatAt: row.beatAt.toISOString(),
      bufferedResults: row.bufferDepth,
      droppedResults: Number(row.droppedResults),
      lastFlushAt: known?.lastFlushAt ?? null,
      state: known?.state ?? "running",
      writesFailingSince: known?.writesFailingSince ?? null,
    });
  }
  const live = [...beats.values()];
  const pick = (values: (string | null)[], later: boolean) =>
    values.reduce<string | null>(
      (a, b) => (b !== null && (a === null || Date.parse(b) > Date.parse(a) === later) ? b : a),
      null,
    );
  const newest = (values: (string | null)[]) => pick(values, true);
  const lastBeatAt = newest(live.map((b) => b.beatAt));
  const from: WorkerSummary["from"] = [];
  if (reading?.sources.file === "ok") from.push("file");
  if (reading?.sources.redis === "ok") from.push("redis");
  if (rows !== null) from.push("database");
  return {
    running: live.length > 0,
    workers: live.length,
    lastBeatAt,
    heartbeatAgeMs: lastBeatAt ? Math.max(0, now.getTime() - Date.parse(lastBeatAt)) : null,
    bufferedResults: live.reduce((sum, b) => sum + b.bufferedResults, 0),
    droppedResults: live.reduce((sum, b) => sum + b.droppedResults, 0),
    lastFlushAt: newest(live.map((b) => b.lastFlushAt)),
    buffering: live.filter((b) => b.state === "buffering").length,
    writesFailingSince: pick(
      live.map((b) => b.writesFailingSince),
      false,
    ),
    from,
  };
}
