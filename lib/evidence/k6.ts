import type { z } from "zod";
import {
  ZHandleSummary,
  ZMachineCounterValues,
  ZMachineRateValues,
  ZMachineReadable,
  ZMachineTrendValues,
  ZSummaryExport,
  type TMachineReadable,
  type TTrendValues,
} from "./k6-schemas";
import { countUtf8Bytes, DEFAULT_MAX_BYTES, describeValue, formatBytes } from "./input";
import { formatZodError } from "./zod-issues";

// A k6 end-of-test summary, in any of the three shapes k6 writes (see k6-schemas.ts), reduced to the figures the
// scorecard judges. Pure: the JSON in, figures out.

export type TK6Shape = "handleSummary" | "machine-readable" | "summary-export";

export type TK6Threshold = { name: string; metric: string; passed: boolean };

export type TK6Summary = {
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  /** Only when the run's summaryTrendStats asked for it; the machine-readable summary never has it. */
  p99Ms: number | null;
  avgMs: number | null;
  maxMs: number | null;
  /** http_req_failed as a percentage; null when the summary has no such metric. */
  errorRatePct: number | null;
  /** Requests per second over the whole run. */
  requestRate: number | null;
  requests: number | null;
  checks: { passes: number; fails: number };
  thresholds: TK6Threshold[];
  /**
   * Whether every threshold held. Null when the summary carries no threshold verdict: none were defined, or the
   * machine-readable summary, which reports none, was sent without results.passed.
   */
  allThresholdsPassed: boolean | null;
  shape: TK6Shape;
  /** The run's length; null for --summary-export, which drops it. */
  durationS: number | null;
};

export type TParseK6Result = { ok: true; summary: TK6Summary } | { ok: false; error: string };

export type TParseK6Options = { maxBytes?: number };

/** Accepts the parsed JSON, or its text (size-limited, then parsed). */
export function parseK6Summary(json: unknown, options: TParseK6Options = {}): TParseK6Result {
  let input = json;
  if (typeof json === "string") {
    const parsed = parseJsonText(json, options.maxBytes ?? DEFAULT_MAX_BYTES);
    if (!parsed.ok) return parsed;
    input = parsed.value;
  }
  if (!isRecord(input)) {
    return { ok: false, error: `expected a k6 summary object, got ${describeValue(input)}` };
  }
  if (Object.hasOwn(input, "version") || Object.hasOwn(input, "results")) return readMachineReadable(input);
  if (!Object.hasOwn(input, "metrics")) {
    return {
      ok: false,
      error:
        'expected a k6 summary: handleSummary() data or --summary-export output (with "metrics"), or a machine-readable summary (with "version" and "results")',
    };
  }
  return looksLikeHandleSummary(input) ? readHandleSummary(input) : readSummaryExport(input);
}

