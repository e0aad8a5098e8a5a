export type ProbeOutcome = {
  ok: boolean;
  /** Wall time of the whole check, connect included. */
  latencyMs: number;
  /** What the service answered, e.g. "HTTP 200", "PONG", "SELECT 1 → 1". */
  detail: string | null;
  /** Why the check failed; null when it passed. */
  error: string | null;
};

export class ProbeTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = "ProbeTimeoutError";
  }
}
