import { BUCKET_SQL, bucketBounds, bucketIndex } from "../history/histogram";
import { clipInterval, totalLength, unionIntervals, type Interval } from "../monitor/intervals";
import { maintenanceIntervals } from "../monitor/maintenance";
import type { TQueryContext } from "../queries/context";
import {
  BURN_WINDOWS,
  budgetPointTimes,
  DAY_MS,
  formatWindow,
  slowWindowStart,
  type TBurnWindow,
  type TSloAmounts,
} from "./compute";
import { minuteZoneStart, readRanges } from "./latency-ranges";
import { componentsOf, describeTarget, type TLatencySlo, type TSloMeasurement } from "./measurement";

// Latency SLIs from the rollups, never raw rows: every latency SLO at once in one statement, which returns one row
// per SLO. Good = a successful probe whose latency is under the threshold; a failed probe is bad (it delivered no
// timely answer, and a timeout is longer than any threshold). The histogram bucket that holds the threshold counts
// as bad: its samples lie within 1 % below or above it, and counting them good could only ever flatter the SLI.
// Which rows are read, maintenance left out, is decided beforehand (latency-ranges.ts).
//
// The statement sums good and total per SLO and per chart day; days are counted in 24 h steps from where the 3 d
// burn window starts (its first whole hour: the hour rows it crosses cannot be split), so the 3 d window and the
// whole window are sums of days, and only the minute rows of the last hours need the 5 m .. 6 h sums.

/**
 * Good results of one rollup row `r` for its SLO's threshold bucket `x.thr`. Most rows lie wholly on one side of the
 * threshold (by their min and max) and never open their histogram; the rest subtract the tail at or above the
 * threshold's bucket, usually a few entries (width_bucket finds where it starts by binary search). `x.below` and
 * `x.above` bracket the bucket's lower edge so closely that a value outside them is on its side for certain, so
 * BUCKET_SQL's logarithm (which decides the values in between exactly as the rollups did) is rarely taken.
 */
const TAIL_AT = "width_bucket((x.thr - 1)::smallint, r.hist_idx)";
const tailEntry = (i: number) => `coalesce(r.hist_counts[${TAIL_AT} + ${i}], 0)`;
const GOOD = `(CASE
    WHEN r.max_ms IS NULL THEN 0
    WHEN r.max_ms < x.below THEN r.count - r.failures
    WHEN r.min_ms >= x.above THEN 0
    WHEN ${BUCKET_SQL("r.max_ms")} < x.thr THEN r.count - r.failures
    WHEN ${BUCKET_SQL("r.min_ms")} >= x.thr THEN 0
    -- A tail of up to four entries is subtracted element by element: far cheaper than a subquery per row.
    WHEN cardinality(r.hist_idx) - ${TAIL_AT} <= 4
      THEN r.count - r.failures - ${[1, 2, 3, 4].map(tailEntry).join(" - ")}
    ELSE r.count - r.failures - (SELECT coalesce(sum(t), 0) FROM unnest(r.hist_counts[${TAIL_AT} + 1:]) AS t)
  END)::float8`;

const SCORED = (table: "rollup_hour" | "rollup_minute", hourly: boolean) => `
  SELECT x.k, r.bucket, floor(date_part('epoch', r.bucket - $2::timestamptz) / 86400)::int AS day,
    r.count::float8 AS n, ${GOOD} AS good
  FROM ranges x JOIN "${table}" r ON r."component_id" = x.c AND r.bucket >= x.lo AND r.bucket < x.hi
  WHERE x.hourly = ${hourly}`;

/** The burn windows that lie in the minute rows, in this order in the statement ($3..$6). */
const SHORT_WINDOWS = ["5m", "30m", "1h", "6h"] as const satisfies readonly TBurnWindow[];
const WINDOW_SUMS = SHORT_WINDOWS.map((_, i) => {
  const since = `bucket >= $${i + 3}::timestamptz`;
  return `sum(good) FILTER (WHERE ${since}) AS g${i}, sum(n) FILTER (WHERE ${since}) AS n${i}`;
}).join(",\n    ");
const WINDOW_COLUMNS = SHORT_WINDOWS.map((_, i) => `coalesce(w.g${i}, 0) AS g${i}, coalesce(w.n${i}, 0) AS n${i}`).join(
  ", ",
);

