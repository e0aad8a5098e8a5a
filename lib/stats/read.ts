import { histogramFromColumns, type SparseHistogram } from "../history/histogram";
import type { TQueryContext } from "../queries/context";

// The merged latency histogram of one component over a window, for the regression check: its baseline (the window of
// the last signed release) may be weeks old, so unlike getLatencyStats it never depends on minute rows for the bulk:
// whole hours always come from rollup_hour (kept for good), and only the partial hours at either edge from
// rollup_minute (kept for history.minuteRollupRetention, 90 days by default). A window older than that retention
// loses its edge minutes, at most two partial hours; the whole hours are still there.
//
// Rows are taken by their bucket start: a minute row counts when its minute starts in [from, to), so a window is
// effectively [from rounded up to the minute, to rounded up to the minute). Hour rows are recomputed from minute rows
// on every rollup, so the current (incomplete) hour's row holds exactly the minutes rolled up so far.

const HOUR_MS = 3_600_000;

// $1 component, $2/$3 the window, $4/$5 its whole hours. Where the window lies inside one hour, $4 > $5: no hour rows,
// and the NOT (...) excludes no minute. Merged in SQL, so one row per bucket comes back, never one per rollup row.
const SQL = `
WITH parts AS (
  SELECT "hist_idx", "hist_counts" FROM "rollup_hour"
    WHERE "component_id" = $1 AND "bucket" >= $4::timestamptz AND "bucket" < $5::timestamptz
  UNION ALL
  SELECT "hist_idx", "hist_counts" FROM "rollup_minute"
    WHERE "component_id" = $1 AND "bucket" >= $2::timestamptz AND "bucket" < $3::timestamptz
      AND NOT ("bucket" >= $4::timestamptz AND "bucket" < $5::timestamptz)
), hist AS (
  SELECT u.b, sum(u.n)::bigint AS n FROM parts, unnest(parts."hist_idx", parts."hist_counts") AS u(b, n) GROUP BY u.b
)
SELECT array_agg(b ORDER BY b) AS idx, array_agg(n ORDER BY b) AS counts FROM hist`;

type Row = { idx: number[] | null; counts: (bigint | number | string)[] | null };

export type TLatencyWindow = { componentId: string; from: Date; to: Date };

/**
 * Latency histogram of the successful probes of one component over [from, to), from the rollups (one query).
 * Empty when nothing was recorded; throws RangeError when `to` is before `from`.
 */
export async function getLatencyHistogram(
  { prisma }: Pick<TQueryContext, "prisma">,
  { componentId, from, to }: TLatencyWindow,
): Promise<SparseHistogram> {
  if (!(to.getTime() >= from.getTime())) {
    throw new RangeError(`window must not end before it starts: ${from.toISOString()} .. ${to.toISOString()}`);
  }
  const hourStart = new Date(Math.ceil(from.getTime() / HOUR_MS) * HOUR_MS);
  const hourEnd = new Date(Math.floor(to.getTime() / HOUR_MS) * HOUR_MS);
  const rows = await prisma.$queryRawUnsafe<Row[]>(
    SQL,
    componentId,
    from.toISOString(),
    to.toISOString(),
    hourStart.toISOString(),
    hourEnd.toISOString(),
  );
  const row = rows[0];
  return histogramFromColumns(row?.idx ?? [], row?.counts ?? []);
}
