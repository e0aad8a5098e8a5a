import { z } from "zod";
import { parseValueComparison } from "../conditions/comparison";
import { COMPOSE_RULES } from "../evidence/compose";
import { MANIFEST_RULES } from "../evidence/kubernetes";
import { MEASURE_UNITS } from "../format";
import { parseCriterion, type TCriterion } from "../readiness/objectives";
import { ZDuration } from "./operations-schema";
import { ZRegressionOptions } from "../stats/regression";
import { ZHttpUrl } from "./url";

// The scorecard as code (reference section 4) and the approval criteria (section 5): categories with
// weights, each with checks of a few kinds, evaluated from measurements and CI evidence.

const ZId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "expected an id of lowercase letters, digits and dashes" });

const ZWaiver = z.strictObject({
  reason: z.string().min(1),
  approver: z.string().min(1),
  expiresAt: z.iso.datetime({ offset: true, error: "expected an ISO 8601 time with a zone" }),
});

/** One criterion or a list that must all hold: "<= 200", "<=+10%" (relative to `compareWith`). */
const ZCriteria = z
  .union([z.string(), z.array(z.string()).min(1)], {
    error: 'expected a criterion such as "<= 200" or "<=+10%", or a list of them',
  })
  .transform((value, ctx): TCriterion[] => {
    const parsed: TCriterion[] = [];
    for (const source of Array.isArray(value) ? value : [value]) {
      const result = parseCriterion(source);
      if (result.ok) parsed.push(result.criterion);
      else ctx.addIssue({ code: "custom", message: result.error });
    }
    return parsed;
  });

/** The snapshot relative criteria compare with. */
export const ZCompareWith = z.union(
  [z.enum(["lastSigned", "lastPassing"]), z.strictObject({ last: z.number().int().min(1).max(50) })],
  { error: 'expected compareWith to be "lastSigned", "lastPassing" or { last: N }' },
);

const common = {
  id: ZId,
  name: z.string().min(1),
  /** A critical check blocks go-live whatever the score. */
  critical: z.boolean().default(false),
  weight: z.number().positive().default(1),
  waiver: ZWaiver.optional(),
  /** Keptn-style objectives on the measured value: all `pass` criteria hold, or else all `warning` ones (half weight). */
  pass: ZCriteria.optional(),
  warning: ZCriteria.optional(),
  /** A key objective: when it fails, go-live is vetoed whatever the score. */
  key: z.boolean().default(false),
  /** Where relative criteria ("<=+10%") take their baseline: a value frozen in an earlier snapshot. */
  compareWith: ZCompareWith.optional(),
  /** Passes only once its condition has held this long without a break ("21h"). */
  holdFor: ZDuration("holdFor", { min: 60_000, max: 90 * 86_400_000 }).optional(),
};

/** Kinds whose judgement measures a number that `pass` and `warning` criteria can hold to. */
export const MEASURED_KINDS = [
  "componentUp",
  "uptime",
  "testSuite",
  "scan",
  "coverage",
  "vulnerabilities",
  "sbom",
  "manifests",
  "compose",
  "promql",
  "slo",
  "regression",
] as const;

/** Evidence older than this is stale: the check is pending, not passed. */
const maxAge = ZDuration("maxAge", { min: 60_000, max: 365 * 86_400_000 }).optional();

