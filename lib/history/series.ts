import type { PrismaClient } from "../generated/prisma/client";
import { histogramFromColumns, mergeAllHistograms, quantile, type SparseHistogram } from "./histogram";

// Latency over time for charts, and the same figures for many components at once for the overview: both
// from the rollups, grouped into chart buckets here (a few hundred rows at most per component).

export type SeriesPoint = {
  t: string;
  count: number;
  failures: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
};
export type WindowStats = {
  count: number;
  failures: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  avgMs: number | null;
};

type RollupRow = {
  component_id: string;
  bucket: Date;
  count: bigint | number;
  failures: bigint | number;
  sum_ms: number;
  hist_idx: number[];
  hist_counts: (bigint | number | string)[];
};

const HOUR_MS = 3_600_000;

async function readRollups(
  prisma: PrismaClient,
  ids: string[],
  from: Date,
  to: Date,
  table: "rollup_minute" | "rollup_hour",
): Promise<RollupRow[]> {
  return prisma.$queryRawUnsafe<RollupRow[]>(
    `SELECT "component_id", "bucket", "count", "failures", "sum_ms", "hist_idx", "hist_counts" FROM "${table}"
     WHERE "component_id" = ANY($1::text[]) AND "bucket" >= $2::timestamptz AND "bucket" < $3::timestamptz ORDER BY "bucket"`,
    ids,
    from.toISOString(),
    to.toISOString(),
  );
}

function summarise(rows: RollupRow[]): WindowStats {
  const histogram: SparseHistogram = mergeAllHistograms(
    rows.map((r) => histogramFromColumns(r.hist_idx, r.hist_counts)),
  );
  const count = rows.reduce((n, r) => n + Number(r.count), 0);
  const failures = rows.reduce((n, r) => n + Number(r.failures), 0);
  const sum = rows.reduce((n, r) => n + r.sum_ms, 0);
  return {
    count,
    failures,
    p50Ms: quantile(histogram, 0.5),
    p95Ms: quantile(histogram, 0.95),
    p99Ms: quantile(histogram, 0.99),
    avgMs: count - failures > 0 ? sum / (count - failures) : null,
  };
}

/** Chart buckets for a window: ~60 to 120 points whatever its length. */
export function chartBucketMs(windowMs: number): number {
  if (windowMs <= 2 * HOUR_MS) return 60_000;
  if (windowMs <= 2 * 24 * HOUR_MS) return 15 * 60_000;
  if (windowMs <= 8 * 24 * HOUR_MS) return HOUR_MS;
  return 6 * HOUR_MS;
}

/** p50/p95/p99 per chart bucket over [from, to): minute rollups for short windows, hour rollups beyond a day. */
export async function getLatencySeries(
  prisma: PrismaClient,
  componentId: string,
  from: Date,
  to: Date,
): Promise<SeriesPoint[]> {
  const windowMs = to.getTime() - from.getTime();
  const bucketMs = chartBucketMs(windowMs);
  const table = bucketMs < HOUR_MS ? "rollup_minute" : "rollup_hour";
  const start = Math.floor(from.getTime() / bucketMs) * bucketMs;
  const rows = await readRollups(prisma, [componentId], new Date(start), to, table);
  const groups = new Map<number, RollupRow[]>();
  for (const row of rows) {
    const key = Math.floor(new Date(row.bucket).getTime() / bucketMs) * bucketMs;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const points: SeriesPoint[] = [];
  for (let t = start; t < to.getTime(); t += bucketMs) {
    const group = groups.get(t);
    const stats = group ? summarise(group) : null;
    points.push({
      t: new Date(t).toISOString(),
      count: stats?.count ?? 0,
      failures: stats?.failures ?? 0,
      p50: stats?.p50Ms ?? null,
      p95: stats?.p95Ms ?? null,
      p99: stats?.p99Ms ?? null,
    });
  }
  return points;
}

/**
 * The last 24 h of many components in one query: window figures and an hourly p95 sparkline each.
 * Reads hour rollups only (24 rows per component), the current hour included (it is recomputed as its
 * minutes arrive).
 */
export async function getDayOverview(
  prisma: PrismaClient,
  ids: string[],
  now: Date,
): Promise<Map<string, { stats: WindowStats; sparkline: (number | null)[] }>> {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const start = end - 24 * HOUR_MS;
  const rows = await readRollups(prisma, ids, new Date(start), new Date(end), "rollup_hour");
  const byComponent = new Map<string, RollupRow[]>();
  for (const row of rows) byComponent.set(row.component_id, [...(byComponent.get(row.component_id) ?? []), row]);
  const out = new Map<string, { stats: WindowStats; sparkline: (number | null)[] }>();
  for (const id of ids) {
    const own = byComponent.get(id) ?? [];
    const byHour = new Map(own.map((r) => [new Date(r.bucket).getTime(), r]));
    const sparkline = Array.from({ length: 24 }, (_, i) => {
      const row = byHour.get(start + i * HOUR_MS);
      return row ? quantile(histogramFromColumns(row.hist_idx, row.hist_counts), 0.95) : null;
    });
    out.set(id, { stats: summarise(own), sparkline });
  }
  return out;
}
