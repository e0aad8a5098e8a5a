import { describe, expect, it } from "vitest";
import { classifyOutcome, effectiveStatus, nextComponentState } from "./status";

const ok = (latencyMs = 10) => ({ ok: true, latencyMs, detail: "HTTP 200", error: null });
const fail = () => ({ ok: false, latencyMs: 5, detail: null, error: "connection refused (ECONNREFUSED)" });
const t = (s: number) => new Date(Date.UTC(2026, 0, 14, 0, 0, s));

describe("classifyOutcome", () => {
  it("is down on failure, degraded when slower than degradedAfter, otherwise up", () => {
    expect(classifyOutcome(fail(), 100)).toBe("down");
    expect(classifyOutcome(ok(150), 100)).toBe("degraded");
    expect(classifyOutcome(ok(100), 100)).toBe("up");
    expect(classifyOutcome(ok(5_000), undefined)).toBe("up");
  });
});

describe("nextComponentState", () => {
  it("starts the clock at the first result", () => {
    expect(nextComponentState(null, ok(), t(0))).toEqual({ status: "up", since: t(0), consecutiveFailures: 0, consecutiveSuccesses: 1 });
  });

  it("keeps since while the status holds and moves it on a change", () => {
    const a = nextComponentState(null, ok(), t(0));
    const b = nextComponentState(a, ok(), t(5));
    expect(b.since).toEqual(t(0));
    expect(b.consecutiveSuccesses).toBe(2);
    const c = nextComponentState(b, fail(), t(10));
    expect(c).toEqual({ status: "down", since: t(10), consecutiveFailures: 1, consecutiveSuccesses: 0 });
    const d = nextComponentState(c, fail(), t(15));
    expect(d).toMatchObject({ since: t(10), consecutiveFailures: 2 });
    expect(nextComponentState(d, ok(), t(20))).toMatchObject({ status: "up", since: t(20), consecutiveFailures: 0 });
  });

  it("treats up to degraded as a change of status", () => {
    const a = nextComponentState(null, ok(10), t(0), 100);
    expect(nextComponentState(a, ok(500), t(5), 100)).toMatchObject({ status: "degraded", since: t(5) });
  });
});

describe("effectiveStatus", () => {
  const interval = 5_000;
  it("is unknown with no data", () => {
    expect(effectiveStatus(null, interval, t(0))).toBe("unknown");
    expect(effectiveStatus({ status: "up", lastCheckedAt: null }, interval, t(0))).toBe("unknown");
  });
  it("is the stored status while checks are fresh", () => {
    expect(effectiveStatus({ status: "down", lastCheckedAt: t(0) }, interval, t(16))).toBe("down");
  });
  it("is unknown once the last check is older than three intervals (the worker stopped)", () => {
    expect(effectiveStatus({ status: "up", lastCheckedAt: t(0) }, interval, t(18))).toBe("unknown");
  });
});
