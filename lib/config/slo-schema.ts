import { z } from "zod";
import { formatWindow } from "../slo/compute";
import { COMPONENT_ANNOTATION, convertOpenSlo, isOpenSloDocument, WINDOW_PLACEHOLDER_RE } from "../slo/openslo";
import { ZDuration } from "./operations-schema";
import { ZHttpUrl } from "./url";

// Service level objectives (`slos:`): what share of a component's (or the whole system's) time or events must be
// good over a rolling window, from which Preflight derives the error budget and its burn rates (lib/slo). Three
// indicators: availability from the confirmed state periods, latency from the probe histograms, and a good/total
// ratio of PromQL queries (Sloth and OpenSLO style). An entry may also be an OpenSLO v1 `kind: SLO` document, which is
// converted to this form first (lib/slo/openslo.ts) and whose problems are reported at its own fields.

const DAY_MS = 86_400_000;
/** The longest burn-rate window (3 d, the slow-burn alert's) must fit in the SLO's window. */
export const MIN_SLO_WINDOW_MS = 3 * DAY_MS;
export const MAX_SLO_WINDOW_MS = 365 * DAY_MS;
export const DEFAULT_SLO_WINDOW_MS = 30 * DAY_MS;

const ZSloId = z
  .string({ error: "expected an id (lowercase letters, digits and dashes)" })
  .regex(/^[a-z][a-z0-9-]{0,62}$/, {
    error: "expected an id of lowercase letters, digits and dashes, starting with a letter",
  });

const ZSloWindow = ZDuration("window").superRefine((ms, ctx) => {
  if (ms < MIN_SLO_WINDOW_MS)
    ctx.addIssue({
      code: "custom",
      message: `window must be at least 3d (the slow-burn alert's window), got ${formatWindow(ms)}`,
    });
  else if (ms > MAX_SLO_WINDOW_MS)
    ctx.addIssue({ code: "custom", message: `window must be at most 365d, got ${formatWindow(ms)}` });
});

/** A PromQL query evaluated over each window: Sloth's `{{.window}}` marks where the window goes. */
const ZWindowQuery = (label: string) =>
  z
    .string({ error: `expected ${label} as a PromQL query` })
    .min(1, { error: `expected ${label} as a PromQL query` })
    .refine((query) => new RegExp(WINDOW_PLACEHOLDER_RE.source).test(query), {
      error:
        `${label} must contain {{.window}} where the window goes, ` +
        "e.g. sum(rate(http_requests_total[{{.window}}]))",
    });

const ZRatioSli = z
  .strictObject({
    prometheus: ZHttpUrl,
    good: ZWindowQuery("good").optional(),
    bad: ZWindowQuery("bad").optional(),
    total: ZWindowQuery("total"),
  })
  .superRefine((ratio, ctx) => {
    if ((ratio.good === undefined) === (ratio.bad === undefined))
      ctx.addIssue({
        code: "custom",
        path: ratio.good === undefined ? ["good"] : [],
        message: "give good or bad (the query of good or of bad events), exactly one of them",
      });
  });

/** `availability: {}` in YAML; a bare `availability:` (null) means the same. */
const ZNoOptions = z.union([z.strictObject({}), z.null()], { error: "expected {} (availability takes no options)" });

const ZSli = z
  .strictObject(
    {
      availability: ZNoOptions.optional(),
      latency: z.strictObject({ threshold: ZDuration("threshold", { min: 1, max: 120_000 }) }).optional(),
      ratio: ZRatioSli.optional(),
    },
    {
      error: (issue) =>
        issue.code === "invalid_type"
          ? "expected sli as a map: { availability: {} }, { latency: { threshold: 200ms } } or { ratio: { ... } }"
          : undefined,
    },
  )
  .superRefine(
    (sli, ctx) => {
      const given = (["availability", "latency", "ratio"] as const).filter((key) => key in sli);
      if (given.length !== 1)
        ctx.addIssue({
          code: "custom",
          message:
            given.length === 0
              ? "expected one indicator: availability, latency or ratio"
              : `expected one indicator, got ${given.join(" and ")}`,
        });
    },
    // An unknown key (a misspelt indicator) is the problem to report, not the missing indicator it leaves behind.
    { when: (payload) => payload.issues.length === 0 },
  )
  .transform((sli): TSloIndicator => {
    if (sli.latency) return { kind: "latency", thresholdMs: sli.latency.threshold };
    if (sli.ratio) {
      const { prometheus, total } = sli.ratio;
      return sli.ratio.good !== undefined
        ? { kind: "ratio", prometheus, good: sli.ratio.good, total }
        : { kind: "ratio", prometheus, bad: sli.ratio.bad ?? "", total };
    }
    return { kind: "availability" };
  });

