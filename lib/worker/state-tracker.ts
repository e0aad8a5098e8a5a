import type { TComponent } from "../config/schema";
import {
  applyResult,
  classifyOutcome,
  type ObservedStatus,
  type StateRules,
  type StateTransition,
  type TrackedState,
} from "../monitor/status";
import type { ProbeOutcome } from "../probes/types";

// The state tracker is a fold over stored results, run inside the transaction that stores them while it holds
// the component's state row (lib/history/write-batch.ts). Whichever worker writes a result, the state is folded
// by one writer at a time, from the state the database holds, and each slot counts once: a result no newer than
// the state's last check (a second worker's copy of the same slot, a late flush) is stored raw and skipped here.
// No worker keeps a copy of the state that could go stale, so two workers can never both extend a history.

/** One probe result as the batch writer buffers it. */
export type WriteItem = {
  componentId: string;
  checkedAt: Date;
  outcome: ProbeOutcome;
  observed: ObservedStatus;
  rules: StateRules;
  /** Inside a maintenance window: recorded, never announced. */
  inMaintenance: boolean;
};

/** A result folded into its component's state, with what the state history needs from it. */
export type FoldedItem = {
  item: WriteItem;
  state: TrackedState;
  transition: StateTransition | null;
  gapFrom: Date | null;
  /** Announce the transition to webhooks. */
  notify: boolean;
};

export function toWriteItem(
  component: TComponent,
  outcome: ProbeOutcome,
  checkedAt: Date,
  inMaintenance: boolean,
): WriteItem {
  const rules: StateRules = {
    intervalMs: component.interval,
    failureThreshold: component.failureThreshold,
    successThreshold: component.successThreshold,
    degradedAfterMs: component.degradedAfter,
  };
  return {
    componentId: component.id,
    checkedAt,
    outcome,
    observed: classifyOutcome(outcome, rules.degradedAfterMs),
    rules,
    inMaintenance,
  };
}

/**
 * Folds one component's results, oldest first, into its stored state. Results at or before the state's last check
 * are skipped (the slot is already counted), as is a second result for the same slot within the batch.
 */
export function foldResults(
  stored: TrackedState | null,
  items: WriteItem[],
): { state: TrackedState | null; folded: FoldedItem[] } {
  let state = stored;
  const folded: FoldedItem[] = [];
  const ordered = [...items].sort((a, b) => a.checkedAt.getTime() - b.checkedAt.getTime());
  for (const item of ordered) {
    if (state?.lastCheckedAt && item.checkedAt.getTime() <= state.lastCheckedAt.getTime()) continue;
    const applied = applyResult(state, item.outcome, item.checkedAt, item.rules);
    state = applied.state;
    const { transition } = applied;
    folded.push({
      item,
      state: applied.state,
      transition,
      gapFrom: applied.gapFrom,
      // Announced: every confirmed change, except coming up from unknown (a start, or the end of a gap: nothing
      // anyone needs paging for), and nothing inside a maintenance window.
      notify:
        transition !== null && !item.inMaintenance && !(transition.from === "unknown" && transition.to !== "down"),
    });
  }
  return { state, folded };
}
