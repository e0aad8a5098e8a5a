import type { TPostDeployment } from "../config/postdeploy-schema";
import { formatComparison, formatDuration, formatLatency, formatPercent } from "../format";
import { formatWindow } from "../slo/compute";
import { watchSpan, type TWatchSpan } from "./span";

// The post-deployment verdict, pure: from when a release was deployed, the time, the `postDeployment:` settings and
// what each watched component's probes measured since, to "watching" (with how it reads so far), "passed", "failed"
// or "not deployed". The reference's criteria (24 h of active monitoring, error rate < 1 %, P95 < 200 ms) are three
// rows per component: error rate, P95 and coverage.
//
// Decisions, each for a reason:
// - Nothing fails before the window is over. The criteria are defined over the whole window, and a cumulative rate
//   can recover (a burst of failures in the first minutes is diluted by a healthy day), so a limit exceeded so far
//   reads "failing so far", naming the component and criterion, and becomes "failed" only at the end. A verdict
//   that is given is never taken back; an operator who wants to roll back acts on "failing so far".
// - Limits are inclusive: an error rate of exactly 1 % meets "≤ 1 %", a P95 of exactly 200 ms meets "≤ 200 ms".
//   The reference writes "< 1 %"; a limit a config states should itself pass, and 1 failure in 100 is not a failure
//   to meet "1 %".
// - Coverage ("active monitoring") is results received over results expected at each component's interval in the
//   elapsed part of the window, capped at 100 %. It is a criterion like the others: a window that ends with too
//   little of it covered has failed (nobody watched), never passed. While watching, coverage below the minimum with
//   no limit exceeded reads "not enough data yet" rather than failing so far: data is still arriving.
// - Never a pass without data: a component with no result has no error rate and no P95, and one with no success has
//   no P95; such a row is not met. A row with no measurement does not make a watch "failing so far" (nothing
//   measured is over its limit), only "not enough data yet"; a component whose every probe failed is failing so far
//   on its error rate.
// - "Failing so far" outranks "not enough data yet": one failure in the first three probes is worth showing at once,
//   even before coverage is reached.

/** Late results (a worker's buffer flushed, rollups every ~15 s) can still change a verdict this soon after the end. */
export const SETTLE_MS = 2 * 60_000;

export type TComponentMeasurement = {
  componentId: string;
  /** Probe results in the measured part of the window, and how many of them failed. */
  count: number;
  failures: number;
  /** 95th percentile latency of the successful probes; null when there were none. */
  p95Ms: number | null;
  /** Results the measured part should hold at the component's interval: elapsed / interval. */
  expectedChecks: number;
};

export type TPostDeployCriterion = "error rate" | "p95" | "coverage";

export type TPostDeployRow = {
  component: string;
  criterion: TPostDeployCriterion;
  /** Percent for error rate and coverage, milliseconds for P95; null when there is nothing to measure. */
  measured: number | null;
  limit: number;
  /** Met; never true without a measurement. */
  ok: boolean;
  /** "error rate 0.4 % (≤ 1 %)", "P95 85 ms (≤ 200 ms)", "monitored 3h 10m of 1d, 99 % covered (≥ 90 %)". */
  text: string;
};

export type TPostDeployComponent = TComponentMeasurement & {
  /** failures / count in percent; null without results. */
  errorRatePct: number | null;
  /** count / expectedChecks in percent, at most 100; null while nothing is expected yet. */
  coveragePct: number | null;
};

export type TPostDeployState = "not deployed" | "watching" | "passed" | "failed";
export type TPostDeployTrend = "passing so far" | "failing so far" | "not enough data yet";

export type TPostDeployVerdict = {
  state: TPostDeployState;
  /** How a watch reads so far; null once it is over (or before it began). */
  trend: TPostDeployTrend | null;
  span: TWatchSpan | null;
  /** Over, and long enough ago that late results can no longer change it: safe to store. */
  settled: boolean;
  components: TPostDeployComponent[];
  rows: TPostDeployRow[];
  /** The rows behind a failure, "failing so far" or "not enough data yet". */
  reasons: TPostDeployRow[];
  summary: string;
};

export type TJudgeInput = {
  /** When the release was marked deployed; null when it has not been. */
  deployedAt: Date | null;
  now: Date;
  settings: TPostDeployment;
  /** One per watched component. */
  measurements: readonly TComponentMeasurement[];
};

