import { getPrisma } from "../db/client";
import type { TDatabaseOutage } from "../db/outage";
import { getWorkerSummary, type WorkerSummary } from "./workers";

export type TOutageView = {
  /** The earliest sign of the outage: this process's first failed ping, or a worker's first failed write after it last answered. */
  since: string;
  error: string;
  lastOkAt: string | null;
  /** The workers as their own heartbeats say (a file, Redis): read without the database. */
  workers: WorkerSummary;
  checkedAt: string;
};

/** What the outage page shows: since when, why, and what the workers' heartbeats say meanwhile. */
export async function getDatabaseOutageView(outage: TDatabaseOutage, now = new Date()): Promise<TOutageView> {
  const workers = await getWorkerSummary(getPrisma(), now, { databaseDown: true });
  const candidates = [outage.since, workers.writesFailingSince]
    .filter((t): t is string => t !== null)
    // A failure a worker saw before this process last got an answer is an older episode, not this one.
    .filter((t) => outage.lastOkAt === null || Date.parse(t) >= Date.parse(outage.lastOkAt));
  const since = candidates.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a), outage.since);
  return { since, error: outage.error, lastOkAt: outage.lastOkAt, workers, checkedAt: now.toISOString() };
}
