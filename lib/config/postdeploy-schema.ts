import { z } from "zod";
import { formatWindow } from "../slo/compute";
import { ZDuration } from "./operations-schema";

// After go-live (`postDeployment:`): once a release is marked deployed, its components are watched for a window
// against the reference's post-deployment criteria ("24-hour active monitoring, error rate < 1 %, P95 < 200 ms"),
// judged by lib/postdeploy/judge.ts. Every field has the reference's value as its default, so an empty section (or
// none, when ZConfig takes it with `.prefault({})`) watches exactly what the reference asks for.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const MIN_POST_DEPLOYMENT_WINDOW_MS = HOUR_MS;
export const MAX_POST_DEPLOYMENT_WINDOW_MS = 30 * DAY_MS;
export const DEFAULT_POST_DEPLOYMENT_WINDOW_MS = DAY_MS;

// Limits worded in the units people write ("at least 1h, got 30m"), not ZDuration's milliseconds.
const ZWindow = ZDuration("window").superRefine((ms, ctx) => {
  if (ms < MIN_POST_DEPLOYMENT_WINDOW_MS)
    ctx.addIssue({ code: "custom", message: `window must be at least 1h, got ${formatWindow(ms)}` });
  else if (ms > MAX_POST_DEPLOYMENT_WINDOW_MS)
    ctx.addIssue({ code: "custom", message: `window must be at most 30d, got ${formatWindow(ms)}` });
  // Rollups are per minute: a window ending mid-minute would count that whole minute's results.
  else if (ms % 60_000 !== 0)
    ctx.addIssue({ code: "custom", message: `window must be a whole number of minutes, got ${formatWindow(ms)}` });
});

const ZPercent = (label: string, example: string, { above0 = false } = {}) =>
  z.number({ error: `expected ${label} as a percentage such as ${example}` }).superRefine((pct, ctx) => {
    if (pct < 0 || pct > 100)
      ctx.addIssue({ code: "custom", message: `${label} must be between 0 and 100 (a percentage), got ${pct}` });
    // 0 % would let a window without a single result count as monitored: never a pass without data.
    else if (above0 && pct === 0)
      ctx.addIssue({ code: "custom", message: `${label} must be above 0: a window needs probe results to be judged` });
  });

const ZComponentId = z.string({ error: "expected a component id" }).min(1, { error: "expected a component id" });

export const ZPostDeployment = z
  .strictObject({
    /** How long after the deployment the criteria are watched ("24-hour active monitoring"). */
    window: ZWindow.default(DEFAULT_POST_DEPLOYMENT_WINDOW_MS),
    /** Components watched; every configured component when omitted. */
    components: z
      .array(ZComponentId, { error: "expected components as a list of component ids" })
      .min(1, { error: "list at least one component, or leave components out to watch all of them" })
      .optional(),
    /** Failed probes over all probes in the window, in percent; at most this passes. */
    maxErrorRatePct: ZPercent("maxErrorRatePct", "1").default(1),
    /** The 95th percentile of successful probes' latency over the window, in milliseconds; at most this passes. */
    maxP95Ms: z
      .number({ error: "expected maxP95Ms as a number of milliseconds such as 200" })
      .positive({ error: "maxP95Ms must be above 0 ms" })
      .max(120_000, { error: "maxP95Ms must be at most 120000 ms (the longest probe timeout)" })
      .default(200),
    /** Share of the elapsed window that has probe results ("active monitoring"), in percent; at least this passes. */
    minCoveragePct: ZPercent("minCoveragePct", "90", { above0: true }).default(90),
  })
  .superRefine((pd, ctx) => {
    // Refinements run on a section with problems elsewhere too, where `components` may be whatever was written.
    if (!Array.isArray(pd.components)) return;
    const seen = new Map<string, number>();
    pd.components.forEach((id, index) => {
      const first = seen.get(id);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["components", index],
          message: `component "${id}" is listed twice (already at components[${first}])`,
        });
      else seen.set(id, index);
    });
  });

export type TPostDeploymentInput = z.input<typeof ZPostDeployment>;
export type TPostDeployment = z.output<typeof ZPostDeployment>;

export type TPostDeploymentIssue = { path: (string | number)[]; message: string };

/**
 * References one section cannot check on its own: each component it names must be configured. Paths are from the
 * configuration's root (`postDeployment.components[1]`), as ZConfig's own cross-field checks report them.
 */
export function checkPostDeploymentReferences(
  pd: TPostDeployment | undefined,
  componentIds: Iterable<string>,
): TPostDeploymentIssue[] {
  if (!pd?.components) return [];
  const ids = new Set(componentIds);
  const issues: TPostDeploymentIssue[] = [];
  pd.components.forEach((id, index) => {
    if (!ids.has(id))
      issues.push({ path: ["postDeployment", "components", index], message: `no component with id "${id}"` });
  });
  return issues;
}