export function judgePostDeployment(input: TJudgeInput): TPostDeployVerdict {
  const { deployedAt, now, settings } = input;
  if (!deployedAt)
    return {
      state: "not deployed",
      trend: null,
      span: null,
      settled: false,
      components: [],
      rows: [],
      reasons: [],
      summary: "not deployed",
    };
  const span = watchSpan(deployedAt, now, settings.window);
  const components = input.measurements.map(figuresOf);
  const rows = components.flatMap((c) => rowsOf(c, span, settings));
  const unmet = rows.filter((row) => !row.ok);
  const watched = `${elapsedText(span.elapsedMs)} of ${formatWindow(span.windowMs)}`;
  const listed = (list: TPostDeployRow[]) => list.map((row) => `${row.component}: ${row.text}`).join("; ");

  if (span.over) {
    const settled = now.getTime() >= span.end.getTime() + SETTLE_MS;
    const base = { trend: null, span, settled, components, rows };
    if (rows.length === 0)
      return { ...base, state: "failed", reasons: [], summary: "failed: no component was watched" };
    if (unmet.length > 0) return { ...base, state: "failed", reasons: unmet, summary: `failed: ${listed(unmet)}` };
    return {
      ...base,
      state: "passed",
      reasons: [],
      summary: `passed: every criterion met over ${formatWindow(span.windowMs)}`,
    };
  }

  // Measured and over its limit: the only thing that makes a watch fail so far (see the decisions above).
  const over = unmet.filter((row) => row.criterion !== "coverage" && row.measured !== null);
  const base = { state: "watching" as const, span, settled: false, components, rows };
  if (over.length > 0)
    return {
      ...base,
      trend: "failing so far",
      reasons: over,
      summary: `watching (${watched}): failing so far: ${listed(over)}`,
    };
  if (unmet.length > 0 || rows.length === 0)
    return {
      ...base,
      trend: "not enough data yet",
      reasons: unmet,
      summary: `watching (${watched}): not enough data yet${unmet.length > 0 ? `: ${listed(unmet)}` : ""}`,
    };
  return { ...base, trend: "passing so far", reasons: [], summary: `watching (${watched}): passing so far` };
}

function figuresOf(m: TComponentMeasurement): TPostDeployComponent {
  return {
    ...m,
    // Multiplying before dividing keeps round cases exact: 7 of 700 is 1 %, not 1.0000000000000002 %.
    errorRatePct: m.count > 0 ? (m.failures * 100) / m.count : null,
    // A result or two beyond the expected count (a slot straddling the window's edge, a "probe now") is full cover.
    coveragePct: m.expectedChecks > 0 ? Math.min(100, (m.count * 100) / m.expectedChecks) : null,
  };
}

function rowsOf(c: TPostDeployComponent, span: TWatchSpan, settings: TPostDeployment): TPostDeployRow[] {
  const rateLimit = formatComparison("<=", settings.maxErrorRatePct, "percent");
  const p95Limit = formatComparison("<=", settings.maxP95Ms, "ms");
  const coverLimit = formatComparison(">=", settings.minCoveragePct, "percent");
  const noResults = c.count === 0 ? "no probe results" : "no successful probe";
  const monitored =
    span.elapsedMs === span.windowMs
      ? `monitored all of ${formatWindow(span.windowMs)}`
      : `monitored ${elapsedText(span.elapsedMs)} of ${formatWindow(span.windowMs)}`;
  return [
    {
      component: c.componentId,
      criterion: "error rate",
      measured: c.errorRatePct,
      limit: settings.maxErrorRatePct,
      ok: c.errorRatePct !== null && c.errorRatePct <= settings.maxErrorRatePct,
      text:
        c.errorRatePct === null
          ? `error rate: no probe results (${rateLimit})`
          : `error rate ${near(c.errorRatePct, settings.maxErrorRatePct, formatPercent)} (${rateLimit})`,
    },
    {
      component: c.componentId,
      criterion: "p95",
      measured: c.p95Ms,
      limit: settings.maxP95Ms,
      ok: c.p95Ms !== null && c.p95Ms <= settings.maxP95Ms,
      text:
        c.p95Ms === null
          ? `P95: ${noResults} (${p95Limit})`
          : `P95 ${near(c.p95Ms, settings.maxP95Ms, formatLatency)} (${p95Limit})`,
    },
    {
      component: c.componentId,
      criterion: "coverage",
      measured: c.coveragePct,
      limit: settings.minCoveragePct,
      ok: c.coveragePct !== null && c.coveragePct >= settings.minCoveragePct,
      text:
        c.coveragePct === null
          ? `${monitored}, no results expected yet (${coverLimit})`
          : `${monitored}, ${near(c.coveragePct, settings.minCoveragePct, formatPercent)} covered (${coverLimit})`,
    },
  ];
}

/**
 * A figure as people read it, said to be just over or under its limit when rounding would show the limit itself:
 * a P95 of 200.3 ms fails "≤ 200 ms", and "P95 200 ms (≤ 200 ms)" on a failed row would read as a mistake.
 */
function near(value: number, limit: number, format: (n: number) => string): string {
  const text = format(value);
  if (value === limit || text !== format(limit)) return text;
  return `${value > limit ? "just over" : "just under"} ${text}`;
}

/** formatDuration, except that no time at all reads "0s" like the rest of a watch's durations, not "0ms". */
function elapsedText(ms: number): string {
  return ms === 0 ? "0s" : formatDuration(ms);
}
