import type { TComponent } from "../config/schema";
import { applyResult, type ObservedStatus, type StateTransition, type TrackedState } from "../monitor/status";
import type { ProbeOutcome } from "../probes/types";

/** One probe result with everything the batch writer stores for it. */
export type WriteItem = {
  componentId: string;
  checkedAt: Date;
  outcome: ProbeOutcome;
  observed: ObservedStatus;
  state: TrackedState;
  transition: StateTransition | null;
  gapFrom: Date | null;
  intervalMs: number;
  /** Announce the transition to webhooks (false inside a maintenance window). */
  notify: boolean;
};

/**
 * Keeps each component's state in memory and folds results into it in order, so states are computed even
 * while the database is unreachable. A component this worker has just taken over is read from the database
 * first (another worker was writing it).
 */
export function createStateTracker(options: {
  loadState: (componentId: string) => Promise<TrackedState | null>;
  /** Every stored state at once, so start-up costs one query rather than one per component. */
  loadAll?: () => Promise<Map<string, TrackedState>>;
}) {
  const states = new Map<string, TrackedState | null>();
  let preload: Promise<void> | null = null;
  let preloaded = false;
  /** Components taken over from another worker: their stored state is newer than the preload. */
  const stale = new Set<string>();
  /** After a failed load, when to try again: a database outage must not make every result wait on it. */
  const retryAt = new Map<string, number>();
  const RETRY_MS = 30_000;
  const queues = new Map<string, Promise<unknown>>();

  const applyInOrder = async (component: TComponent, outcome: ProbeOutcome, checkedAt: Date, inMaintenance: boolean) => {
    if (options.loadAll) {
      preload ??= options
        .loadAll()
        .then((all) => {
          for (const [id, state] of all) if (!states.has(id)) states.set(id, state);
          preloaded = true;
        })
        // Not loaded: each component then loads its own state, and retries until it has it.
        .catch(() => undefined);
      await preload;
    }
    // After a successful preload a component with no row is simply new: no query for it.
    const due = (retryAt.get(component.id) ?? 0) <= Date.now();
    if (due && (stale.has(component.id) || (!states.has(component.id) && !preloaded))) {
      try {
        states.set(component.id, await options.loadState(component.id));
        stale.delete(component.id);
        retryAt.delete(component.id);
      } catch {
        // Database down: go on from what this worker knows (thresholds still apply), and load the stored
        // state once the database is back, so an incident is neither split nor announced twice.
        if (!states.has(component.id)) states.set(component.id, null);
        stale.add(component.id);
        retryAt.set(component.id, Date.now() + RETRY_MS);
      }
    }
    const applied = applyResult(states.get(component.id) ?? null, outcome, checkedAt, {
      intervalMs: component.interval,
      failureThreshold: component.failureThreshold,
      successThreshold: component.successThreshold,
      degradedAfterMs: component.degradedAfter,
    });
    states.set(component.id, applied.state);
    const item: WriteItem = {
      componentId: component.id,
      checkedAt,
      outcome,
      observed: applied.observed,
      state: applied.state,
      transition: applied.transition,
      gapFrom: applied.gapFrom,
      intervalMs: component.interval,
      // Announced: every confirmed change, except coming up from unknown (a start, or the end of a gap:
      // nothing anyone needs paging for), and nothing inside a maintenance window.
      notify:
        applied.transition !== null && !inMaintenance && !(applied.transition.from === "unknown" && applied.transition.to !== "down"),
    };
    return item;
  };

  return {
    /** Results of one component are applied in the order they were handed in. */
    apply(component: TComponent, outcome: ProbeOutcome, checkedAt: Date, inMaintenance = false): Promise<WriteItem> {
      const previous = queues.get(component.id) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => applyInOrder(component, outcome, checkedAt, inMaintenance));
      queues.set(component.id, next);
      return next;
    },
    /** Forget what we know, so the next result reloads the state from the database. */
    invalidate(componentId: string) {
      stale.add(componentId);
    },
    get(componentId: string): TrackedState | null {
      return states.get(componentId) ?? null;
    },
  };
}
