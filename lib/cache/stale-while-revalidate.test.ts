import { describe, expect, it } from "vitest";
import { createSwrCache } from "./stale-while-revalidate";

describe("createSwrCache", () => {
  it("serves fresh values, serves stale ones while exactly one refresh runs, and reloads when too old", async () => {
    let clock = 0;
    let loads = 0;
    const gate = { release: () => undefined as void };
    const cache = createSwrCache<number>({ freshMs: 10, maxStaleMs: 100, now: () => clock });
    const slowLoad = () => {
      const n = ++loads;
      return new Promise<number>((resolve) => {
        gate.release = () => resolve(n);
      });
    };
    const first = cache.get("k", slowLoad);
    gate.release();
    expect(await first).toBe(1);
    clock = 5;
    expect(await cache.get("k", slowLoad)).toBe(1);
    expect(loads).toBe(1);
    clock = 20;
    // Stale: the old value at once, however many ask, with a single refresh behind them.
    expect(await cache.get("k", slowLoad)).toBe(1);
    expect(await cache.get("k", slowLoad)).toBe(1);
    expect(loads).toBe(2);
    gate.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await cache.get("k", slowLoad)).toBe(2);
    clock = 500;
    const reload = cache.get("k", slowLoad);
    gate.release();
    expect(await reload).toBe(3);
  });
});