export const ZCheck = z
  .discriminatedUnion(
    "kind",
    [
      z.strictObject({
        ...common,
        kind: z.literal("componentUp"),
        component: z.string(),
        for: ZDuration("for", { min: 0 }),
      }),
      z.strictObject({
        ...common,
        kind: z.literal("uptime"),
        component: z.string(),
        window: ZDuration("window", { min: 60_000 }),
        minPct: z.number().min(0).max(100),
        /** Share of the window that must be observed before the figure can pass (percent); below it, pending. */
        minCoverage: z.number().min(0).max(100).default(90),
      }),
      z.strictObject({ ...common, kind: z.literal("baseline"), baseline: z.string() }),
      z.strictObject({
        ...common,
        kind: z.literal("testSuite"),
        suite: z.string().min(1),
        minPassRatePct: z.number().min(0).max(100),
        maxAge,
      }),
      z.strictObject({ ...common, kind: z.literal("loadTest"), test: z.string().min(1), maxAge }),
      z.strictObject({
        ...common,
        kind: z.literal("scan"),
        /** The ?project= the SARIF logs are pushed under. */
        project: z.string().min(1),
        /** No unsuppressed result at or above this level (default "error"). */
        failOn: z.enum(["error", "warning", "note"]).default("error"),
        /** At most this many unsuppressed warnings, when set. */
        maxWarnings: z.number().int().min(0).optional(),
        maxAge,
      }),
      z.strictObject({
        ...common,
        kind: z.literal("coverage"),
        /** The ?project= the coverage reports are pushed under. */
        project: z.string().min(1),
        /** Line coverage at least this (percent); the reference: 75. */
        min: z.number().min(0).max(100),
        /** Branch coverage at least this (percent), when set. */
        minBranch: z.number().min(0).max(100).optional(),
        maxAge,
      }),
      z.strictObject({
        ...common,
        kind: z.literal("vulnerabilities"),
        /** The ?project= the SBOMs (CycloneDX with vulnerabilities) are pushed under. */
        project: z.string().min(1),
        /** At most this many counted vulnerabilities of each severity (critical defaults to 0; the others, when set). */
        maxCritical: z.number().int().min(0).default(0),
        maxHigh: z.number().int().min(0).optional(),
        maxMedium: z.number().int().min(0).optional(),
        /** No counted vulnerability whose fix has been available longer than this ("14d"). */
        maxFixAge: ZDuration("maxFixAge", { min: 0, max: 3650 * 86_400_000 }).optional(),
        maxAge,
      }),
      z.strictObject({
        ...common,
        kind: z.literal("sbom"),
        project: z.string().min(1),
        /** The SBOM lists at least this many components. */
        minComponents: z.number().int().min(0).default(1),
        /** Every component has a version (default) / a licence (when set). */
        requireVersions: z.boolean().default(true),
        requireLicences: z.boolean().default(false),
        maxAge,
      }),
      z.strictObject({
        ...common,
        kind: z.literal("manifests"),
        /** The ?project= the rendered manifests are pushed under. */
        project: z.string().min(1),
        /** The built-in rules this check needs (default: all of them). */
        rules: z.array(z.enum(MANIFEST_RULES)).min(1).optional(),
        /** For the "replicas" rule: at least this many (an HPA's minReplicas counts for the workload it scales). */
        minReplicas: z.number().int().min(1).default(2),
        maxAge,
      }),
      z.strictObject({
        ...common,
        kind: z.literal("compose"),
        /** The ?project= the compose files are pushed under. */
        project: z.string().min(1),
        rules: z.array(z.enum(COMPOSE_RULES)).min(1).optional(),
        /** For the "ports" rule: the host addresses a published port may bind to. */
        bindHosts: z.array(z.string().min(1)).min(1).default(["127.0.0.1", "::1"]),
        maxAge,
      }),
      z.strictObject({
        ...common,
        kind: z.literal("chaos"),
        experiment: z.string().min(1),
        maxRecovery: ZDuration("maxRecovery", { min: 0 }),
        maxAge,
      }),
      z.strictObject({
        ...common,
        kind: z.literal("promql"),
        prometheus: ZHttpUrl,
        query: z.string().min(1),
        /** `[VALUE] < 0.01`: the probe condition grammar on the query's first sample. */
        condition: z.string({ error: 'expected a condition such as "[VALUE] < 0.01"' }).superRefine((source, ctx) => {
          const parsed = parseValueComparison(source);
          if (!parsed.ok)
            ctx.addIssue({
              code: "custom",
              message: `${JSON.stringify(source)}, column ${parsed.column}: ${parsed.error}`,
            });
        }),
        /** What the value measures, so it and its threshold read in one unit ("ratio": 0.001 reads "0.1 %"). */
        unit: z.enum(MEASURE_UNITS).optional(),
      }),
      z.strictObject({
        ...common,
        kind: z.literal("slo"),
        /** The id of an entry of `slos:`. */
        slo: ZId,
        /** At least this much of its error budget left (percent, default 0: not overspent). */
        minBudgetPct: z.number().min(0).max(100).default(0),
        /** Fails while the SLO is in fast burn (default true). */
        noFastBurn: z.boolean().default(true),
      }),
      z.strictObject({
        ...common,
        kind: z.literal("regression"),
        /** Whose probe latency is compared. */
        component: z.string(),
        /** The current window (the last `window`) and the baseline's: as long, ending when the last release was signed. */
        window: ZDuration("window", { min: 5 * 60_000, max: 30 * 86_400_000 }).default(3_600_000),
        /** Mann-Whitney U, one-sided: alpha, the smallest effect (CLES above ½) and the fewest samples a side. */
        ...ZRegressionOptions.shape,
      }),
      z.strictObject({ ...common, kind: z.literal("attestation"), question: z.string().min(1), maxAge }),
      /** A criterion that takes the verdict of a scorecard check, so one piece of evidence answers both. */
      z.strictObject({ ...common, kind: z.literal("check"), check: ZId }),
    ],
    {
      error: (issue) =>
        issue.code === "invalid_union"
          ? 'expected kind to be one of "componentUp", "uptime", "baseline", "testSuite", "loadTest", "coverage", "scan", "vulnerabilities", "sbom", "manifests", "compose", "chaos", "promql", "slo", "attestation", "check"'
          : undefined,
    },
  )
  .superRefine((check, ctx) => {
    const measured = (MEASURED_KINDS as readonly string[]).includes(check.kind);
    for (const field of ["pass", "warning"] as const) {
      if (check[field] && !measured)
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `a ${check.kind} check measures no number to hold to criteria; ${field} works on ${MEASURED_KINDS.join(", ")}`,
        });
    }
    if (check.warning && !check.pass)
      ctx.addIssue({ code: "custom", path: ["warning"], message: "warning criteria need pass criteria beside them" });
    const relative = [...(check.pass ?? []), ...(check.warning ?? [])].some((c) => c.relative !== "none");
    if (relative && !check.compareWith)
      ctx.addIssue({
        code: "custom",
        path: ["compareWith"],
        message: 'a relative criterion ("<=+10%") needs compareWith: lastSigned, lastPassing or { last: N }',
      });
    if (check.compareWith && !relative)
      ctx.addIssue({
        code: "custom",
        path: ["compareWith"],
        message: 'compareWith is set but no criterion is relative: write one with a sign ("<=+10%")',
      });
  });

export const ZCategory = z.strictObject({
  id: ZId,
  name: z.string().min(1),
  weight: z.number().positive().default(1),
  checks: z.array(ZCheck).min(1),
});

export const ZScorecard = z.strictObject({
  /** The go-live gate: the overall score it needs (with no critical check failing). */
  gate: z.strictObject({ minScorePct: z.number().min(0).max(100).default(90) }).prefault({}),
  categories: z.array(ZCategory).min(1),
  /** Approval criteria: checks evaluated the same way, listed as passed / pending / failed. */
  criteria: z.array(ZCheck).default([]),
});

export type TCheck = z.output<typeof ZCheck>;
export type TCategory = z.output<typeof ZCategory>;
export type TScorecard = z.output<typeof ZScorecard>;