// $1: the ranges to read, each with its SLO (k), component and threshold; $2: where the 3 d window starts;
// $3..$6: where the short burn windows start; $7: where the minute rows of the last hours start.
const SQL = `
WITH ranges AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS x(k int, c text, thr int, below float8, above float8, hourly boolean, lo timestamptz, hi timestamptz)
), minutes AS (${SCORED("rollup_minute", false)}
), daily AS (
  SELECT k, day, sum(good) AS good, sum(n) AS n FROM (
    SELECT k, day, good, n FROM (${SCORED("rollup_hour", true)}) h
    UNION ALL SELECT k, day, good, n FROM minutes
  ) rows GROUP BY k, day
), windows AS (
  SELECT k, ${WINDOW_SUMS} FROM minutes WHERE bucket >= $7::timestamptz GROUP BY k
)
SELECT d.k, d.days, d.good, d.n, ${WINDOW_COLUMNS}
FROM (SELECT k, array_agg(day ORDER BY day) AS days, array_agg(good ORDER BY day) AS good,
        array_agg(n ORDER BY day) AS n
      FROM daily GROUP BY k) d
LEFT JOIN windows w ON w.k = d.k`;

type TRow = { k: number; days: number[]; good: number[]; n: number[] } & Record<string, unknown>;

/** One (SLO, component) pair; `maintenance` is clipped to the SLO's window and disjoint. */
type TPair = { k: number; component: string; maintenance: Interval[] };

/** Far wider than the 1e-11 by which BUCKET_SQL's nudge moves an edge, far narrower than a bucket (1 %). */
const EDGE_MARGIN = 1e-6;
/** Lower edge of the histogram bucket that holds the threshold: values below it are under the threshold for sure. */
const edgeOf = (thresholdMs: number) => bucketBounds(bucketIndex(thresholdMs)).lower;

export async function measureLatency(ctx: TQueryContext, slos: readonly TLatencySlo[]) {
  const out = new Map<string, TSloMeasurement>();
  if (slos.length === 0) return out;
  const now = ctx.now.getTime();
  const allIds = ctx.config.components.map((c) => c.id);
  const pairs: TPair[] = [];
  slos.forEach((slo, k) =>
    componentsOf(slo, allIds).forEach((component) => {
      const range = { start: now - slo.window, end: now };
      const maintenance = unionIntervals(
        maintenanceIntervals(ctx.config.maintenance, component, range, { uptimeOnly: true })
          .map((m) => clipInterval(m, range))
          .filter((m): m is Interval => m !== null),
      );
      pairs.push({ k, component, maintenance });
    }),
  );
  const rows = await queryRows(ctx, slos, pairs);
  const byK = new Map(rows.map((row) => [Number(row.k), row]));
  slos.forEach((slo, k) =>
    out.set(
      slo.id,
      toMeasurement(
        ctx,
        slo,
        pairs.filter((p) => p.k === k),
        byK.get(k),
      ),
    ),
  );
  return out;
}

