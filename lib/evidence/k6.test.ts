import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseK6Summary, type TK6Summary } from "./k6";

// The three fixtures describe one run (x0tta6bl4 API, 20 VUs, 30 s): the same figures must come out of each shape,
// except what a shape does not carry.
const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;
const handleSummary = () => load("k6-handle-summary.json");
const summaryExport = () => load("k6-summary-export.json");
const machineReadable = () => load("k6-machine-readable.json");

function parsed(input: unknown): TK6Summary {
  const result = parseK6Summary(input);
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.summary;
}

function errorOf(input: unknown, maxBytes?: number): string {
  const result = parseK6Summary(input, maxBytes === undefined ? {} : { maxBytes });
  if (result.ok) throw new Error("expected the summary to be refused");
  return result.error;
}

/** Deep-sets a value in a parsed fixture; the path is known to exist. */
function withValue(input: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
  let node: unknown = input;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  (node as Record<string | number, unknown>)[path[path.length - 1] as string | number] = value;
  return input;
}

const LATENCY = { p50Ms: 71.8442, p90Ms: 142.1183, p95Ms: 191.5624, avgMs: 84.6107, maxMs: 1204.3371 };
const THRESHOLDS = [
  { name: "p(95)<500", metric: "http_req_duration", passed: true },
  { name: "p(99)<1000", metric: "http_req_duration", passed: true },
  { name: "rate<0.01", metric: "http_req_failed", passed: false },
  { name: "rate>0.98", metric: "checks", passed: true },
];

describe("parseK6Summary on the three shapes k6 writes", () => {
  it("reads handleSummary() data", () => {
    const summary = parsed(handleSummary());
    expect(summary).toMatchObject({
      ...LATENCY,
      p99Ms: 402.8765,
      requests: 5412,
      checks: { passes: 10694, fails: 130 },
      shape: "handleSummary",
    });
    expect(summary.errorRatePct).toBeCloseTo(1.201034737, 8);
    expect(summary.requestRate).toBeCloseTo(180.2704, 4);
    expect(summary.durationS).toBeCloseTo(30.021562, 9);
    expect(summary.thresholds).toEqual(THRESHOLDS);
    expect(summary.allThresholdsPassed).toBe(false);
  });

  it("reads --summary-export, where a threshold's true means it was crossed", () => {
    const summary = parsed(summaryExport());
    expect(summary).toMatchObject({
      ...LATENCY,
      p99Ms: 402.8765,
      requests: 5412,
      checks: { passes: 10694, fails: 130 },
      shape: "summary-export",
      durationS: null,
    });
    expect(summary.errorRatePct).toBeCloseTo(1.201034737, 8);
    expect(summary.thresholds).toEqual(THRESHOLDS);
    expect(summary.allThresholdsPassed).toBe(false);
  });

  it("reads the machine-readable summary: rates as matches/total, request rate from the duration, no thresholds", () => {
    const summary = parsed(machineReadable());
    expect(summary).toMatchObject({
      ...LATENCY,
      p99Ms: null,
      requests: 5412,
      checks: { passes: 10694, fails: 130 },
      shape: "machine-readable",
      durationS: 30.021562,
    });
    expect(summary.errorRatePct).toBeCloseTo(1.201034737, 8);
    expect(summary.requestRate).toBeCloseTo(5412 / 30.021562, 9);
    expect(summary.thresholds).toEqual([]);
    expect(summary.allThresholdsPassed).toBeNull();
  });

  it("takes the machine-readable summary's results.passed as the verdict when it is there", () => {
    expect(parsed(withValue(machineReadable(), ["results", "passed"], true)).allThresholdsPassed).toBe(true);
    expect(parsed(withValue(machineReadable(), ["results", "passed"], false)).allThresholdsPassed).toBe(false);
  });

  it("accepts the schema drafts' rates ({ passes, fails }) and counters with a rate", () => {
    const summary = machineReadable();
    const results = summary.results as {
      metrics: { name: string; values: Record<string, number> }[];
      checks: { metrics: { name: string; values: Record<string, number> }[] };
    };
    const reqs = results.metrics.find((m) => m.name === "http_reqs");
    if (reqs) reqs.values = { count: 5412, rate: 180 };
    const succeeded = results.checks.metrics.find((m) => m.name === "checks_succeeded");
    if (succeeded) succeeded.values = { rate: 0.5, passes: 10, fails: 10 };
    expect(parsed(summary)).toMatchObject({ requestRate: 180, checks: { passes: 10, fails: 10 } });
  });

  it("falls back to the per-check results when the check metrics are missing", () => {
    const summary = withValue(machineReadable(), ["results", "checks", "metrics"], []);
    expect(parsed(summary).checks).toEqual({ passes: 10694, fails: 130 });
    expect(parsed(withValue(machineReadable(), ["results", "checks"], undefined)).checks).toEqual({
      passes: 0,
      fails: 0,
    });
  });

  it("accepts the JSON text as well as the parsed object", () => {
    expect(parsed(readFileSync(new URL("./fixtures/k6-summary-export.json", import.meta.url), "utf8")).shape).toBe(
      "summary-export",
    );
  });

  it("has null figures for what the run did not record", () => {
    const summary = parsed({
      metrics: { http_req_duration: { type: "trend", contains: "time", values: { avg: 12, "p(95)": 30 } } },
    });
    expect(summary).toEqual({
      p50Ms: null,
      p90Ms: null,
      p95Ms: 30,
      p99Ms: null,
      avgMs: 12,
      maxMs: null,
      errorRatePct: null,
      requestRate: null,
      requests: null,
      checks: { passes: 0, fails: 0 },
      thresholds: [],
      allThresholdsPassed: null,
      shape: "handleSummary",
      durationS: null,
    });
  });

  it("collects thresholds on any metric, sub-metrics included, and passes only when all pass", () => {
    const summary = parsed({
      metrics: {
        http_req_duration: { "p(95)": 100, thresholds: { "p(95)<500": false } },
        "http_req_duration{scenario:checkout}": { "p(95)": 120, thresholds: { "p(95)<200": false } },
        iterations: { count: 10, rate: 1 },
      },
    });
    expect(summary.thresholds).toEqual([
      { name: "p(95)<500", metric: "http_req_duration", passed: true },
      { name: "p(95)<200", metric: "http_req_duration{scenario:checkout}", passed: true },
    ]);
    expect(summary.allThresholdsPassed).toBe(true);
  });

  it("tells a --summary-export file from handleSummary data by the metric's shape, and by state/options without one", () => {
    expect(parsed({ metrics: { http_req_duration: { values: { avg: 1 } } } }).shape).toBe("handleSummary");
    expect(parsed({ metrics: { http_req_duration: { avg: 1 } } }).shape).toBe("summary-export");
    expect(errorOf({ state: { testRunDurationMs: 1 }, metrics: {} })).toMatch(/^invalid k6 summary \(handleSummary\)/);
    expect(errorOf({ metrics: {} })).toMatch(/^invalid k6 summary \(summary-export\)/);
  });
});

