// One place that turns measurements into a ProbeOutcome, so every probe type reports failures the same way.
import { compileConditions } from "../conditions/compile";
import { evaluateCondition } from "../conditions/evaluate";
import type { ConditionValues } from "../conditions/types";
import { describeProbeError } from "./errors";
import type { ProbeOutcome } from "./types";

const MAX_VALUE_TEXT = 200;

export type Judgement = {
  latencyMs: number;
  detail: string | null;
  values: ConditionValues;
  /** The probe type's own conditions (`[STATUS] == 200` for a preset), checked before the configured ones. */
  implicit?: readonly string[];
  conditions?: readonly string[];
  /** Failures that are not conditions ("HTTP 503, expected 2xx", "query returned no samples"). */
  problems?: readonly string[];
  /** When the answer is unusable (no samples, an error reply), conditions would only repeat "got nothing". */
  skipConditions?: boolean;
};

export function judgeProbe(judgement: Judgement): ProbeOutcome {
  const { conditions, errors } = compileConditions([...(judgement.implicit ?? []), ...(judgement.conditions ?? [])]);
  const failed = [...errors];
  if (!judgement.skipConditions) {
    for (const condition of conditions) {
      const result = evaluateCondition(condition, judgement.values);
      if (!result.pass) failed.push(result.description);
    }
  }
  const reasons = [...(judgement.problems ?? []), ...failed];
  return {
    ok: reasons.length === 0,
    latencyMs: judgement.latencyMs,
    detail: judgement.detail,
    error: reasons.length === 0 ? null : reasons.join("; "),
    values: publicValues(judgement.values),
    failedConditions: failed,
  };
}

/** A check that never got an answer: refused, reset, timed out. */
export function failProbe(started: number, error: unknown, values: ConditionValues = {}): ProbeOutcome {
  return {
    ok: false,
    latencyMs: performance.now() - started,
    detail: null,
    error: describeProbeError(error),
    values: publicValues(values),
    failedConditions: [],
  };
}

/** Scalars only, text cut short: BODY, HEADER and INFO are large and can hold cookies, tokens or keys. */
function publicValues(values: ConditionValues): ConditionValues {
  const kept: ConditionValues = {};
  for (const [name, value] of Object.entries(values) as [keyof ConditionValues, unknown][]) {
    if (name === "BODY" || name === "HEADER" || name === "INFO") continue;
    if (typeof value === "string")
      kept[name] = value.length > MAX_VALUE_TEXT ? `${value.slice(0, MAX_VALUE_TEXT - 1)}…` : value;
    else if (value === null || typeof value === "number" || typeof value === "boolean") kept[name] = value;
  }
  return kept;
}
