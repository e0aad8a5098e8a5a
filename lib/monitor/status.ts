import type { ProbeOutcome } from "../probes/types";

export type ComponentStatus = "up" | "degraded" | "down" | "unknown";

export type ComponentStateSnapshot = {
  status: ComponentStatus;
  since: Date;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
};

/** The status one probe result shows on its own. */
export function classifyOutcome(outcome: ProbeOutcome, degradedAfterMs: number | undefined): Exclude<ComponentStatus, "unknown"> {
  if (!outcome.ok) return "down";
  if (degradedAfterMs !== undefined && outcome.latencyMs > degradedAfterMs) return "degraded";
  return "up";
}

/** Folds one probe result into the component's state; `since` moves only when the status changes. */
export function nextComponentState(
  previous: ComponentStateSnapshot | null,
  outcome: ProbeOutcome,
  checkedAt: Date,
  degradedAfterMs?: number,
): ComponentStateSnapshot {
  const status = classifyOutcome(outcome, degradedAfterMs);
  const consecutiveFailures = outcome.ok ? 0 : (previous?.consecutiveFailures ?? 0) + 1;
  const consecutiveSuccesses = outcome.ok ? (previous?.consecutiveSuccesses ?? 0) + 1 : 0;
  const since = previous && previous.status === status ? previous.since : checkedAt;
  return { status, since, consecutiveFailures, consecutiveSuccesses };
}

/**
 * What a reader should believe now: a stored state whose last check is older than three intervals is no
 * longer evidence of anything (the worker stopped, or the component is new), so it reads as unknown.
 */
export function effectiveStatus(
  stored: { status: ComponentStatus; lastCheckedAt: Date | null } | null,
  intervalMs: number,
  now: Date,
): ComponentStatus {
  if (!stored || !stored.lastCheckedAt) return "unknown";
  if (now.getTime() - stored.lastCheckedAt.getTime() > 3 * intervalMs + 2_000) return "unknown";
  return stored.status;
}
