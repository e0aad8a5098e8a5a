import type { TComponent } from "../config/schema";
import type { ProbeOutcome } from "../probes/types";

// Each component is probed on a fixed grid: slot k is at k·interval + offset, where the offset is a stable
// hash of the component id. The grid never drifts (a late timer does not push later slots back), the
// offsets spread components over the interval instead of firing them together, and each slot gets its own
// setTimeout, so a slow or hanging probe never delays another component's slot.

export type ProbeFn = (component: TComponent) => Promise<ProbeOutcome>;
export type ResultSink = (component: TComponent, outcome: ProbeOutcome, slotAt: Date) => Promise<void>;

export type SchedulerStats = {
  probes: number;
  skippedBusy: number;
  skippedNotOwner: number;
  /** Slots probed late, for a component taken over from a worker that left them unprobed. */
  caughtUp: number;
  maxLagMs: number;
  inFlight: number;
};

export type Scheduler = {
  start: () => void;
  stop: () => Promise<void>;
  /** Probes one component now, outside its grid; resolves with the stored outcome. */
  probeNow: (componentId: string) => Promise<ProbeOutcome>;
  /** Probes a slot already past now, stored as that slot (a takeover's missed slot); its next slot waits for it. */
  catchUp: (componentId: string, slotAt: number) => void;
  /** Resolves when the components' probes in flight have been handed to the sink. */
  settle: (componentIds: string[]) => Promise<void>;
  stats: () => SchedulerStats;
};

/** A scheduled slot that is not run: the scheduler stopped, or another worker owns the component. */
class SlotSkipped extends Error {}

export function slotOffsetMs(componentId: string, intervalMs: number): number {
  let hash = 2166136261;
  for (let i = 0; i < componentId.length; i++) {
    hash ^= componentId.charCodeAt(i);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash % intervalMs;
}

export function nextSlotAt(componentId: string, intervalMs: number, nowMs: number): number {
  const offset = slotOffsetMs(componentId, intervalMs);
  return (Math.floor((nowMs - offset) / intervalMs) + 1) * intervalMs + offset;
}

export function createScheduler(options: {
  components: TComponent[];
  probe: ProbeFn;
  sink: ResultSink;
  /** Most probes in flight at once. */
  concurrency?: number;
  onError?: (error: unknown, component: TComponent) => void;
  /** Whether this process probes the slot (it holds the component's ownership lock). */
  claim?: (component: TComponent, slotAt: number) => Promise<boolean>;
  /** Called for every slot fired, with how late its timer ran. */
  onLag?: (lagMs: number) => void;
  now?: () => number;
}): Scheduler {
  const now = options.now ?? Date.now;
  const concurrency = options.concurrency ?? 64;
  const timers = new Map<string, NodeJS.Timeout>();
  /** Each component's scheduled probe in flight, and whether it is a catch-up (which its next slot waits for). */
  const busy = new Map<string, { work: Promise<unknown>; catchUp: boolean; slotAt: number }>();
  /** The latest slot of each component this scheduler has probed (or is probing). */
  const lastSlot = new Map<string, number>();
  const pending = new Set<Promise<unknown>>();
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let running = false;
  const stats: SchedulerStats = {
    probes: 0,
    skippedBusy: 0,
    skippedNotOwner: 0,
    caughtUp: 0,
    maxLagMs: 0,
    inFlight: 0,
  };

  const acquire = async () => {
    if (inFlight < concurrency) {
      inFlight++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
  };
  const release = () => {
    inFlight--;
    waiting.shift()?.();
  };

  const execute = async (component: TComponent, slotAt: number, manual = false): Promise<ProbeOutcome> => {
    if (!manual && options.claim && !(await options.claim(component, slotAt))) {
      stats.skippedNotOwner++;
      throw new SlotSkipped();
    }
    if (!manual) lastSlot.set(component.id, Math.max(slotAt, lastSlot.get(component.id) ?? slotAt));
    await acquire();
    try {
      // A scheduled probe still queued for a concurrency slot when the scheduler stops is dropped.
      if (!running && !manual) throw new SlotSkipped();
      const outcome = await options.probe(component);
      stats.probes++;
      await options.sink(component, outcome, new Date(slotAt));
      return outcome;
    } finally {
      release();
    }
  };

  const track = <T>(work: Promise<T>): Promise<T> => {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => undefined);
    return work;
  };

  /** Runs a scheduled slot after `after` (a catch-up in flight), as the component's busy probe. */
  const runSlot = (component: TComponent, slotAt: number, catchUp: boolean, after?: Promise<unknown>) => {
    const work = track((after ?? Promise.resolve()).catch(() => undefined).then(() => execute(component, slotAt)));
    const entry = { work, catchUp, slotAt };
    busy.set(component.id, entry);
    void work
      .catch((error: unknown) => {
        if (!(error instanceof SlotSkipped)) options.onError?.(error, component);
      })
      .finally(() => {
        if (busy.get(component.id) === entry) busy.delete(component.id);
      });
    return work;
  };

  const schedule = (component: TComponent, after = now()) => {
    if (!running) return;
    const slotAt = nextSlotAt(component.id, component.interval, after);
    const timer = setTimeout(
      () => {
        // Timers may fire a millisecond early: the next slot is counted from this one, never from the clock
        // alone, or the same slot would be scheduled twice. Slots missed while the process was stalled are
        // skipped, not run in a burst.
        schedule(component, Math.max(now(), slotAt));
        const lag = now() - slotAt;
        stats.maxLagMs = Math.max(stats.maxLagMs, lag);
        options.onLag?.(lag);
        const current = busy.get(component.id);
        // A catch-up of this very slot (its timer ran late) is this slot's probe, done or in flight.
        const done = (lastSlot.get(component.id) ?? -Infinity) >= slotAt;
        if (done || (current?.catchUp && current.slotAt === slotAt)) return;
        if (current && !current.catchUp) {
          stats.skippedBusy++;
          return;
        }
        runSlot(component, slotAt, false, current?.work);
      },
      Math.max(0, slotAt - now()),
    );
    timer.unref?.();
    timers.set(component.id, timer);
  };

  return {
    start() {
      if (running) return;
      running = true;
      for (const component of options.components) schedule(component);
    },
    async stop() {
      running = false;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...pending]);
    },
    probeNow(componentId) {
      const component = options.components.find((c) => c.id === componentId);
      if (!component) return Promise.reject(new Error(`unknown component "${componentId}"`));
      return track(execute(component, now(), true));
    },
    catchUp(componentId, slotAt) {
      const component = options.components.find((c) => c.id === componentId);
      // Not when it is being probed, nor when this worker probed that slot already (probing everything while the
      // lock was unreachable, say, with the result perhaps not written yet).
      const done = (lastSlot.get(componentId) ?? -Infinity) >= slotAt;
      if (!component || !running || busy.has(componentId) || done) return;
      stats.caughtUp++;
      runSlot(component, slotAt, true);
    },
    async settle(componentIds) {
      await Promise.allSettled(componentIds.map((id) => busy.get(id)?.work));
    },
    stats: () => ({ ...stats, inFlight }),
  };
}
