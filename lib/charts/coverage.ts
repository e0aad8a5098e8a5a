import { formatDuration } from "../format";

// How much of a chart's window its data covers, and what the chart should draw and say about it. A chart that holds
// four minutes of a 30-day window draws those four minutes (not a sliver at the right edge, nor two points stretched
// into a flat line across a month) and says "collecting: 4m of 30d". Pure: no React, no clock of its own.

export type TCoverageState = "empty" | "partial" | "full";

export type TCoverageInput = {
  /** The window the chart is meant to show (30 days, 24 hours). */
  windowMs: number;
  /** Times (ms since the epoch) of the points that carry a value, in any order. */
  times: readonly number[];
  /** The end of the window (now, or the end of the last bucket); without it, the end of the last point. */
  end?: number | null;
  /** When the thing was first observed, if the caller knows: data may start before the first point with a value. */
  firstObservedAt?: number | null;
  /** How long one point vouches for (a chart bucket): a point at t covers [t, t + bucketMs). Default 0. */
  bucketMs?: number;
  /** Data starting at most this long after the window's start covers the window. Default `bucketMs`. */
  slackMs?: number;
  /** The window's name in the label ("30d", "24h"); default its compact duration. */
  windowLabel?: string;
};

export type TCoverage = {
  state: TCoverageState;
  /** Points with a value. */
  points: number;
  windowMs: number;
  /** From the first observation to the window's end, at most the window. */
  coveredMs: number;
  /** coveredMs / windowMs, 0..1. */
  ratio: number;
  /** The x-axis domain: the span the data has while collecting, the whole window once covered; null with no data. */
  domain: [number, number] | null;
  /** "collecting: 4m of 30d" (", 1 point so far" with a single point); "1 point in 30d" for a covered window with one point; null otherwise. */
  label: string | null;
  /** A single point: drawn as a dot (a line needs two). */
  single: boolean;
};

/** The least a domain spans, so a lone point is not drawn on a zero-width axis. */
const MIN_SPAN_MS = 60_000;

/** The shared duration formatter without its zero tail: "4m", "30d", "2h 5m" (never "30d 0h"). */
export function formatCompactDuration(ms: number): string {
  return formatDuration(Math.max(0, ms)).replace(/ 0[dhms]$/, "");
}

export function chartCoverage(input: TCoverageInput): TCoverage {
  const { windowMs } = input;
  const bucketMs = Math.max(0, input.bucketMs ?? 0);
  const slackMs = Math.max(0, input.slackMs ?? bucketMs);
  const windowLabel = input.windowLabel ?? formatCompactDuration(windowMs);
  const times = input.times.filter((t) => Number.isFinite(t));
  if (times.length === 0) {
    return {
      state: "empty",
      points: 0,
      windowMs,
      coveredMs: 0,
      ratio: 0,
      domain: null,
      label: `collecting: no data yet of ${windowLabel}`,
      single: false,
    };
  }
  const first = Math.min(...times);
  const last = Math.max(...times);
  const end = input.end ?? last + bucketMs;
  const windowStart = end - windowMs;
  const observed =
    input.firstObservedAt !== null && input.firstObservedAt !== undefined && Number.isFinite(input.firstObservedAt)
      ? Math.min(first, input.firstObservedAt)
      : first;
  const start = Math.max(windowStart, observed);
  const coveredMs = Math.min(windowMs, Math.max(0, end - start));
  const full = start - windowStart <= slackMs;
  const single = times.length === 1;
  let domain: [number, number];
  if (full) {
    domain = [windowStart, Math.max(end, last)];
  } else if (single) {
    // The dot in the middle of a short axis, which still reaches back to the first observation and on to the end.
    const pad = Math.max(bucketMs, MIN_SPAN_MS / 2);
    domain = [Math.min(start, last - pad), Math.max(end, last + pad)];
  } else {
    domain = [start, Math.max(end, last)];
  }
  if (domain[1] - domain[0] < MIN_SPAN_MS) {
    const middle = (domain[0] + domain[1]) / 2;
    domain = [middle - MIN_SPAN_MS / 2, middle + MIN_SPAN_MS / 2];
  }
  const collecting = `collecting: ${coveredMs < 1_000 ? "under 1s" : formatCompactDuration(coveredMs)} of ${windowLabel}`;
  const label = full
    ? single
      ? `1 point in ${windowLabel}`
      : null
    : single
      ? `${collecting}, 1 point so far`
      : collecting;
  return {
    state: full ? "full" : "partial",
    points: times.length,
    windowMs,
    coveredMs,
    ratio: windowMs > 0 ? coveredMs / windowMs : 1,
    domain,
    label,
    single,
  };
}

/** Indexes of values with no value on either side: a line with gaps does not draw them, so they need a dot. */
export function isolatedIndexes(values: readonly (number | null | undefined)[]): Set<number> {
  const known = (i: number) => values[i] !== null && values[i] !== undefined && Number.isFinite(values[i]);
  const out = new Set<number>();
  values.forEach((_, i) => {
    if (known(i) && !known(i - 1) && !known(i + 1)) out.add(i);
  });
  return out;
}

/** The spacing of a regular series (its first step), or 0 with fewer than two points. */
export function seriesStepMs(times: readonly number[]): number {
  const [a, b] = times;
  return a !== undefined && b !== undefined && Number.isFinite(b - a) ? Math.max(0, b - a) : 0;
}
