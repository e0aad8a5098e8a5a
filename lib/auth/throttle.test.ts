import { describe, expect, it } from "vitest";
import { createLoginThrottle, createMemoryThrottleStore } from "./throttle";

describe("login throttle (in-process store)", () => {
  const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };

  it("locks an account after its failures, whatever the address, and says for how long", async () => {
    let now = 0;
    const throttle = createLoginThrottle(createMemoryThrottleStore(() => now), limits);
    for (let i = 0; i < 3; i++) {
      expect(await throttle.check("ada@x", `10.0.0.${i}`)).toEqual({ ok: true });
      await throttle.failed("ada@x", `10.0.0.${i}`);
    }
    expect(await throttle.check("ADA@x ", "10.9.9.9")).toEqual({ ok: false, retryAfterS: 60, reason: "too many failed sign-ins for this account" });
    expect(await throttle.check("bob@x", "10.9.9.9")).toEqual({ ok: true });
    now = 59_000;
    expect(await throttle.check("ada@x", null)).toMatchObject({ ok: false, retryAfterS: 1 });
    now = 60_000;
    expect(await throttle.check("ada@x", null)).toEqual({ ok: true });
  });

  it("locks an address spraying many accounts", async () => {
    const throttle = createLoginThrottle(createMemoryThrottleStore(() => 0), limits);
    for (let i = 0; i < 5; i++) await throttle.failed(`user${i}@x`, "203.0.113.7");
    expect(await throttle.check("fresh@x", "203.0.113.7")).toMatchObject({ ok: false, reason: "too many failed sign-ins from this address" });
    expect(await throttle.check("fresh@x", "203.0.113.8")).toEqual({ ok: true });
  });

  it("a success clears the account's failures", async () => {
    const throttle = createLoginThrottle(createMemoryThrottleStore(() => 0), limits);
    await throttle.failed("ada@x", null);
    await throttle.failed("ada@x", null);
    await throttle.succeeded("ada@x");
    await throttle.failed("ada@x", null);
    expect(await throttle.check("ada@x", null)).toEqual({ ok: true });
  });
});
