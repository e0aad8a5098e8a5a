import { describe, expect, it } from "vitest";
import { applyResult, classifyOutcome, effectiveStatus, type StateRules, type TrackedState } from "./status";

const ok = (latencyMs = 10) => ({ ok: true, latencyMs, detail: "HTTP 200", error: null });
const fail = () => ({ ok: false, latencyMs: 5, detail: null, error: "connection refused (ECONNREFUSED)" });
const t = (s: number) => new Date(Date.UTC(2026, 0, 14, 0, 0, 0) + s * 1_000);
const rules: StateRules = { intervalMs: 5_000, failureThreshold: 2, successThreshold: 1 };

/** Runs a sequence of results 5 s apart, returning every state. */
function run(results: ("ok" | "fail" | "slow")[], r: StateRules = rules, start: TrackedState | null = null) {
  let state = start;
  return results.map((kind, i) => {
    const outcome = kind === "fail" ? fail() : ok(kind === "slow" ? 900 : 10);
    const applied = applyResult(state, outcome, t(i * 5), r);
    state = applied.state;
    return applied;
  });
}

describe("classifyOutcome", () => {
  it("is down on failure, degraded when slower than degradedAfter, otherwise up", () => {
    expect(classifyOutcome(fail(), 100)).toBe("down");
    expect(classifyOutcome(ok(150), 100)).toBe("degraded");
    expect(classifyOutcome(ok(100), 100)).toBe("up");
    expect(classifyOutcome(ok(5_000), undefined)).toBe("up");
  });
});

describe("applyResult", () => {
  it("confirms up at the first success (successThreshold 1)", () => {
    const [first] = run(["ok"]);
    expect(first?.state).toMatchObject({ status: "up", since: t(0), streak: 1 });
    expect(first?.transition).toEqual({ from: "unknown", to: "up", at: t(0) });
  });

  it("suppresses a single failure: one failed check does not change the confirmed status", () => {
    const states = run(["ok", "fail", "ok", "ok"]);
    expect(states.map((s) => s.state.status)).toEqual(["up", "up", "up", "up"]);
    expect(states.map((s) => s.observed)).toEqual(["up", "down", "up", "up"]);
    expect(states.filter((s) => s.transition)).toHaveLength(1);
    expect(states[3]?.state.since).toEqual(t(0));
  });

  it("confirms down after failureThreshold failures, dated from the first failure", () => {
    const states = run(["ok", "fail", "fail", "fail"]);
    expect(states.map((s) => s.state.status)).toEqual(["up", "up", "down", "down"]);
    expect(states[2]?.transition).toEqual({ from: "up", to: "down", at: t(5) });
    expect(states[3]?.state).toMatchObject({ since: t(5), consecutiveFailures: 3 });
  });

  it("honours a higher successThreshold on recovery", () => {
    const states = run(["fail", "fail", "ok", "ok", "ok"], { ...rules, successThreshold: 3 });
    expect(states.map((s) => s.state.status)).toEqual(["unknown", "down", "down", "down", "up"]);
    expect(states[4]?.transition).toEqual({ from: "down", to: "up", at: t(10) });
  });

  it("stays unknown while a new component's failures are below the threshold", () => {
    const [first] = run(["fail"], { ...rules, failureThreshold: 3 });
    expect(first?.state.status).toBe("unknown");
    expect(first?.transition).toBeNull();
  });

  it("treats degraded as its own status", () => {
    const states = run(["ok", "slow", "slow", "ok"], { ...rules, degradedAfterMs: 300 });
    expect(states.map((s) => s.state.status)).toEqual(["up", "degraded", "degraded", "up"]);
  });

  it("reads a gap as unknown: after a stale state the old status is not carried over", () => {
    const [first] = run(["ok"]);
    const later = applyResult(first?.state ?? null, ok(), t(60), rules);
    expect(later.gapFrom).toEqual(t(5));
    expect(later.transition).toEqual({ from: "unknown", to: "up", at: t(60) });
    expect(later.state.since).toEqual(t(60));
  });

  it("does not report a gap within three intervals", () => {
    const [first] = run(["ok"]);
    expect(applyResult(first?.state ?? null, ok(), t(15), rules).gapFrom).toBeNull();
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
