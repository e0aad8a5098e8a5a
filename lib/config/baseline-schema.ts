import { z } from "zod";
import { ZHttpUrl } from "./url";
import { ZDuration } from "./operations-schema";

// Performance baselines (reference section 1.2): declared figures with targets, each measured from a
// source: a component's probe history, or PromQL against the system's own Prometheus.

export const BASELINE_METRICS = ["avgMs", "p95Ms", "p99Ms", "maxMs", "errorRatePct", "throughputRps"] as const;
export type BaselineMetric = (typeof BASELINE_METRICS)[number];

/** A bare number is a ceiling; throughput wants `{ min: … }`. */
const ZTarget = z.union([
  z.number({ error: "expected a number (a ceiling) or { max } / { min }" }),
  z
    .strictObject({ max: z.number().optional(), min: z.number().optional() })
    .refine((t) => t.max !== undefined || t.min !== undefined, {
      error: "give max or min",
    }),
]);

const ZTargets = z.strictObject(
  Object.fromEntries(BASELINE_METRICS.map((m) => [m, ZTarget.optional()])) as Record<
    BaselineMetric,
    z.ZodOptional<typeof ZTarget>
  >,
);

const ZPromQuery = z.strictObject({
  query: z.string().min(1),
  /** Multiplies the value, e.g. 1000 for seconds to milliseconds, 100 for a ratio to percent. */
  scale: z.number().positive().default(1),
});

const ZPromQueries = z.strictObject(
  Object.fromEntries(BASELINE_METRICS.map((m) => [m, ZPromQuery.optional()])) as Record<
    BaselineMetric,
    z.ZodOptional<typeof ZPromQuery>
  >,
);

export const ZBaseline = z
  .strictObject({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "expected an id of lowercase letters, digits and dashes" }),
    name: z.string().min(1),
    window: ZDuration("window", { min: 60_000, max: 90 * 86_400_000 }).default(86_400_000),
    source: z.union(
      [
        z.strictObject({ component: z.string() }),
        // `prometheus: URL`, as on a promql check and in resources: one way to name a Prometheus server.
        z.strictObject({ prometheus: ZHttpUrl, queries: ZPromQueries }),
      ],
      { error: "expected source: { component: <id> } or { prometheus: <URL>, queries: { … } }" },
    ),
    targets: ZTargets,
  })
  .refine((b) => Object.values(b.targets).some((t) => t !== undefined), {
    path: ["targets"],
    error: "declare at least one target",
  });

const ZResourceQuery = z.strictObject({ usage: z.string().min(1), limit: z.string().min(1) });

/** Resource utilisation per container from PromQL: usage against limits, and the headroom it leaves. */
export const ZResources = z.strictObject({
  prometheus: ZHttpUrl,
  /** The label that names a container or pod in the query results. */
  label: z.string().default("container"),
  cpu: ZResourceQuery.optional(),
  memory: ZResourceQuery.optional(),
  /** Utilisation above this share of the limit fails. */
  maxUtilisationPct: z.number().min(1).max(100).default(80),
});

export type TBaseline = z.output<typeof ZBaseline>;
export type TBaselineSource = TBaseline["source"];
export type TPromBaselineSource = Extract<TBaselineSource, { prometheus: string }>;
export type TResources = z.output<typeof ZResources>;
export type TTarget = z.output<typeof ZTarget>;
