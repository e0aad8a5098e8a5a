import { describe, expect, it } from "vitest";
import {
  createFallbackThrottleStore,
  createLoginThrottle,
  createMemoryThrottleStore,
  PRIMARY_BOUND_MS,
  type TThrottleStore,
} from "./throttle";

describe("login throttle (in-process store)", () => {
  const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };

  it("locks an account after its tries, whatever the address, and says for how long", async () => {
    let now = 0;
    const throttle = createLoginThrottle(
      createMemoryThrottleStore(() => now),
      limits,
    );
    for (let i = 0; i < 3; i++) expect(await throttle.attempt("ada@x", `10.0.0.${i}`)).toEqual({ ok: true });
    expect(await throttle.attempt("ADA@x ", "10.9.9.9")).toEqual({
      ok: false,
      retryAfterS: 60,
      reason: "too many failed sign-ins for this account",
    });
    expect(await throttle.attempt("bob@x", "10.9.9.9")).toEqual({ ok: true });
    now = 59_000;
    expect(await throttle.attempt("ada@x", null)).toMatchObject({ ok: false, retryAfterS: 1 });
    now = 60_000;
    expect(await throttle.attempt("ada@x", null)).toEqual({ ok: true });
  });

  it("counts before the password is checked: parallel attempts get exactly the limit", async () => {
    const throttle = createLoginThrottle(
      createMemoryThrottleStore(() => 0),
      limits,
    );
    const verdicts = await Promise.all(Array.from({ length: 30 }, () => throttle.attempt("ada@x", null)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
  });

  it("locks an address spraying many accounts", async () => {
    const throttle = createLoginThrottle(
      createMemoryThrottleStore(() => 0),
      limits,
    );
    for (let i = 0; i < 5; i++) expect((await throttle.attempt(`user${i}@x`, "203.0.113.7")).ok).toBe(true);
    expect(await throttle.attempt("fresh@x", "203.0.113.7")).toMatchObject({
      ok: false,
      reason: "too many failed sign-ins from this address",
    });
    expect(await throttle.attempt("fresh2@x", "203.0.113.8")).toEqual({ ok: true });
  });

  it("a success clears the account's count and gives the address its attempt back", async () => {
    const throttle = createLoginThrottle(
      createMemoryThrottleStore(() => 0),
      { ...limits, perAddress: 2 },
    );
    await throttle.attempt("ada@x", "198.51.100.1");
    await throttle.attempt("ada@x", "198.51.100.1");
    await throttle.succeeded("ada@x", "198.51.100.1");
    expect(await throttle.attempt("ada@x", "198.51.100.1")).toEqual({ ok: true });
    expect(await throttle.attempt("ada@x", "198.51.100.1")).toMatchObject({
      ok: false,
      reason: "too many failed sign-ins from this address",
    });
  });
});

describe("fallback throttle store (Redis, then PostgreSQL)", () => {
  /** A store that counts calls, and answers, fails or never answers as told. */
  function store(behaviour: { current: "answer" | "fail" | "hang" }) {
    const inner = createMemoryThrottleStore(() => 0);
    const calls: string[] = [];
    const act = <T>(name: string, work: () => Promise<T>): Promise<T> => {
      calls.push(name);
      if (behaviour.current === "fail") return Promise.reject(new Error("Stream isn't writeable"));
      if (behaviour.current === "hang") return new Promise<T>(() => undefined);
      return work();
    };
    const wrapped: TThrottleStore = {
      incr: (key, windowMs) => act(`incr ${key}`, () => inner.incr(key, windowMs)),
      decr: (key) => act(`decr ${key}`, () => inner.decr(key)),
      clear: (key) => act(`clear ${key}`, () => inner.clear(key)),
    };
    return { store: wrapped, calls };
  }
  const limits = { perAccount: 5, perAddress: 20, windowMs: 60_000 };

  it("counts in the primary while it answers, and clears in both", async () => {
    const primary = store({ current: "answer" });
    const fallback = store({ current: "answer" });
    const throttle = createLoginThrottle(
      createFallbackThrottleStore(primary.store, fallback.store, { available: () => true }),
      limits,
    );
    expect(await throttle.attempt("ada@x", "192.0.2.1")).toEqual({ ok: true });
    await throttle.succeeded("ada@x", "192.0.2.1");
    expect(primary.calls).toEqual([
      "incr account:ada@x",
      "incr address:192.0.2.1",
      "clear account:ada@x",
      "decr address:192.0.2.1",
    ]);
    expect(fallback.calls).toEqual(["clear account:ada@x"]);
  });

  it("counts in the fallback, without asking the primary, while the primary is known to be down", async () => {
    const primary = store({ current: "answer" });
    const fallback = store({ current: "answer" });
    const throttle = createLoginThrottle(
      createFallbackThrottleStore(primary.store, fallback.store, { available: () => false }),
      limits,
    );
    for (let i = 0; i < 5; i++) expect(await throttle.attempt("tia@x", null)).toEqual({ ok: true });
    expect(await throttle.attempt("tia@x", null)).toMatchObject({
      ok: false,
      reason: "too many failed sign-ins for this account",
    });
    expect(primary.calls).toEqual([]);
    expect(fallback.calls).toHaveLength(6);
  });

  it("falls back within the bound when the primary hangs, and pays the bound once, not per call", async () => {
    let now = 0;
    const primary = store({ current: "hang" });
    const fallback = store({ current: "answer" });
    const throttle = createLoginThrottle(
      createFallbackThrottleStore(primary.store, fallback.store, { available: () => true, now: () => now }),
      limits,
    );
    const started = performance.now();
    expect(await throttle.attempt("bob@x", "192.0.2.2")).toEqual({ ok: true });
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(PRIMARY_BOUND_MS - 20);
    expect(took).toBeLessThan(PRIMARY_BOUND_MS + 200);
    // The address was counted in the fallback at once: the primary is paused after its failure.
    expect(primary.calls).toEqual(["incr account:bob@x"]);
    expect(fallback.calls).toEqual(["incr account:bob@x", "incr address:192.0.2.2"]);
    // Once the pause is over it is asked again.
    now = 5_000;
    primary.calls.length = 0;
    expect(await throttle.attempt("bob@x", null)).toEqual({ ok: true });
    expect(primary.calls).toEqual(["incr account:bob@x"]);
  });

  it("asks the primary again as soon as it is back from an outage it was seen in, pause or not", async () => {
    let available = true;
    const behaviour: { current: "answer" | "fail" | "hang" } = { current: "fail" };
    const primary = store(behaviour);
    const fallback = store({ current: "answer" });
    const throttle = createLoginThrottle(
      createFallbackThrottleStore(primary.store, fallback.store, { available: () => available, now: () => 0 }),
      limits,
    );
    await throttle.attempt("dee@x", null);
    // Paused after the failure (the clock stands still here): the fallback counts.
    behaviour.current = "answer";
    await throttle.attempt("dee@x", null);
    expect(primary.calls).toEqual(["incr account:dee@x"]);
    available = false;
    await throttle.attempt("dee@x", null);
    available = true;
    await throttle.attempt("dee@x", null);
    expect(primary.calls).toEqual(["incr account:dee@x", "incr account:dee@x"]);
  });

  it("falls back at once when the primary refuses", async () => {
    const primary = store({ current: "fail" });
    const fallback = store({ current: "answer" });
    const throttle = createLoginThrottle(
      createFallbackThrottleStore(primary.store, fallback.store, { available: () => true }),
      limits,
    );
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect(await throttle.attempt("cy@x", null)).toEqual({ ok: true });
    expect(await throttle.attempt("cy@x", null)).toMatchObject({ ok: false });
    expect(performance.now() - started).toBeLessThan(100);
  });
});
