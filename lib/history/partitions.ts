import type { PrismaClient } from "../generated/prisma/client";

// Raw results live in one partition per UTC day (probe_result_pYYYYMMDD). Partitions are created ahead of
// time by the worker's maintenance loop (and on demand when a late result needs an older day), and
// retention drops whole partitions: no bulk DELETE, no table bloat.

const DAY_MS = 86_400_000;
type Db = Pick<PrismaClient, "$executeRawUnsafe" | "$queryRawUnsafe">;

export function dayStart(at: Date | number): number {
  const t = typeof at === "number" ? at : at.getTime();
  return Math.floor(t / DAY_MS) * DAY_MS;
}

export function partitionName(day: number): string {
  return `probe_result_p${new Date(day).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

function isDuplicate(error: unknown): boolean {
  const text = String((error as { message?: string }).message ?? error);
  return /already exists|42P07|would overlap/.test(text);
}

/** Creates the partition of every day from `from` to `to` (inclusive) that does not exist yet. */
export async function ensurePartitions(db: Db, from: Date | number, to: Date | number): Promise<string[]> {
  const existing = new Set(await listPartitions(db));
  const created: string[] = [];
  for (let day = dayStart(from); day <= dayStart(to); day += DAY_MS) {
    const name = partitionName(day);
    if (existing.has(name)) continue;
    try {
      await db.$executeRawUnsafe(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "probe_result" FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + DAY_MS).toISOString()}')`,
      );
      created.push(name);
    } catch (error) {
      // Another worker created it between our look and our CREATE.
      if (!isDuplicate(error)) throw error;
    }
  }
  return created;
}

export async function listPartitions(db: Db): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"probe_result"'::regclass ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Drops every day partition that ends at or before `now - retentionMs`. */
export async function dropExpiredPartitions(db: Db, retentionMs: number, now: Date): Promise<string[]> {
  const cutoff = now.getTime() - retentionMs;
  const dropped: string[] = [];
  for (const name of await listPartitions(db)) {
    const match = /^probe_result_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!match) continue;
    const dayEnd = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS;
    if (dayEnd <= cutoff) {
      await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
      dropped.push(name);
    }
  }
  return dropped;
}

/** True for PostgreSQL's "no partition of relation found for row" (23514 on a partitioned table). */
export function isMissingPartitionError(error: unknown): boolean {
  return /no partition of relation/.test(String((error as { message?: string }).message ?? error));
}