function parseJsonText(text: string, maxBytes: number): { ok: true; value: unknown } | { ok: false; error: string } {
  const bytes = countUtf8Bytes(text);
  if (bytes > maxBytes)
    return {
      ok: false,
      error: `the summary is ${formatBytes(bytes)} (${bytes} bytes), over the ${formatBytes(maxBytes)} limit`,
    };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      error: `the summary is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

/**
 * handleSummary() data keeps each metric's figures under "values" and has "state"/"options"; --summary-export
 * flattens the figures into the metric and drops both. The metric Preflight needs decides; the root keys break a tie.
 */
function looksLikeHandleSummary(input: object): boolean {
  // Own keys only: `"values" in []` is true, through Array.prototype.values.
  const metrics: unknown = Reflect.get(input, "metrics");
  const duration: unknown =
    isRecord(metrics) && Object.hasOwn(metrics, "http_req_duration")
      ? Reflect.get(metrics, "http_req_duration")
      : undefined;
  if (isRecord(duration)) return Object.hasOwn(duration, "values") || Object.hasOwn(duration, "type");
  return Object.hasOwn(input, "state") || Object.hasOwn(input, "options");
}

function isRecord(value: unknown): value is object {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(shape: TK6Shape, error: z.ZodError, prefix: readonly PropertyKey[] = []): TParseK6Result {
  return { ok: false, error: `invalid k6 summary (${shape}): ${formatZodError(error, prefix)}` };
}

function readLatency(values: TTrendValues) {
  return {
    p50Ms: values.med ?? null,
    p90Ms: values["p(90)"] ?? null,
    p95Ms: values["p(95)"] ?? null,
    p99Ms: values["p(99)"] ?? null,
    avgMs: values.avg ?? null,
    maxMs: values.max ?? null,
  };
}

function judgeThresholds(thresholds: TK6Threshold[], fallback: boolean | null): boolean | null {
  return thresholds.length > 0 ? thresholds.every((t) => t.passed) : fallback;
}

function readHandleSummary(input: object): TParseK6Result {
  const parsed = ZHandleSummary.safeParse(input);
  if (!parsed.success) return fail("handleSummary", parsed.error);
  const { metrics, state } = parsed.data;
  const thresholds = Object.entries(metrics).flatMap(([metric, m]) =>
    Object.entries(m.thresholds ?? {}).map(([name, verdict]) => ({ name, metric, passed: verdict.ok })),
  );
  return {
    ok: true,
    summary: {
      ...readLatency(metrics.http_req_duration.values),
      errorRatePct: metrics.http_req_failed ? metrics.http_req_failed.values.rate * 100 : null,
      requestRate: metrics.http_reqs?.values.rate ?? null,
      requests: metrics.http_reqs?.values.count ?? null,
      checks: { passes: metrics.checks?.values.passes ?? 0, fails: metrics.checks?.values.fails ?? 0 },
      thresholds,
      allThresholdsPassed: judgeThresholds(thresholds, null),
      shape: "handleSummary",
      durationS: state ? state.testRunDurationMs / 1000 : null,
    },
  };
}

function readSummaryExport(input: object): TParseK6Result {
  const parsed = ZSummaryExport.safeParse(input);
  if (!parsed.success) return fail("summary-export", parsed.error);
  const { metrics } = parsed.data;
  // --summary-export's threshold boolean says whether the threshold was crossed: true is a failure.
  const thresholds = Object.entries(metrics).flatMap(([metric, m]) =>
    Object.entries(m.thresholds ?? {}).map(([name, crossed]) => ({ name, metric, passed: !crossed })),
  );
  return {
    ok: true,
    summary: {
      ...readLatency(metrics.http_req_duration),
      errorRatePct: metrics.http_req_failed ? metrics.http_req_failed.value * 100 : null,
      requestRate: metrics.http_reqs?.rate ?? null,
      requests: metrics.http_reqs?.count ?? null,
      checks: { passes: metrics.checks?.passes ?? 0, fails: metrics.checks?.fails ?? 0 },
      thresholds,
      allThresholdsPassed: judgeThresholds(thresholds, null),
      shape: "summary-export",
      durationS: null,
    },
  };
}

type TMachineMetric = TMachineReadable["results"]["metrics"][number];

function readMachineReadable(input: object): TParseK6Result {
  const parsed = ZMachineReadable.safeParse(input);
  if (!parsed.success) return fail("machine-readable", parsed.error);
  const summary = parsed.data;
  const major = Number(summary.version.split(".")[0]);
  if (major !== 1)
    return {
      ok: false,
      error: `unsupported machine-readable summary version ${summary.version} (this reader knows 1.x)`,
    };

  const metrics = summary.results.metrics;
  const find = (name: string): { index: number; metric: TMachineMetric } | null => {
    const index = metrics.findIndex((m) => m.name === name);
    const metric = metrics[index];
    return metric ? { index, metric } : null;
  };
  const at = (index: number): PropertyKey[] => ["results", "metrics", index, "values"];

  const duration = find("http_req_duration");
  if (!duration)
    return {
      ok: false,
      error:
        'invalid k6 summary (machine-readable): results.metrics has no "http_req_duration": the summary has no HTTP request durations (did the run make any HTTP requests?)',
    };
  const latency = ZMachineTrendValues.safeParse(duration.metric.values);
  if (!latency.success) return fail("machine-readable", latency.error, at(duration.index));

  const failedMetric = find("http_req_failed");
  const failed = failedMetric ? ZMachineRateValues.safeParse(failedMetric.metric.values) : null;
  if (failedMetric && failed && !failed.success) return fail("machine-readable", failed.error, at(failedMetric.index));

  const reqsMetric = find("http_reqs");
  const reqs = reqsMetric ? ZMachineCounterValues.safeParse(reqsMetric.metric.values) : null;
  if (reqsMetric && reqs && !reqs.success) return fail("machine-readable", reqs.error, at(reqsMetric.index));

  const seconds = summary.config.duration;
  const requests = reqs?.success ? reqs.data.count : null;
  const checks = readMachineChecks(summary);
  if (!checks.ok) return checks;
  return {
    ok: true,
    summary: {
      ...readLatency(latency.data),
      errorRatePct: failed?.success ? failed.data.rate * 100 : null,
      // k6 writes a counter's count only; the rate is the count over the run's length.
      requestRate: reqs?.success
        ? (reqs.data.rate ?? (seconds > 0 && requests !== null ? requests / seconds : null))
        : null,
      requests,
      checks: checks.checks,
      thresholds: [],
      allThresholdsPassed: summary.results.passed ?? null,
      shape: "machine-readable",
      durationS: seconds,
    },
  };
}

function readMachineChecks(
  summary: TMachineReadable,
): { ok: true; checks: TK6Summary["checks"] } | { ok: false; error: string } {
  const checkMetrics = summary.results.checks?.metrics ?? [];
  const index = checkMetrics.findIndex((m) => m.name === "checks_succeeded");
  const succeeded = checkMetrics[index];
  if (succeeded) {
    const values = ZMachineRateValues.safeParse(succeeded.values);
    if (!values.success)
      return {
        ok: false,
        error: `invalid k6 summary (machine-readable): ${formatZodError(values.error, ["results", "checks", "metrics", index, "values"])}`,
      };
    const { matches, total, passes, fails } = values.data;
    if (matches !== undefined && total !== undefined)
      return { ok: true, checks: { passes: matches, fails: Math.max(0, total - matches) } };
    if (passes !== undefined && fails !== undefined) return { ok: true, checks: { passes, fails } };
  }
  const results = summary.results.checks?.results ?? [];
  return {
    ok: true,
    checks: {
      passes: results.reduce((sum, c) => sum + c.passes, 0),
      fails: results.reduce((sum, c) => sum + c.fails, 0),
    },
  };
}
