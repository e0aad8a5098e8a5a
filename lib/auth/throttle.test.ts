import { describe, expect, it } from "vitest";
import { createLoginThrottle, createMemoryThrottleStore } from "./throttle";

describe("login throttle (in-process store)", () => {
  const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };

  it("locks an account after its tries, whatever the address, and says for how long", async () => {
    let now = 0;
    const throttle = createLoginThrottle(createMemoryThrottleStore(() => now), limits);
    for (let i = 0; i < 3; i++) expect(await throttle.attempt("ada@x", `10.0.0.${i}`)).toEqual({ ok: true });
    expect(await throttle.attempt("ADA@x ", "10.9.9.9")).toEqual({ ok: false, retryAfterS: 60, reason: "too many failed sign-ins for this account" });
    expect(await throttle.attempt("bob@x", "10.9.9.9")).toEqual({ ok: true });
    now = 59_000;
    expect(await throttle.attempt("ada@x", null)).toMatchObject({ ok: false, retryAfterS: 1 });
    now = 60_000;
    expect(await throttle.attempt("ada@x", null)).toEqual({ ok: true });
  });

  it("counts before the password is checked: parallel attempts get exactly the limit", async () => {
    const throttle = createLoginThrottle(createMemoryThrottleStore(() => 0), limits);
    const verdicts = await Promise.all(Array.from({ length: 30 }, () => throttle.attempt("ada@x", null)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
  });

  it("locks an address spraying many accounts", async () => {
    const throttle = createLoginThrottle(createMemoryThrottleStore(() => 0), limits);
    for (let i = 0; i < 5; i++) expect((await throttle.attempt(`user${i}@x`, "203.0.113.7")).ok).toBe(true);
    expect(await throttle.attempt("fresh@x", "203.0.113.7")).toMatchObject({ ok: false, reason: "too many failed sign-ins from this address" });
    expect(await throttle.attempt("fresh2@x", "203.0.113.8")).toEqual({ ok: true });
  });

  it("a success clears the account's count and gives the address its attempt back", async () => {
    const throttle = createLoginThrottle(createMemoryThrottleStore(() => 0), { ...limits, perAddress: 2 });
    await throttle.attempt("ada@x", "198.51.100.1");
    await throttle.attempt("ada@x", "198.51.100.1");
    await throttle.succeeded("ada@x", "198.51.100.1");
    expect(await throttle.attempt("ada@x", "198.51.100.1")).toEqual({ ok: true });
    expect(await throttle.attempt("ada@x", "198.51.100.1")).toMatchObject({ ok: false, reason: "too many failed sign-ins from this address" });
  });
});