describe("parseK6Summary refuses bad summaries, naming the field", () => {
  it.each([
    [
      "a string where a number belongs",
      () => withValue(handleSummary(), ["metrics", "http_req_duration", "values", "p(95)"], "191ms"),
      'invalid k6 summary (handleSummary): metrics.http_req_duration.values["p(95)"]: expected number, received string',
    ],
    [
      "null where a number belongs",
      () => withValue(handleSummary(), ["metrics", "http_req_duration", "values", "med"], null),
      "invalid k6 summary (handleSummary): metrics.http_req_duration.values.med: expected number, received null",
    ],
    [
      "handleSummary's { ok } verdicts in a --summary-export file (the inverted shape)",
      () => withValue(summaryExport(), ["metrics", "http_req_duration", "thresholds"], { "p(95)<500": { ok: true } }),
      'invalid k6 summary (summary-export): metrics.http_req_duration.thresholds["p(95)<500"]: expected boolean, received object',
    ],
    [
      "--summary-export's crossed booleans in handleSummary data",
      () => withValue(handleSummary(), ["metrics", "http_req_duration", "thresholds"], { "p(95)<500": false }),
      'invalid k6 summary (handleSummary): metrics.http_req_duration.thresholds["p(95)<500"]: expected object, received boolean',
    ],
    [
      "a bad threshold on a metric Preflight does not read",
      () => withValue(handleSummary(), ["metrics", "vus", "thresholds"], { "value<10": "yes" }),
      'invalid k6 summary (handleSummary): metrics.vus.thresholds["value<10"]: expected object, received string',
    ],
    [
      "a negative latency",
      () => withValue(handleSummary(), ["metrics", "http_req_duration", "values", "avg"], -3),
      "invalid k6 summary (handleSummary): metrics.http_req_duration.values.avg: Too small: expected number to be >=0",
    ],
    [
      "an error rate above 1",
      () => withValue(handleSummary(), ["metrics", "http_req_failed", "values", "rate"], 1.5),
      "invalid k6 summary (handleSummary): metrics.http_req_failed.values.rate: Too big: expected number to be <=1",
    ],
    [
      "a fractional request count",
      () => withValue(handleSummary(), ["metrics", "http_reqs", "values", "count"], 12.5),
      "invalid k6 summary (handleSummary): metrics.http_reqs.values.count: expected int, received number",
    ],
    [
      "no http_req_duration (handleSummary)",
      () => withValue(handleSummary(), ["metrics", "http_req_duration"], undefined),
      "invalid k6 summary (handleSummary): metrics.http_req_duration: missing: the summary has no HTTP request durations (did the run make any HTTP requests?)",
    ],
    [
      "an array where a metric belongs",
      () => withValue(summaryExport(), ["metrics", "http_req_duration"], [1, 2]),
      "invalid k6 summary (summary-export): metrics.http_req_duration: expected object, received array",
    ],
    [
      "a string duration in the machine-readable summary",
      () => withValue(machineReadable(), ["config", "duration"], "30s"),
      "invalid k6 summary (machine-readable): config.duration: expected number, received string",
    ],
    [
      "a string percentile in the machine-readable summary",
      () => withValue(machineReadable(), ["results", "metrics", 1, "values", "p(95)"], "fast"),
      'invalid k6 summary (machine-readable): results.metrics[1].values["p(95)"]: expected number, received string',
    ],
    [
      "a rate above 1 in the machine-readable summary",
      () => withValue(machineReadable(), ["results", "metrics", 2, "values", "rate"], 2),
      "invalid k6 summary (machine-readable): results.metrics[2].values.rate: Too big: expected number to be <=1",
    ],
    [
      "a machine-readable summary from a future major version",
      () => withValue(machineReadable(), ["version"], "2.0.0"),
      "unsupported machine-readable summary version 2.0.0 (this reader knows 1.x)",
    ],
    [
      "a machine-readable summary whose version is not semantic",
      () => withValue(machineReadable(), ["version"], "latest"),
      'invalid k6 summary (machine-readable): version: expected a semantic version such as "1.0.0"',
    ],
    ["an array", () => [], "expected a k6 summary object, got an array"],
    ["null", () => null, "expected a k6 summary object, got null"],
    ["a number", () => 42, "expected a k6 summary object, got a number"],
    [
      "an object that is no summary",
      () => ({ data: { samples: [] } }),
      'expected a k6 summary: handleSummary() data or --summary-export output (with "metrics"), or a machine-readable summary (with "version" and "results")',
    ],
  ])("%s", (_name, build, error) => {
    expect(errorOf(build())).toBe(error);
  });

  it("names a missing http_req_duration in the machine-readable summary", () => {
    const summary = machineReadable();
    const results = summary.results as { metrics: { name: string }[] };
    results.metrics = results.metrics.filter((m) => m.name !== "http_req_duration");
    expect(errorOf(summary)).toBe(
      'invalid k6 summary (machine-readable): results.metrics has no "http_req_duration": the summary has no HTTP request durations (did the run make any HTTP requests?)',
    );
  });

  it("says how many more problems there are after the first", () => {
    const summary = withValue(handleSummary(), ["metrics", "http_req_duration", "values", "avg"], "1");
    withValue(summary, ["metrics", "http_req_duration", "values", "max"], "2");
    expect(errorOf(summary)).toBe(
      "invalid k6 summary (handleSummary): metrics.http_req_duration.values.avg: expected number, received string (and 1 more)",
    );
  });

  it("refuses JUnit XML sent as a k6 summary, with the JSON parser's reason", () => {
    const xml = '<?xml version="1.0"?><testsuites/>';
    let reason = "";
    try {
      JSON.parse(xml);
    } catch (error) {
      reason = (error as Error).message;
    }
    expect(errorOf(xml)).toBe(`the summary is not valid JSON (${reason})`);
  });

  it("refuses JSON text over the size limit, naming its size", () => {
    const text = JSON.stringify({ metrics: {}, padding: "x".repeat(2048) });
    expect(errorOf(text, 1024)).toBe(`the summary is 2 KiB (${text.length} bytes), over the 1 KiB limit`);
  });

  it("drops a __proto__ metric instead of polluting Object.prototype", () => {
    const summary = parsed(
      JSON.parse('{"metrics":{"http_req_duration":{"avg":1},"__proto__":{"thresholds":{"polluted":true}}}}'),
    );
    expect(summary.thresholds).toEqual([]);
    expect(({} as Record<string, unknown>).thresholds).toBeUndefined();
  });
});
