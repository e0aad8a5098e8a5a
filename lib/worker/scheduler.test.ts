import { afterEach, describe, expect, it, vi } from "vitest";
import type { TComponent } from "../config/schema";
import { createScheduler, nextSlotAt, slotOffsetMs } from "./scheduler";

const component = (id: string, interval = 1_000): TComponent => ({
  failureThreshold: 2,
  successThreshold: 1,
  id,
  name: id,
  service: id,
  interval,
  timeout: 500,
  probe: { type: "redis", url: "redis://127.0.0.1:1" },
});
const okOutcome = { ok: true, latencyMs: 1, detail: "PONG", error: null };

afterEach(() => {
  vi.useRealTimers();
});

describe("slot grid", () => {
  it("gives each component a stable offset inside its interval", () => {
    expect(slotOffsetMs("api", 5_000)).toBe(slotOffsetMs("api", 5_000));
    expect(slotOffsetMs("api", 5_000)).toBeGreaterThanOrEqual(0);
    expect(slotOffsetMs("api", 5_000)).toBeLessThan(5_000);
    expect(slotOffsetMs("api", 5_000)).not.toBe(slotOffsetMs("cache", 5_000));
  });

  it("puts the next slot on the grid, strictly after now", () => {
    const offset = slotOffsetMs("api", 5_000);
    expect(nextSlotAt("api", 5_000, 100_000 + offset)).toBe(105_000 + offset);
    expect(nextSlotAt("api", 5_000, 100_000 + offset - 1)).toBe(100_000 + offset);
  });
});

