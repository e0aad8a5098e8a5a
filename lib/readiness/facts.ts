import type { ComponentStatus } from "../monitor/status";

// What the engine judges: facts gathered from measurements and CI evidence, each with when it was observed.
// Gathering is I/O (lib/queries); judging (evaluate.ts) is pure.

export type Observed = { at: Date; source: string };

export type ReadinessFacts = {
  components: Record<string, { status: ComponentStatus; since: Date | null }>;
  /** Uptime % of a component over a window, keyed `${componentId}@${windowMs}`; null when nothing is known. */
  uptime: Record<string, number | null>;
  baselines: Record<string, { failing: string[]; noData: string[]; passing: string[] } & Observed>;
  suites: Record<string, { passRatePct: number | null; tests: number; failed: number; flaky: number } & Observed>;
  loadTests: Record<string, { allThresholdsPassed: boolean | null; failedThresholds: string[]; p95Ms: number | null } & Observed>;
  chaos: Record<string, { recoverySeconds: number | null } & Observed>;
  /** Values of PromQL checks, keyed by check id. */
  promql: Record<string, ({ value: number } | { reason: string }) & Observed>;
  /** Answers to attestation checks, keyed by check id. */
  attestations: Record<string, { answer: "yes" | "no"; by: string; expiresAt: Date; evidenceUrl: string } & Observed>;
};

export function uptimeKey(componentId: string, windowMs: number): string {
  return `${componentId}@${windowMs}`;
}

export function emptyFacts(): ReadinessFacts {
  return { components: {}, uptime: {}, baselines: {}, suites: {}, loadTests: {}, chaos: {}, promql: {}, attestations: {} };
}
