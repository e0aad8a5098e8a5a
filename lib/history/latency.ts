import type { PrismaClient } from "../generated/prisma/client";
import { histogramFromColumns, quantile } from "./histogram";

export type LatencyStats = {
  count: number;
  failures: number;
  /** Latency figures cover successful checks only; null when there were none. */
  avgMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Which rollups answered: minutes for windows up to two days, hours (with minute edges) beyond. */
  source: "minute" | "hour";
};

const HOUR_MS = 3_600_000;
const MINUTE_WINDOW_LIMIT_MS = 2 * 86_400_000;

type Row = {
  count: bigint | number | null;
  failures: bigint | number | null;
  sum_ms: number | null;
  min_ms: number | null;
  max_ms: number | null;
  idx: number[] | null;
  counts: (bigint | number | string)[] | null;
};

/**
 * Latency and failure counts of one component over [from, to), from the rollups: a 30-day window reads
 * ~720 hour rows plus at most ~120 minute rows at its edges, never raw results. Histograms are merged in
 * SQL, percentiles computed here from the merged histogram (within 0.5 % of the exact value).
 */
export async function getLatencyStats(
  prisma: PrismaClient,
  componentId: string,
  from: Date,
  to: Date,
): Promise<LatencyStats> {
  const useHours = to.getTime() - from.getTime() > MINUTE_WINDOW_LIMIT_MS;
  // Whole hours inside the window come from hour rows; the partial hours at either edge from minute rows.
  const hourStart = useHours ? new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS) : to;
  const hourEnd = useHours ? new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS) : to;
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    `WITH parts AS (
       SELECT "count", "failures", "sum_ms", "min_ms", "max_ms", "hist_idx", "hist_counts" FROM "rollup_hour"
         WHERE "component_id" = $1 AND "bucket" >= $4::timestamptz AND "bucket" < $5::timestamptz
       UNION ALL
       SELECT "count", "failures", "sum_ms", "min_ms", "max_ms", "hist_idx", "hist_counts" FROM "rollup_minute"
         WHERE "component_id" = $1 AND "bucket" >= $2::timestamptz AND "bucket" < $3::timestamptz
           AND NOT ("bucket" >= $4::timestamptz AND "bucket" < $5::timestamptz)
     ), hist AS (
       SELECT u.b, sum(u.n)::bigint AS n FROM parts, unnest(parts."hist_idx", parts."hist_counts") AS u(b, n) GROUP BY u.b
     )
     SELECT (SELECT sum("count") FROM parts) AS count, (SELECT sum("failures") FROM parts) AS failures,
            (SELECT sum("sum_ms") FROM parts) AS sum_ms, (SELECT min("min_ms") FROM parts) AS min_ms,
            (SELECT max("max_ms") FROM parts) AS max_ms,
            (SELECT array_agg(b ORDER BY b) FROM hist) AS idx, (SELECT array_agg(n ORDER BY b) FROM hist) AS counts`,
    componentId,
    from.toISOString(),
    to.toISOString(),
    hourStart.toISOString(),
    hourEnd.toISOString(),
  );
  const row = rows[0];
  const count = Number(row?.count ?? 0);
  const failures = Number(row?.failures ?? 0);
  const histogram = histogramFromColumns(row?.idx ?? [], row?.counts ?? []);
  const successes = count - failures;
  return {
    count,
    failures,
    avgMs: successes > 0 && row?.sum_ms != null ? row.sum_ms / successes : null,
    minMs: row?.min_ms ?? null,
    maxMs: row?.max_ms ?? null,
    p50Ms: quantile(histogram, 0.5),
    p95Ms: quantile(histogram, 0.95),
    p99Ms: quantile(histogram, 0.99),
    source: useHours ? "hour" : "minute",
  };
}
