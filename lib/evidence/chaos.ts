import { z } from "zod";
import { describeValue } from "./input";
import { collectFieldErrors, formatZodError, ID_ERROR, ZID_PATTERN } from "./zod-issues";

// A chaos experiment as evidence: which fault hit which component, and when it ran. The recovery time is not taken
// from the experiment tool: it is measured from Preflight's own probe history (measureRecovery), so the figure on
// the scorecard is one the dashboard saw.

const ZIsoTime = z.iso.datetime({
  offset: true,
  error: "expected an ISO 8601 time with a zone, such as 2026-05-03T10:14:02Z",
});

export const ZChaosExperiment = z
  // Strict: a key this schema does not know is refused, not dropped (a misspelt "expectedRecovery" would vanish).
  .strictObject({
    /** Matches a scorecard chaos check's `experiment`. */
    name: z.string().trim().min(1, { error: "expected a name" }).max(200),
    /** What was done: "pod-delete", "network-latency". */
    fault: z.string().trim().min(1, { error: "expected the fault injected" }).max(200),
    /** The component id from preflight.config.yaml. */
    target: z.string().regex(ZID_PATTERN, { error: ID_ERROR }),
    startedAt: ZIsoTime,
    endedAt: ZIsoTime,
    /** How long the team expects the component to take to come back, for display beside the measured figure. */
    expectedRecoveryS: z.number().nonnegative().max(86_400).optional(),
  })
  .refine((e) => Date.parse(e.endedAt) >= Date.parse(e.startedAt), {
    error: "endedAt is before startedAt",
    path: ["endedAt"],
  });

export type TChaosExperiment = z.output<typeof ZChaosExperiment>;

export type TParseChaosResult =
  | { ok: true; experiment: TChaosExperiment }
  | { ok: false; error: string; fieldErrors: Record<string, string[]> };

export function parseChaosExperiment(input: unknown): TParseChaosResult {
  const parsed = ZChaosExperiment.safeParse(input);
  return parsed.success
    ? { ok: true, experiment: parsed.data }
    : {
        ok: false,
        error: `invalid chaos experiment: ${formatZodError(parsed.error)}`,
        fieldErrors: collectFieldErrors(parsed.error),
      };
}

// Litmus ChaosResult (litmuschaos.io/v1alpha1), as `kubectl get chaosresult NAME -o json` prints it. Its status
// carries a verdict, a phase and run counts but no time at all (chaos-operator's chaosresult_types.go):
// metadata.creationTimestamp is when the experiment created it, at the start, and the only trace of the end is
// the time of the last write in metadata.managedFields, present with --show-managed-fields. Whatever the object
// lacks, the caller supplies from what CI knows (startedAt / endedAt), and the target is always Preflight's
// component id, which Kubernetes names do not give.

const ZLitmusChaosResult = z.object({
  apiVersion: z.string().regex(/^litmuschaos\.io\//, { error: "expected apiVersion litmuschaos.io/v1alpha1" }),
  kind: z.literal("ChaosResult", { error: "expected kind ChaosResult" }),
  metadata: z.object({
    name: z.string().min(1),
    creationTimestamp: ZIsoTime.optional(),
    managedFields: z.array(z.object({ time: ZIsoTime.optional() })).optional(),
  }),
  spec: z.object({ experiment: z.string().min(1), engine: z.string().optional() }),
  status: z.object({
    experimentStatus: z.object({
      phase: z.string(),
      verdict: z.enum(["Pass", "Fail", "Stopped", "Awaited", "Error"], {
        error: "expected verdict Pass, Fail, Stopped, Awaited or Error",
      }),
      probeSuccessPercentage: z.string().optional(),
    }),
  }),
});

export type TLitmusVerdict = z.output<typeof ZLitmusChaosResult>["status"]["experimentStatus"]["verdict"];

export type TLitmusExperiment = TChaosExperiment & { verdict: TLitmusVerdict; phase: string; engine: string | null };

export type TLitmusOptions = { target: string; startedAt?: string; endedAt?: string; expectedRecoveryS?: number };

export type TParseLitmusResult = { ok: true; experiment: TLitmusExperiment } | { ok: false; error: string };

export function parseLitmusChaosResult(input: unknown, options: TLitmusOptions): TParseLitmusResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, error: `expected a Litmus ChaosResult object, got ${describeValue(input)}` };
  }
  const parsed = ZLitmusChaosResult.safeParse(input);
  if (!parsed.success) return { ok: false, error: `invalid Litmus ChaosResult: ${formatZodError(parsed.error)}` };
  const { metadata, spec, status } = parsed.data;
  const { phase, verdict } = status.experimentStatus;
  if (verdict === "Awaited" || phase === "Running") {
    return {
      ok: false,
      error: `the experiment ${metadata.name} has not finished (phase ${phase}, verdict ${verdict}): send the ChaosResult once it completes`,
    };
  }

  const startedAt = options.startedAt ?? metadata.creationTimestamp;
  if (startedAt === undefined) {
    return {
      ok: false,
      error: `the ChaosResult ${metadata.name} has no start time: metadata.creationTimestamp is missing and no startedAt was given`,
    };
  }
  const endedAt = options.endedAt ?? readLastWrite(metadata.managedFields ?? []);
  if (endedAt === undefined) {
    return {
      ok: false,
      error: `the ChaosResult ${metadata.name} has no end time: Litmus records none in its status, so send it with metadata.managedFields (kubectl get -o json --show-managed-fields) or give endedAt`,
    };
  }

  const experiment = parseChaosExperiment({
    name: metadata.name,
    fault: spec.experiment,
    target: options.target,
    startedAt,
    endedAt,
    ...(options.expectedRecoveryS === undefined ? {} : { expectedRecoveryS: options.expectedRecoveryS }),
  });
  if (!experiment.ok) return { ok: false, error: experiment.error };
  return { ok: true, experiment: { ...experiment.experiment, verdict, phase, engine: spec.engine ?? null } };
}

function readLastWrite(fields: { time?: string | undefined }[]): string | undefined {
  let latest: string | undefined;
  for (const { time } of fields) {
    if (time !== undefined && (latest === undefined || Date.parse(time) > Date.parse(latest))) latest = time;
  }
  return latest;
}

export type TRecovery = { recoveredAt: Date | null; recoverySeconds: number | null };

/**
 * How long the component took to come back: from the end of the fault to the first confirmed-up time at or after
 * it. `upTransitions` are the times the monitor confirmed the component up (a transition to up, or the first up
 * probe after the fault), in any order; invalid dates are ignored. Null when it has not come back yet.
 */
export function measureRecovery(faultEndedAt: Date, upTransitions: Date[]): TRecovery {
  const end = faultEndedAt.getTime();
  if (Number.isNaN(end)) return { recoveredAt: null, recoverySeconds: null };
  let first: number | null = null;
  for (const time of upTransitions) {
    const at = time.getTime();
    if (!Number.isNaN(at) && at >= end && (first === null || at < first)) first = at;
  }
  return first === null
    ? { recoveredAt: null, recoverySeconds: null }
    : { recoveredAt: new Date(first), recoverySeconds: (first - end) / 1000 };
}
