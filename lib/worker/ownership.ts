import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { OwnershipLock } from "./locks";
import { shareOf } from "./rendezvous";

// Which components this worker probes. Every sync, the worker says it is alive (the registry), reads who else
// is, and takes its rendezvous share of the components (lib/worker/rendezvous.ts): it locks what it gains and
// gives up what it lost to a worker that joined, so the others' shares follow within a sync. A worker that
// dies stops renewing: its registry entry and its locks lapse together after one lease (Redis), or at once with
// its session (PostgreSQL), and the others take its share at their next sync, probing at once any slot it left
// unprobed (lib/worker/takeover.ts). The timings keep a takeover, slot included, within one interval.
//
// Workers share components only with workers configured with the same components (a group, named by a fingerprint
// of the component ids): equal shares depend on the whole list, so while a new configuration rolls out, the workers
// on each side each cover all of their components (a component both know is still probed once: its lock).

export type OwnershipTiming = { syncEveryMs: number; leaseMs: number };

/**
 * A sync every sixth of the shortest interval (200 ms to 1 s), and a lease of three syncs: a dead worker's share is
 * taken over within four syncs (two thirds of an interval, 3.3 s at 5 s; 0.8 s at the 1 s minimum), so its missed
 * slot is probed before the next one is due, and a worker that misses a sync keeps its share.
 */
export function ownershipTiming(intervalsMs: number[]): OwnershipTiming {
  const shortest = Math.min(...intervalsMs, 6_000);
  const syncEveryMs = Math.min(1_000, Math.max(200, Math.round(shortest / 6)));
  return { syncEveryMs, leaseMs: 3 * syncEveryMs };
}

export type ComponentOwnership = {
  /** The first sync; never throws (an unreachable backend means probing everything). */
  start: () => Promise<void>;
  /** Whether this worker probes the component's slots now, by what the last sync vouches for. */
  probes: (componentId: string) => boolean;
  /**
   * Whether this worker probes the component's slot now. Where the last sync's lease has run out unrenewed (a
   * sync that ran late in a starved process, say), the lock is asked first, for at most one sync period: only a lock
   * that does not answer then makes this worker probe everything.
   */
  claim: (componentId: string) => Promise<boolean>;
  /** The components held now (a live view). */
  owned: ReadonlySet<string>;
  /** Gives every component up and leaves the registry. */
  stop: () => Promise<void>;
};