describe("createScheduler", () => {
  it("probes every component once per slot, on the grid, without drift", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const slots: Record<string, number[]> = {};
    const scheduler = createScheduler({
      components: [component("a"), component("b", 2_000)],
      probe: async () => okOutcome,
      sink: async (c, _o, slotAt) => {
        (slots[c.id] ??= []).push(slotAt.getTime());
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    await scheduler.stop();
    expect(slots.a).toHaveLength(10);
    expect(slots.b).toHaveLength(5);
    for (const [id, interval] of [
      ["a", 1_000],
      ["b", 2_000],
    ] as const) {
      const times = slots[id] ?? [];
      const offset = slotOffsetMs(id, interval);
      for (const at of times) expect((at - offset) % interval).toBe(0);
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBe(interval);
    }
  });

  it("skips a slot while the previous probe of the same component still runs, and never delays others", async () => {
    vi.useFakeTimers({ now: 2_000_000 });
    const done: string[] = [];
    const scheduler = createScheduler({
      components: [component("hang"), component("fast")],
      probe: (c) =>
        c.id === "hang"
          ? new Promise((resolve) => setTimeout(() => resolve(okOutcome), 3_500))
          : Promise.resolve(okOutcome),
      sink: async (c) => {
        done.push(c.id);
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(done.filter((id) => id === "fast")).toHaveLength(5);
    expect(done.filter((id) => id === "hang").length).toBeLessThanOrEqual(1);
    expect(scheduler.stats().skippedBusy).toBeGreaterThanOrEqual(3);
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(4_000);
    await stopped;
  });

  it("bounds the number of probes in flight", async () => {
    vi.useFakeTimers({ now: 3_000_000 });
    let inFlight = 0;
    let peak = 0;
    const scheduler = createScheduler({
      components: Array.from({ length: 20 }, (_, i) => component(`c${i}`)),
      concurrency: 3,
      probe: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 400));
        inFlight--;
        return okOutcome;
      },
      sink: async () => undefined,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    await stopped;
    expect(peak).toBe(3);
  });

  it("never runs a slot twice when a timer fires early", async () => {
    // A clock that reads 1 ms behind exactly at slot boundaries: each timer callback sees a time just
    // before its own slot, as Node's timers sometimes do.
    vi.useFakeTimers({ now: 5_000_000 });
    const offset = slotOffsetMs("early", 1_000);
    const slots: number[] = [];
    const scheduler = createScheduler({
      components: [component("early")],
      probe: async () => okOutcome,
      sink: async (_c, _o, slotAt) => {
        slots.push(slotAt.getTime());
      },
      now: () => {
        const t = Date.now();
        return (t - offset) % 1_000 === 0 ? t - 1 : t;
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.stop();
    expect(new Set(slots).size).toBe(slots.length);
    expect(slots.length).toBeGreaterThanOrEqual(4);
  });

  it("probes on demand and rejects an unknown component", async () => {
    const seen: string[] = [];
    const scheduler = createScheduler({
      components: [component("api")],
      probe: async () => okOutcome,
      sink: async (c) => {
        seen.push(c.id);
      },
    });
    await expect(scheduler.probeNow("api")).resolves.toEqual(okOutcome);
    await expect(scheduler.probeNow("nope")).rejects.toThrow(/unknown component "nope"/);
    expect(seen).toEqual(["api"]);
  });

  it("is safe to start twice", async () => {
    vi.useFakeTimers({ now: 4_000_000 });
    let probes = 0;
    const scheduler = createScheduler({
      components: [component("api")],
      probe: async () => {
        probes++;
        return okOutcome;
      },
      sink: async () => undefined,
    });
    scheduler.start();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3_000);
    await scheduler.stop();
    expect(probes).toBe(3);
  });

  it("probes a missed slot on catch-up, stored as that slot, and its next slot waits for it instead of being skipped", async () => {
    vi.useFakeTimers({ now: 3_000_000 });
    const offset = slotOffsetMs("taken", 5_000);
    // Just before the next slot: the catch-up probe (2 s) still runs when that slot fires.
    const next = nextSlotAt("taken", 5_000, 3_000_000);
    vi.setSystemTime(next - 500);
    const slots: number[] = [];
    const scheduler = createScheduler({
      components: [component("taken", 5_000)],
      probe: () => new Promise((resolve) => setTimeout(() => resolve(okOutcome), 2_000)),
      sink: async (_c, _o, slotAt) => {
        slots.push(slotAt.getTime());
      },
    });
    scheduler.start();
    scheduler.catchUp("taken", next - 5_000);
    // A second catch-up for a component already being probed is ignored.
    scheduler.catchUp("taken", next - 5_000);
    await vi.advanceTimersByTimeAsync(10_000);
    await scheduler.stop();
    expect(slots.slice(0, 3)).toEqual([next - 5_000, next, next + 5_000]);
    for (const at of slots) expect((at - offset) % 5_000).toBe(0);
    expect(scheduler.stats()).toMatchObject({ caughtUp: 1, skippedBusy: 0 });
  });

  it("does not catch up a slot it probed itself, nor one whose timer is about to fire it", async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const slots: number[] = [];
    const scheduler = createScheduler({
      components: [component("mine")],
      probe: async () => okOutcome,
      sink: async (_c, _o, slotAt) => {
        slots.push(slotAt.getTime());
      },
    });
    scheduler.start();
    const first = nextSlotAt("mine", 1_000, 5_000_000);
    await vi.advanceTimersByTimeAsync(first - 5_000_000 + 10);
    scheduler.catchUp("mine", first);
    // A slot caught up before its timer fires (a timer running late, seen from the other side): the timer then
    // does not probe it again.
    scheduler.catchUp("mine", first + 1_000);
    await vi.advanceTimersByTimeAsync(2_100);
    await scheduler.stop();
    expect(slots).toEqual([first, first + 1_000, first + 2_000]);
    expect(scheduler.stats().caughtUp).toBe(1);
  });

  it("settles: resolves once the components' probes in flight are in the sink", async () => {
    vi.useFakeTimers({ now: 4_000_000 });
    const stored: string[] = [];
    const scheduler = createScheduler({
      components: [component("slow")],
      probe: () => new Promise((resolve) => setTimeout(() => resolve(okOutcome), 300)),
      sink: async (c) => {
        stored.push(c.id);
      },
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(nextSlotAt("slow", 1_000, 4_000_000) - 4_000_000 + 10);
    let settled = false;
    const settling = scheduler.settle(["slow", "unknown"]).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(100);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(300);
    await settling;
    expect(stored).toEqual(["slow"]);
    await scheduler.stop();
  });
});