async function queryRows(ctx: TQueryContext, slos: readonly TLatencySlo[], pairs: TPair[]): Promise<TRow[]> {
  const now = ctx.now.getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const ranges = pairs.flatMap(({ k, component, maintenance }) => {
    const slo = slos[k] as TLatencySlo;
    const { thresholdMs } = slo.sli;
    const edge = edgeOf(thresholdMs);
    const pair = {
      k,
      c: component,
      thr: bucketIndex(thresholdMs),
      below: edge * (1 - EDGE_MARGIN),
      above: edge * (1 + EDGE_MARGIN),
    };
    const { hours, minutes } = readRanges(now - slo.window, now, maintenance);
    const row = (hourly: boolean) => (r: Interval) => ({ ...pair, hourly, lo: iso(r.start), hi: iso(r.end) });
    return [...hours.map(row(true)), ...minutes.map(row(false))];
  });
  // Each range is one index range scan of the rollup's primary key, which the planner, misled by the JSON's row
  // estimates, would rather hash-join against the whole table. And the statement's estimated cost passes the JIT
  // threshold, while compiling it takes longer than running it.
  const [, rows] = await ctx.prisma.$transaction([
    ctx.prisma.$queryRawUnsafe(
      `SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),
              set_config('jit', 'off', true)`,
    ),
    ctx.prisma.$queryRawUnsafe<TRow[]>(
      SQL,
      JSON.stringify(ranges),
      iso(slowWindowStart(now)),
      ...SHORT_WINDOWS.map((name) => iso(now - BURN_WINDOWS[name])),
      iso(minuteZoneStart(now)),
    ),
  ]);
  return rows;
}

function toMeasurement(ctx: TQueryContext, slo: TLatencySlo, pairs: TPair[], row: TRow | undefined): TSloMeasurement {
  const now = ctx.now.getTime();
  const amounts = (good: number, n: number): TSloAmounts => ({ good, bad: n - good, unknown: 0 });
  const days = (row?.days ?? []).map((day, i) => ({
    day: Number(day),
    ...amounts(Number(row?.good[i] ?? 0), Number(row?.n[i] ?? 0)),
  }));
  const sumDays = (from: number): TSloAmounts => {
    const total = { good: 0, bad: 0, unknown: 0 };
    for (const d of days.filter((d) => d.day >= from)) {
      total.good += d.good;
      total.bad += d.bad;
    }
    return total;
  };
  const burn = { "3d": sumDays(0) } as Record<TBurnWindow, TSloAmounts>;
  SHORT_WINDOWS.forEach((name, i) => {
    burn[name] = amounts(Number(row?.[`g${i}`] ?? 0), Number(row?.[`n${i}`] ?? 0));
  });
  const window = sumDays(Number.NEGATIVE_INFINITY);
  const windowStart = now - slo.window;
  const anchor = slowWindowStart(now);
  // A point at t has every chart day that ended by t (days are counted from the 3 d window's start).
  const points = budgetPointTimes(windowStart, now).map((t) => {
    if (t === windowStart) return { t, badSoFar: 0, knownSoFar: 0 };
    if (t === now) return { t, badSoFar: window.bad, knownSoFar: window.good + window.bad };
    const before = Math.round((t - anchor) / DAY_MS);
    const earlier = days.filter((d) => d.day < before);
    return {
      t,
      badSoFar: earlier.reduce((sum, d) => sum + d.bad, 0),
      knownSoFar: earlier.reduce((sum, d) => sum + d.good + d.bad, 0),
    };
  });
  return {
    unit: "events",
    window,
    burn,
    coverage: latencyCoverage(ctx, slo, pairs, window.good + window.bad),
    points,
    source:
      `probe latency histograms (hour and minute rollups) of ${describeTarget(slo, pairs.length)}, ` +
      `results under ${formatWindow(slo.sli.thresholdMs)}, ${formatWindow(slo.window)} rolling`,
    reason: null,
  };
}

/**
 * Results as a share of those the probe interval should have produced outside maintenance: a histogram has no
 * unknown time, so this stands for it. Capped at 1 (a probe-now adds results).
 */
function latencyCoverage(ctx: TQueryContext, slo: TLatencySlo, pairs: TPair[], results: number): number {
  let expected = 0;
  for (const pair of pairs) {
    const component = ctx.config.components.find((c) => c.id === pair.component);
    if (component) expected += Math.max(0, slo.window - totalLength(pair.maintenance)) / component.interval;
  }
  return expected > 0 ? Math.min(1, results / expected) : 0;
}