export type TSloIndicator =
  | { kind: "availability" }
  | { kind: "latency"; thresholdMs: number }
  | ({ kind: "ratio"; prometheus: string; total: string } & ({ good: string } | { bad: string }));

const ZSloNative = z
  .strictObject({
    id: ZSloId,
    name: z.string({ error: "expected a name" }).min(1, { error: "expected a name" }),
    description: z.string().optional(),
    /** The component measured; or `system: true` for all of them, each component's time counting. */
    component: z.string({ error: "expected a component id" }).optional(),
    system: z.literal(true, { error: "expected system: true (or give component instead)" }).optional(),
    sli: ZSli,
    /** Percentage of good time or events, e.g. 99.9. */
    objective: z
      .number({ error: "expected objective as a percentage such as 99.9" })
      .gt(0, { error: "objective must be above 0 % and below 100 %" })
      .lt(100, { error: "objective must be above 0 % and below 100 % (100 % leaves no error budget)" }),
    window: ZSloWindow.default(DEFAULT_SLO_WINDOW_MS),
  })
  .superRefine((slo, ctx) => {
    if (slo.component !== undefined && slo.system)
      ctx.addIssue({ code: "custom", path: ["system"], message: "give component or system: true, not both" });
    // A ratio's queries say what they measure; a component there only files the SLO under it.
    if (slo.component === undefined && !slo.system && slo.sli.kind !== "ratio")
      ctx.addIssue({
        code: "custom",
        path: ["component"],
        message: "required: the component this SLO measures (or system: true for all components)",
      });
  })
  .transform(
    (slo): Omit<TSlo, "syntax"> => ({
      id: slo.id,
      name: slo.name,
      ...(slo.description !== undefined ? { description: slo.description } : {}),
      target: slo.component !== undefined ? { component: slo.component } : { system: true },
      sli: slo.sli,
      objective: slo.objective,
      window: slo.window,
    }),
  );

export type TSloTarget = { component: string } | { system: true };

export type TSlo = {
  id: string;
  name: string;
  description?: string;
  target: TSloTarget;
  sli: TSloIndicator;
  objective: number;
  /** Rolling window in milliseconds. */
  window: number;
  /** How it was written: Preflight's own form, or an OpenSLO document (whose fields problems are reported at). */
  syntax: "preflight" | "openslo";
};

/** One entry of `slos:`: Preflight's own form, or an OpenSLO v1 SLO document converted to it. */
export const ZSlo = z.unknown().transform((raw, ctx): TSlo => {
  let input: unknown = raw;
  let pathOf = (path: readonly PropertyKey[]): PropertyKey[] => [...path];
  const syntax = isOpenSloDocument(raw) ? "openslo" : "preflight";
  if (isOpenSloDocument(raw)) {
    const converted = convertOpenSlo(raw);
    if (!converted.ok) {
      for (const issue of converted.issues) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
      return z.NEVER;
    }
    input = converted.value;
    pathOf = converted.pathOf;
  }
  const parsed = ZSloNative.safeParse(input);
  if (parsed.success) return { ...parsed.data, syntax };
  // Re-raised as they are (code and all), so the loader words them as it words every other field.
  for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: pathOf(issue.path) } as z.core.$ZodRawIssue);
  return z.NEVER;
});

export const ZSlos = z
  .array(ZSlo, { error: "expected slos as a list" })
  .default([])
  .superRefine((slos, ctx) => {
    const seen = new Map<string, number>();
    slos.forEach((slo, index) => {
      const first = seen.get(slo.id);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: `duplicate SLO id "${slo.id}" (already used by slos[${first}])`,
        });
      else seen.set(slo.id, index);
    });
  });

export type TSloIssue = { path: (string | number)[]; message: string };

/**
 * References a single entry cannot check: each component an SLO names must be configured. Paths are relative to the
 * configuration's root (`slos[2].component`), as ZConfig's own cross-field checks report them. An OpenSLO entry names
 * its component in an annotation, so its path says so.
 */
export function checkSloReferences(slos: readonly TSlo[], componentIds: Iterable<string>): TSloIssue[] {
  const ids = new Set(componentIds);
  const issues: TSloIssue[] = [];
  slos.forEach((slo, index) => {
    if (!("component" in slo.target) || ids.has(slo.target.component)) return;
    const at = slo.syntax === "openslo" ? ["metadata", "annotations", COMPONENT_ANNOTATION] : ["component"];
    issues.push({ path: ["slos", index, ...at], message: `no component with id "${slo.target.component}"` });
  });
  return issues;
}
