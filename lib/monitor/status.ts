import type { ProbeOutcome } from "../probes/types";

export type ComponentStatus = "up" | "degraded" | "down" | "unknown";
export type ObservedStatus = Exclude<ComponentStatus, "unknown">;

/** A stored state older than this many intervals says nothing any more: no worker was checking. */
export const STALE_AFTER_INTERVALS = 3;
const STALE_GRACE_MS = 2_000;

export type StateRules = {
  intervalMs: number;
  failureThreshold: number;
  successThreshold: number;
  degradedAfterMs?: number;
};

/** A component's state: the confirmed status (after thresholds) and the streak of raw observations. */
export type TrackedState = {
  status: ComponentStatus;
  /** Start of the confirmed status: the first result of the streak that confirmed it. */
  since: Date;
  observedStatus: ComponentStatus;
  streak: number;
  streakStartedAt: Date | null;
  consecutiveFailures: number;
  lastCheckedAt: Date | null;
};

export type StateTransition = { from: ComponentStatus; to: ObservedStatus; at: Date };

export type AppliedResult = {
  state: TrackedState;
  observed: ObservedStatus;
  /** Set when the confirmed status changed with this result. */
  transition: StateTransition | null;
  /** Set when the previous state had gone stale: its coverage ended here, and the gap between reads unknown. */
  gapFrom: Date | null;
};

/** The status one probe result shows on its own. */
export function classifyOutcome(outcome: ProbeOutcome, degradedAfterMs: number | undefined): ObservedStatus {
  if (!outcome.ok) return "down";
  if (degradedAfterMs !== undefined && outcome.latencyMs > degradedAfterMs) return "degraded";
  return "up";
}

export function isStale(lastCheckedAt: Date | null, intervalMs: number, now: Date): boolean {
  return (
    !lastCheckedAt || now.getTime() - lastCheckedAt.getTime() > STALE_AFTER_INTERVALS * intervalMs + STALE_GRACE_MS
  );
}

export function initialState(at: Date): TrackedState {
  return {
    status: "unknown",
    since: at,
    observedStatus: "unknown",
    streak: 0,
    streakStartedAt: null,
    consecutiveFailures: 0,
    lastCheckedAt: null,
  };
}

/**
 * Folds one probe result into a component's state. The confirmed status changes only after
 * `failureThreshold` consecutive failures or `successThreshold` consecutive results of the new status, so
 * a single failed check never raises an alarm; `since` is the first result of the confirming streak.
 */
export function applyResult(
  previous: TrackedState | null,
  outcome: ProbeOutcome,
  checkedAt: Date,
  rules: StateRules,
): AppliedResult {
  const observed = classifyOutcome(outcome, rules.degradedAfterMs);
  let prev = previous ?? initialState(checkedAt);
  let gapFrom: Date | null = null;
  if (previous?.lastCheckedAt && isStale(previous.lastCheckedAt, rules.intervalMs, checkedAt)) {
    // The worker was not checking: what we knew ended one interval after the last check.
    if (previous.status !== "unknown") gapFrom = new Date(previous.lastCheckedAt.getTime() + rules.intervalMs);
    prev = initialState(checkedAt);
  }
  const continuing = prev.observedStatus === observed;
  const streak = continuing ? prev.streak + 1 : 1;
  const streakStartedAt = continuing && prev.streakStartedAt ? prev.streakStartedAt : checkedAt;
  const threshold = observed === "down" ? rules.failureThreshold : rules.successThreshold;
  const confirms = prev.status !== observed && streak >= threshold;
  const transition: StateTransition | null = confirms ? { from: prev.status, to: observed, at: streakStartedAt } : null;
  const state: TrackedState = {
    status: confirms ? observed : prev.status,
    since: confirms ? streakStartedAt : prev.since,
    observedStatus: observed,
    streak,
    streakStartedAt,
    consecutiveFailures: observed === "down" ? prev.consecutiveFailures + 1 : 0,
    lastCheckedAt: checkedAt,
  };
  return { state, observed, transition, gapFrom };
}

/** What a reader should believe now: a stale state reads as unknown. */
export function effectiveStatus(
  stored: { status: ComponentStatus; lastCheckedAt: Date | null } | null,
  intervalMs: number,
  now: Date,
): ComponentStatus {
  if (!stored || isStale(stored.lastCheckedAt, intervalMs, now)) return "unknown";
  return stored.status;
}
