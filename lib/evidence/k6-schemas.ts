import { z } from "zod";

// The three JSON shapes in which k6 reports the end of a test, as k6's own source writes them:
//
// - handleSummary(): the data object k6 passes to handleSummary() (and the default end-of-test data); metrics are
//   { type, contains, values, thresholds: { "p(95)<500": { ok: true } } }, durations in milliseconds.
// - --summary-export (legacy): k6's oldJSONSummary() flattens each metric's values into the metric, renames a Rate's
//   "rate" to "value", and writes thresholds as { "p(95)<500": false } where the boolean says whether the threshold
//   was CROSSED: true means it failed. It drops "state", so the run's duration is gone.
// - The machine-readable summary (k6 >= 1.5 with --new-machine-readable-summary, schema "version": "1.0.0"):
//   { version, metadata, config: { duration (s) }, results: { metrics: [{ name, type, contains, values }], checks } }.
//   Rates are { matches, total, rate }, counters only { count }, trends only avg/min/med/max/p(90)/p(95) (p(99) is
//   not written, k6 issue 5736), and no threshold is reported at all (k6 issue 4872). Drafts of the published
//   JSON Schema (grafana/k6-summary) also had results.passed and rates as { passes, fails }; both are accepted.
//
// Only the metrics Preflight reads are validated field by field; any metric's thresholds are validated too.

const ZMs = z.number().nonnegative();
const ZCount = z.number().int().nonnegative();
const ZRate = z.number().min(0).max(1);

const ZTrendValues = z.object({
  avg: ZMs.optional(),
  min: ZMs.optional(),
  med: ZMs.optional(),
  max: ZMs.optional(),
  "p(90)": ZMs.optional(),
  "p(95)": ZMs.optional(),
  "p(99)": ZMs.optional(),
});
export type TTrendValues = z.output<typeof ZTrendValues>;

/** A required metric's absence gets a message that says what it means, not "expected object, received undefined". */
function absentAs(message: string) {
  return { error: (issue: { input?: unknown }) => (issue.input === undefined ? message : undefined) };
}

const NO_DURATIONS = "missing: the summary has no HTTP request durations (did the run make any HTTP requests?)";

// handleSummary() data

const ZVerdicts = z.record(z.string(), z.object({ ok: z.boolean() }));

export const ZHandleSummary = z.object({
  metrics: z
    .object({
      http_req_duration: z.object({ values: ZTrendValues, thresholds: ZVerdicts.optional() }, absentAs(NO_DURATIONS)),
      http_req_failed: z
        .object({ values: z.object({ rate: ZRate, passes: ZCount, fails: ZCount }), thresholds: ZVerdicts.optional() })
        .optional(),
      http_reqs: z
        .object({
          values: z.object({ count: ZCount, rate: z.number().nonnegative() }),
          thresholds: ZVerdicts.optional(),
        })
        .optional(),
      checks: z
        .object({ values: z.object({ rate: ZRate, passes: ZCount, fails: ZCount }), thresholds: ZVerdicts.optional() })
        .optional(),
    })
    .catchall(z.object({ thresholds: ZVerdicts.optional() })),
  state: z.object({ testRunDurationMs: z.number().nonnegative() }).optional(),
});
export type THandleSummary = z.output<typeof ZHandleSummary>;

// --summary-export

const ZCrossed = z.record(z.string(), z.boolean());

export const ZSummaryExport = z.object({
  metrics: z
    .object({
      http_req_duration: z.object({ ...ZTrendValues.shape, thresholds: ZCrossed.optional() }, absentAs(NO_DURATIONS)),
      http_req_failed: z
        .object({ value: ZRate, passes: ZCount, fails: ZCount, thresholds: ZCrossed.optional() })
        .optional(),
      http_reqs: z
        .object({ count: ZCount, rate: z.number().nonnegative(), thresholds: ZCrossed.optional() })
        .optional(),
      checks: z.object({ value: ZRate, passes: ZCount, fails: ZCount, thresholds: ZCrossed.optional() }).optional(),
    })
    .catchall(z.object({ thresholds: ZCrossed.optional() })),
});
export type TSummaryExport = z.output<typeof ZSummaryExport>;

// Machine-readable summary

const ZMachineMetric = z.object({
  name: z.string(),
  type: z.enum(["counter", "gauge", "rate", "trend"]),
  contains: z.string().optional(),
  values: z.record(z.string(), z.number()),
});

export const ZMachineReadable = z.object({
  version: z.string().regex(/^\d+\.\d+\.\d+/, { error: 'expected a semantic version such as "1.0.0"' }),
  config: z.object({
    duration: z.number().nonnegative(),
    execution: z.string().optional(),
    script: z.string().optional(),
  }),
  results: z.object({
    passed: z.boolean().optional(),
    metrics: z.array(ZMachineMetric),
    checks: z
      .object({
        metrics: z.array(ZMachineMetric).optional(),
        results: z.array(z.object({ name: z.string(), passes: ZCount, fails: ZCount })).optional(),
      })
      .optional(),
  }),
});
export type TMachineReadable = z.output<typeof ZMachineReadable>;

export const ZMachineTrendValues = ZTrendValues;
/** Rates as k6 writes them ({ matches, total }) or as the schema drafts had them ({ passes, fails }). */
export const ZMachineRateValues = z.object({
  rate: ZRate,
  matches: ZCount.optional(),
  total: ZCount.optional(),
  passes: ZCount.optional(),
  fails: ZCount.optional(),
});
export const ZMachineCounterValues = z.object({ count: ZCount, rate: z.number().nonnegative().optional() });
