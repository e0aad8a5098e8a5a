import type { TMeasureUnit } from "../format";
import type { ComponentStatus } from "../monitor/status";

// What the engine judges: facts gathered from measurements and CI evidence, each with when it was observed.
// Gathering is I/O (lib/queries); judging (evaluate.ts) is pure.

export type Observed = { at: Date; source: string };

export type ReadinessFacts = {
  /** Effective status (stale = unknown); `inStateMs` runs from `since` to the last confirming check. */
  components: Record<string, { status: ComponentStatus; since: Date | null; inStateMs: number | null }>;
  /** Uptime of a component over a window, keyed `${componentId}@${windowMs}`, with how much of it was observed. */
  uptime: Record<string, { pct: number | null; observedMs: number; observableMs: number; coverage: number }>;
  baselines: Record<string, { failing: string[]; noData: string[]; passing: string[] } & Observed>;
  /** `passRatePct` is over the cases that ran (`tests - skipped`). */
  suites: Record<string, { passRatePct: number | null; tests: number; skipped: number; failed: number; flaky: number } & Observed>;
  loadTests: Record<string, { allThresholdsPassed: boolean | null; failedThresholds: string[]; p95Ms: number | null } & Observed>;
  chaos: Record<string, { recoverySeconds: number | null } & Observed>;
  /** Values of PromQL checks, keyed by check id. */
  promql: Record<string, ({ value: number; unit?: TMeasureUnit } | { reason: string }) & Observed>;
  /** Answers to attestation checks, keyed by check id. */
  attestations: Record<string, { answer: "yes" | "no"; by: string; expiresAt: Date; evidenceUrl: string } & Observed>;
};

export function uptimeKey(componentId: string, windowMs: number): string {
  return `${componentId}@${windowMs}`;
}

export function emptyFacts(): ReadinessFacts {
  return { components: {}, uptime: {}, baselines: {}, suites: {}, loadTests: {}, chaos: {}, promql: {}, attestations: {} };
}
