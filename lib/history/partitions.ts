import type { PrismaClient } from "../generated/prisma/client";

// Raw results live in one partition per UTC day (probe_result_pYYYYMMDD). Partitions are created ahead of
// time by the worker's maintenance loop (and on demand when a late result needs an older day), and
// retention drops whole partitions: no bulk DELETE, no table bloat. Both go through functions of the schema's
// owner (migration 20261128120000_app_role_privileges): the app's own role owns no table, so it could not.

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
      const [made] = await db.$queryRawUnsafe<{ name: string | null }[]>(
        `SELECT "preflight_create_probe_partition"($1::timestamptz) AS name`,
        new Date(day).toISOString(),
      );
      if (made?.name) created.push(made.name);
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
      const [done] = await db.$queryRawUnsafe<{ dropped: boolean }[]>(
        `SELECT "preflight_drop_probe_partition"($1) AS dropped`,
        name,
      );
      if (done?.dropped) dropped.push(name);
    }
  }
  return dropped;
}

/** True for PostgreSQL's "no partition of relation found for row" (23514 on a partitioned table). */
export function isMissingPartitionError(error: unknown): boolean {
  return /no partition of relation/.test(String((error as { message?: string }).message ?? error));
}
