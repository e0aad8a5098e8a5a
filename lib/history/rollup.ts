import type { PrismaClient } from "../generated/prisma/client";
import { BUCKET_SQL } from "./histogram";

// Minute rollups are recomputed from raw rows for the minutes marked dirty by the batch writer (claimed by
// deleting their marks in the same statement), and hour rollups from the minute rollups of the hours
// touched. Recomputing (rather than adding) keeps both idempotent: a repeated or concurrent run, or a late
// result, never double counts. Latency fields and histograms cover successful checks only: a timed-out
// check has no meaningful response time.

export type RollupResult = { minutes: number; hours: number };

// Two statements, not one: the DELETE waits for any writer holding a mark it claims (the writer locks its
// marks), and the aggregation that follows takes a fresh snapshot, so it sees that writer's rows.
const CLAIM_SQL = `DELETE FROM "rollup_dirty" WHERE "minute" <= $1::timestamptz RETURNING "component_id", "minute"`;

const MINUTE_SQL = `
WITH dirty AS (
  SELECT c AS "component_id", m AS "minute" FROM unnest($1::text[], $2::timestamptz[]) AS x(c, m)
), raw AS (
  -- One range scan over the span of the dirty minutes (partitions pruned at run time), then a hash join
  -- on (component, minute): far cheaper than a range probe per dirty minute.
  SELECT r."component_id", d."minute" AS bucket, r."ok", r."latency_ms"
  FROM "probe_result" r JOIN dirty d ON d."component_id" = r."component_id" AND d."minute" = date_trunc('minute', r."checked_at")
  WHERE r."checked_at" >= (SELECT min("minute") FROM dirty)
    AND r."checked_at" < (SELECT max("minute") FROM dirty) + interval '1 minute'
), agg AS (
  SELECT "component_id", bucket, count(*) AS count, count(*) FILTER (WHERE NOT "ok") AS failures,
    coalesce(sum("latency_ms") FILTER (WHERE "ok"), 0) AS sum_ms,
    min("latency_ms") FILTER (WHERE "ok") AS min_ms, max("latency_ms") FILTER (WHERE "ok") AS max_ms
  FROM raw GROUP BY 1, 2
), hist AS (
  SELECT "component_id", bucket, array_agg(b ORDER BY b) AS idx, array_agg(n ORDER BY b) AS counts
  FROM (SELECT "component_id", bucket, ${BUCKET_SQL('"latency_ms"')} AS b, count(*)::bigint AS n FROM raw WHERE "ok" GROUP BY 1, 2, 3) h
  GROUP BY 1, 2
)
INSERT INTO "rollup_minute" ("component_id", "bucket", "count", "failures", "sum_ms", "min_ms", "max_ms", "hist_idx", "hist_counts")
SELECT a."component_id", a.bucket, a.count, a.failures, a.sum_ms, a.min_ms, a.max_ms,
  coalesce(h.idx, '{}'::smallint[]), coalesce(h.counts, '{}'::bigint[])
FROM agg a LEFT JOIN hist h ON h."component_id" = a."component_id" AND h.bucket = a.bucket
ON CONFLICT ("component_id", "bucket") DO UPDATE SET
  "count" = EXCLUDED."count", "failures" = EXCLUDED."failures", "sum_ms" = EXCLUDED."sum_ms",
  "min_ms" = EXCLUDED."min_ms", "max_ms" = EXCLUDED."max_ms", "hist_idx" = EXCLUDED."hist_idx", "hist_counts" = EXCLUDED."hist_counts"
RETURNING "component_id", "bucket"`;

const HOUR_SQL = `
WITH hours AS (
  SELECT DISTINCT c AS "component_id", date_trunc('hour', b) AS hour FROM unnest($1::text[], $2::timestamptz[]) AS x(c, b)
), m AS (
  SELECT m.*, h.hour FROM hours h JOIN "rollup_minute" m
    ON m."component_id" = h."component_id" AND m."bucket" >= h.hour AND m."bucket" < h.hour + interval '1 hour'
), agg AS (
  SELECT "component_id", hour, sum("count")::bigint AS count, sum("failures")::bigint AS failures, sum("sum_ms") AS sum_ms,
    min("min_ms") AS min_ms, max("max_ms") AS max_ms
  FROM m GROUP BY 1, 2
), hist AS (
  SELECT "component_id", hour, array_agg(b ORDER BY b) AS idx, array_agg(n ORDER BY b) AS counts
  FROM (SELECT m."component_id", m.hour, u.b, sum(u.n)::bigint AS n FROM m, unnest(m."hist_idx", m."hist_counts") AS u(b, n) GROUP BY 1, 2, 3) x
  GROUP BY 1, 2
)
INSERT INTO "rollup_hour" ("component_id", "bucket", "count", "failures", "sum_ms", "min_ms", "max_ms", "hist_idx", "hist_counts")
SELECT a."component_id", a.hour, a.count, a.failures, a.sum_ms, a.min_ms, a.max_ms,
  coalesce(h.idx, '{}'::smallint[]), coalesce(h.counts, '{}'::bigint[])
FROM agg a LEFT JOIN hist h ON h."component_id" = a."component_id" AND h.hour = a.hour
ON CONFLICT ("component_id", "bucket") DO UPDATE SET
  "count" = EXCLUDED."count", "failures" = EXCLUDED."failures", "sum_ms" = EXCLUDED."sum_ms",
  "min_ms" = EXCLUDED."min_ms", "max_ms" = EXCLUDED."max_ms", "hist_idx" = EXCLUDED."hist_idx", "hist_counts" = EXCLUDED."hist_counts"`;

/** Rolls up every dirty minute up to `now` (the current minute too: it is simply recomputed later). */
export async function runRollups(prisma: PrismaClient, now: Date): Promise<RollupResult> {
  return prisma.$transaction(
    async (tx) => {
      // Fresh day partitions have no statistics yet; the planner then guesses one row and picks nested
      // loops that take seconds on a large catch-up. Hash joins are right for every size this runs at.
      await tx.$executeRawUnsafe("SET LOCAL enable_nestloop = off");
      const claimed = await tx.$queryRawUnsafe<{ component_id: string; minute: Date }[]>(CLAIM_SQL, now.toISOString());
      if (claimed.length === 0) return { minutes: 0, hours: 0 };
      const minutes = await tx.$queryRawUnsafe<{ component_id: string; bucket: Date }[]>(
        MINUTE_SQL,
        claimed.map((c) => c.component_id),
        claimed.map((c) => new Date(c.minute).toISOString()),
      );
      if (minutes.length === 0) return { minutes: 0, hours: 0 };
      const hours = await tx.$executeRawUnsafe(
        HOUR_SQL,
        minutes.map((m) => m.component_id),
        minutes.map((m) => new Date(m.bucket).toISOString()),
      );
      return { minutes: minutes.length, hours };
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}

/** Minute rollups older than their retention are deleted (hour rollups are kept). */
export async function pruneMinuteRollups(prisma: PrismaClient, retentionMs: number, now: Date): Promise<number> {
  return prisma.$executeRawUnsafe(
    `DELETE FROM "rollup_minute" WHERE "bucket" < $1::timestamptz`,
    new Date(now.getTime() - retentionMs).toISOString(),
  );
}
