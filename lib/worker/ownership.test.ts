import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { OwnershipLock } from "./locks";
import { createComponentOwnership, ownershipTiming } from "./ownership";
import { shareOf } from "./rendezvous";

// The ownership loop against a lock whose answers the test sets: the registry's members, whether it answers at all.
// (The real backends are exercised by the integration tests: takeover, redis-outage, ownership.)

const logger = pino({ level: "silent" });
const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
const timing = { syncEveryMs: 200, leaseMs: 600 };

function scriptedLock(memberId: string) {
  const state = { members: [memberId], down: false, held: new Set<string>(), drops: [] as string[][] };
  const lock: OwnershipLock = {
    kind: "redis",
    memberId,
    sessionBound: false,
    sessionAlive: () => true,
    heartbeat: async () => {
      if (state.down) throw new Error("ECONNREFUSED");
      return state.members;
    },
    sync: async (keep, drop) => {
      if (state.down) throw new Error("ECONNREFUSED");
      if (drop.length > 0) state.drops.push(drop);
      for (const id of drop) state.held.delete(id);
      for (const id of keep) state.held.add(id);
      return new Set(keep);
    },
    leave: async () => undefined,
    claim: async () => true,
    release: async () => undefined,
    close: async () => undefined,
  };
  return { lock, state };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("ownershipTiming", () => {
  it("syncs every sixth of the shortest interval, within 200 ms and 1 s, on a lease of three syncs", () => {
    expect(ownershipTiming([5_000, 60_000])).toEqual({ syncEveryMs: 833, leaseMs: 2_499 });
    expect(ownershipTiming([1_000])).toEqual({ syncEveryMs: 200, leaseMs: 600 });
    expect(ownershipTiming([300_000])).toEqual({ syncEveryMs: 1_000, leaseMs: 3_000 });
    expect(ownershipTiming([])).toEqual({ syncEveryMs: 1_000, leaseMs: 3_000 });
  });
});

describe("createComponentOwnership", () => {
  it("probes nothing before its first sync, then exactly its share", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const { lock, state } = scriptedLock("a");
    state.members = ["a", "b"];
    const ownership = createComponentOwnership({ lock, componentIds: ids, timing, logger });
    expect(ids.some((id) => ownership.probes(id))).toBe(false);
    await ownership.start();
    const mine = shareOf("a", ["a", "b"], ids);
    expect(ids.filter((id) => ownership.probes(id))).toEqual([...mine]);
    expect(ownership.owned.size).toBe(6);
    await ownership.stop();
    expect(ids.some((id) => ownership.probes(id))).toBe(false);
  });

  it("gives up what a joining worker gains (after letting its probes be written) and announces what it takes", async () => {
    vi.useFakeTimers({ now: 2_000_000 });
    const { lock, state } = scriptedLock("a");
    const order: string[] = [];
    const acquired: string[][] = [];
    const ownership = createComponentOwnership({
      lock,
      componentIds: ids,
      timing,
      logger,
      onAcquired: (taken) => acquired.push(taken),
      beforeRelease: async (given) => {
        order.push(`release ${given.length}`);
      },
    });
    await ownership.start();
    expect(acquired).toEqual([ids]);
    state.members = ["a", "b", "c"];
    await vi.advanceTimersByTimeAsync(250);
    expect(order).toEqual(["release 8"]);
    expect(state.drops).toHaveLength(1);
    expect(ownership.owned).toEqual(shareOf("a", ["a", "b", "c"], ids));
    // "c" died: its share comes back to the survivors.
    state.members = ["a", "b"];
    await vi.advanceTimersByTimeAsync(250);
    expect(acquired.at(-1)?.length).toBeGreaterThan(0);
    expect(ownership.owned).toEqual(shareOf("a", ["a", "b"], ids));
    await ownership.stop();
  });

  it("keeps to its share while its lease lasts with the lock unreachable, then probes everything; back to its share when the lock answers", async () => {
    vi.useFakeTimers({ now: 3_000_000 });
    const { lock, state } = scriptedLock("a");
    state.members = ["a", "b"];
    const ownership = createComponentOwnership({ lock, componentIds: ids, timing, logger });
    await ownership.start();
    const mine = ids.filter((id) => ownership.probes(id));
    expect(mine).toHaveLength(6);
    state.down = true;
    // The last sync vouches for 600 - 100 ms.
    await vi.advanceTimersByTimeAsync(300);
    expect(ids.filter((id) => ownership.probes(id))).toEqual(mine);
    await vi.advanceTimersByTimeAsync(300);
    expect(ids.every((id) => ownership.probes(id))).toBe(true);
    state.down = false;
    await vi.advanceTimersByTimeAsync(250);
    expect(ids.filter((id) => ownership.probes(id))).toEqual(mine);
    await ownership.stop();
  });

  it("probes everything when the lock cannot be reached at start", async () => {
    vi.useFakeTimers({ now: 4_000_000 });
    const { lock, state } = scriptedLock("a");
    state.down = true;
    const ownership = createComponentOwnership({ lock, componentIds: ids, timing, logger });
    await ownership.start();
    expect(ids.every((id) => ownership.probes(id))).toBe(true);
    await ownership.stop();
  });

  it("asks the lock before probing everything when its lease ran out unrenewed (a starved process), and keeps to its share when the lock answers", async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const { lock, state } = scriptedLock("a");
    state.members = ["a", "b"];
    const ownership = createComponentOwnership({ lock, componentIds: ids, timing, logger });
    await ownership.start();
    const mine = ids.filter((id) => ownership.probes(id));
    // The event loop was blocked past the lease: no sync ran, though the lock would have answered.
    vi.setSystemTime(Date.now() + 2_000);
    expect(
      ids.every((id) => ownership.probes(id)),
      "by the lapsed lease alone, everything",
    ).toBe(true);
    const claimed: string[] = [];
    for (const id of ids) if (await ownership.claim(id)) claimed.push(id);
    expect(claimed).toEqual(mine);
    // With the lock down, a claim still probes everything once its bounded wait is over.
    state.down = true;
    vi.setSystemTime(Date.now() + 2_000);
    const answer = ownership.claim(ids[0] ?? "");
    await vi.advanceTimersByTimeAsync(timing.syncEveryMs);
    expect(await answer).toBe(true);
    await ownership.stop();
  });

  it("keeps the lock of a component it gave up until the probes it made are stored, then releases it", async () => {
    vi.useFakeTimers({ now: 6_000_000 });
    const { lock, state } = scriptedLock("a");
    let finishWriting: () => void = () => undefined;
    const writing = new Promise<void>((resolve) => {
      finishWriting = resolve;
    });
    const ownership = createComponentOwnership({
      lock,
      componentIds: ids,
      timing,
      logger,
      beforeRelease: () => writing,
    });
    await ownership.start();
    state.members = ["a", "b"];
    const given = ids.filter((id) => !shareOf("a", ["a", "b"], ids).has(id));
    // The write takes longer than the sync waits for it: the lock is kept, and the component is not probed here.
    await vi.advanceTimersByTimeAsync(2 * timing.syncEveryMs + 50);
    expect(state.drops).toEqual([]);
    expect([...state.held].filter((id) => given.includes(id)).sort()).toEqual([...given].sort());
    expect(given.some((id) => ownership.probes(id))).toBe(false);
    finishWriting();
    await vi.advanceTimersByTimeAsync(timing.syncEveryMs + 50);
    expect(state.drops.flat().sort()).toEqual([...given].sort());
    await ownership.stop();
  });

  it("releases a component given up after one lease even when its results cannot be stored", async () => {
    vi.useFakeTimers({ now: 7_000_000 });
    const { lock, state } = scriptedLock("a");
    const ownership = createComponentOwnership({
      lock,
      componentIds: ids,
      timing,
      logger,
      beforeRelease: () => new Promise<void>(() => undefined),
    });
    await ownership.start();
    state.members = ["a", "b"];
    await vi.advanceTimersByTimeAsync(timing.leaseMs + 2 * timing.syncEveryMs + 50);
    expect(state.drops.flat()).toHaveLength(6);
    await ownership.stop();
  });
});
