import type { ConditionValues } from "../conditions/types";

export type ProbeOutcome = {
  /** Transport ok and every condition (implicit or configured) passed. */
  ok: boolean;
  /** Wall time of the whole check, connect included. */
  latencyMs: number;
  /** What the service answered, e.g. "HTTP 200", "PONG", "SELECT 1 → 1", "HTTP 200, TLSv1.3, cert 87 d". */
  detail: string | null;
  /** Why the check failed, e.g. `[BODY].status == UP (got "DOWN")`; null when it passed. */
  error: string | null;
  /**
   * What was measured, for display and history: scalars only. BODY, HEADER and INFO are left out (large, and
   * they can carry session cookies or tokens), as is a RESULT that is a JSON object.
   */
  values?: ConditionValues;
  /** Descriptions of the conditions that failed, each as it appears in `error`. */
  failedConditions?: string[];
};

export class ProbeTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = "ProbeTimeoutError";
  }
}