export function createComponentOwnership(options: {
  lock: OwnershipLock;
  componentIds: string[];
  timing: OwnershipTiming;
  logger: Logger;
  /** Components just taken: their last owner may have left a slot unprobed. */
  onAcquired?: (componentIds: string[]) => void;
  /** Before components are given up: their probes in flight finish and are written, so the next owner sees them. */
  beforeRelease?: (componentIds: string[]) => Promise<void>;
  now?: () => number;
}): ComponentOwnership {
  const { lock, logger, timing } = options;
  const now = options.now ?? Date.now;
  const group = createHash("sha256")
    .update([...options.componentIds].sort().join("\n"))
    .digest("hex")
    .slice(0, 8);
  const held = new Set<string>();
  /** Until when the last sync vouches for `held` (local clock, counted from before the sync was sent). */
  let validUntil = 0;
  let unreachableSince: number | null = null;
  let membersSeen = "";
  let share = new Set<string>();
  /**
   * Components given up whose probes in flight are not stored yet (true once they are): their locks are renewed,
   * though this worker no longer probes them, until their results are written, so the next owner, which catches
   * up a slot it finds unstored, never probes a slot this worker has probed. For one lease at most: a database that
   * hangs must not leave a component unprobed by anyone.
   */
  const releasing = new Map<string, { stored: boolean; since: number }>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  /** A first sync has been tried: before it, this worker probes nothing. */
  let tried = false;
  let syncing: Promise<void> | null = null;

  const syncOnce = async () => {
    try {
      const members = await lock.heartbeat(timing.leaseMs, group);
      const seen = [...members].sort().join(" ");
      if (seen !== membersSeen) {
        membersSeen = seen;
        share = shareOf(lock.memberId, members, options.componentIds);
        logger.info(
          { workers: members.length, share: share.size, components: options.componentIds.length },
          "component shares assigned",
        );
      }
      for (const id of releasing.keys()) if (share.has(id)) releasing.delete(id);
      const given = [...held].filter((id) => !share.has(id));
      if (given.length > 0) {
        for (const id of given) {
          held.delete(id);
          releasing.set(id, { stored: false, since: now() });
        }
        const written = Promise.resolve(options.beforeRelease?.(given))
          .catch((error: unknown) =>
            logger.warn({ err: (error as Error).message }, "could not store the results of components given up"),
          )
          .then(() => {
            for (const id of given) {
              const entry = releasing.get(id);
              if (entry) entry.stored = true;
            }
          });
        // Bounded: a database that hangs must not hold up the renewal of everything else; what is not written
        // by then stays locked (below) and is given up at a later sync.
        const bound = new Promise((resolve) => setTimeout(resolve, timing.syncEveryMs).unref?.());
        await Promise.race([written, bound]);
      }
      const due = (entry: { stored: boolean; since: number }) => entry.stored || now() - entry.since >= timing.leaseMs;
      const drop = [...releasing].filter(([, entry]) => due(entry)).map(([id]) => id);
      const stillWriting = [...releasing].filter(([, entry]) => !due(entry)).map(([id]) => id);
      const sentAt = now();
      const got = await lock.sync([...share, ...stillWriting], drop, timing.leaseMs);
      for (const id of drop) releasing.delete(id);
      // One still being written that another worker holds now (its lock lapsed): nothing left to keep for it.
      for (const id of stillWriting) if (!got.has(id)) releasing.delete(id);
      const acquired = [...got].filter((id) => share.has(id) && !held.has(id));
      held.clear();
      for (const id of got) if (share.has(id)) held.add(id);
      // Half a sync short of the lease: the lock's own expiry starts when Redis receives the sync, later than this.
      validUntil = lock.sessionBound ? Infinity : sentAt + timing.leaseMs - timing.syncEveryMs / 2;
      if (unreachableSince !== null) {
        logger.info(
          { afterMs: now() - unreachableSince, held: held.size },
          `${lock.kind} ownership lock reachable again`,
        );
        unreachableSince = null;
      }
      if (acquired.length > 0) options.onAcquired?.(acquired);
    } catch (error) {
      // What the last sync vouched for stands until its lease runs out (probes() then probes everything).
      if (unreachableSince === null) {
        unreachableSince = now();
        logger.warn(
          { err: (error as Error).message },
          `${lock.kind} ownership lock unreachable: probing every component once the lease runs out ` +
            "(duplicate results possible; each state still folds each slot once)",
        );
      }
    }
  };

  /** One sync at a time: the loop's, or one a claim asked for. */
  const runSync = (): Promise<void> => {
    syncing ??= syncOnce().finally(() => {
      syncing = null;
    });
    return syncing;
  };

  const loop = () => {
    if (!running) return;
    // A little jitter, so workers started together do not sync in step.
    const delay = timing.syncEveryMs * (0.9 + Math.random() * 0.2);
    timer = setTimeout(() => {
      void runSync().finally(loop);
    }, delay);
    timer.unref?.();
  };

  const vouched = () => now() < validUntil && (!lock.sessionBound || lock.sessionAlive());
  const probes = (componentId: string) => {
    if (!running || !tried) return false;
    if (vouched()) return held.has(componentId);
    // The lease ran out with no sync to renew it: the lock is unreachable, or hangs (a call still waiting for its
    // timeout), and nobody can say who probes the component. Probe it: a duplicate probe is better than a missed
    // outage, and each slot is stored once.
    return true;
  };

  return {
    async start() {
      if (running) return;
      running = true;
      await runSync();
      tried = true;
      loop();
    },
    probes,
    async claim(componentId) {
      if (!running || !tried) return false;
      if (vouched()) return held.has(componentId);
      const bound = new Promise((resolve) => setTimeout(resolve, timing.syncEveryMs).unref?.());
      await Promise.race([runSync(), bound]);
      return probes(componentId);
    },
    owned: held,
    async stop() {
      running = false;
      clearTimeout(timer);
      if (syncing) await syncing;
      const mine = [...held, ...releasing.keys()];
      held.clear();
      releasing.clear();
      validUntil = 0;
      await lock.sync([], mine, timing.leaseMs).catch(() => undefined);
      await lock.leave().catch(() => undefined);
    },
  };
}
