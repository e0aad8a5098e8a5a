import { describe, expect, it } from "vitest";
import { describeVerdict, judgeVerdict, verdictText } from "./verdict";

const NOW = new Date("2026-12-03T10:00:00Z");
const blocker = { name: "x" } as never;
const role = (state: "approved" | "pending" | "stale", required = true) => ({ state, required });

const base = {
  result: { overallPct: 95, blockers: [] },
  gateMinPct: 90,
  scorecardConfigured: true,
  roles: [role("approved"), role("approved")],
  release: { name: "v1", targetDate: "2027-01-15" },
  now: NOW,
};

describe("the verdict line", () => {
  it.each([
    [
      "every gate open, every required role approved",
      base,
      "approved",
      "Ready: approved for go-live · 95.0 % against a 90 % gate · no critical blocker · all 2 sign-offs in · target 15 Jan 2027, in 6 weeks",
    ],
    [
      "gate open, one role still to sign",
      { ...base, roles: [role("approved"), role("pending")] },
      "awaiting-signoff",
      "Not yet: awaiting sign-off · 95.0 % against a 90 % gate · no critical blocker · 1 sign-off missing of 2 · target 15 Jan 2027, in 6 weeks",
    ],
    [
      "an optional role does not hold it back",
      { ...base, roles: [role("approved"), role("pending", false)] },
      "approved",
      "Ready: approved for go-live · 95.0 % against a 90 % gate · no critical blocker · the one sign-off in · target 15 Jan 2027, in 6 weeks",
    ],
    [
      "gate open and no sign-off configured: ready, and it says so",
      { ...base, roles: null },
      "approved",
      "Ready: readiness gate open (no sign-off is configured) · 95.0 % against a 90 % gate · no critical blocker · target 15 Jan 2027, in 6 weeks",
    ],
    [
      "a stale sign-off is a missing one",
      { ...base, roles: [role("stale"), role("approved")] },
      "awaiting-signoff",
      "Not yet: awaiting sign-off · 95.0 % against a 90 % gate · no critical blocker · 1 sign-off missing of 2 · target 15 Jan 2027, in 6 weeks",
    ],
    [
      "below the gate, blockers, nobody signed, the target 10 months past",
      {
        ...base,
        result: { overallPct: 59.5, blockers: Array(6).fill(blocker) },
        roles: [role("pending"), role("pending")],
        release: { name: "v1", targetDate: "2026-02-01" },
      },
      "not-ready",
      "Not ready for go-live · 59.5 % against a 90 % gate · 6 critical blockers · 2 sign-offs missing of 2 · target 1 Feb 2026 passed 10 months ago",
    ],
    [
      "a score at the gate with one critical pending check is not ready",
      { ...base, result: { overallPct: 92, blockers: [blocker] } },
      "not-ready",
      "Not ready for go-live · 92.0 % against a 90 % gate · 1 critical blocker · all 2 sign-offs in · target 15 Jan 2027, in 6 weeks",
    ],
    [
      "nothing scored",
      { ...base, result: { overallPct: null, blockers: [] }, roles: null, release: null },
      "unscored",
      "Not ready for go-live: readiness is not scored",
    ],
    [
      "no scorecard",
      { ...base, scorecardConfigured: false, roles: null, release: { name: "v1", targetDate: null } },
      "unscored",
      "Not ready for go-live: readiness is not scored",
    ],
  ])("%s", (_name, input, state, text) => {
    const verdict = judgeVerdict(input);
    expect(verdict.state).toBe(state);
    expect(verdictText(verdict)).toBe(text);
  });

  it("flags a past target only when the release is not approved, and never on the target day itself", () => {
    const past = judgeVerdict({ ...base, release: { name: "v1", targetDate: "2026-12-02" }, roles: [role("pending")] });
    expect(past.release?.targetPassed).toBe(true);
    expect(describeVerdict(past).target).toBe("target 2 Dec 2026 passed 1 day ago");
    expect(
      judgeVerdict({ ...base, release: { name: "v1", targetDate: "2026-12-03" }, roles: [role("pending")] }).release
        ?.targetPassed,
    ).toBe(false);
    expect(describeVerdict(judgeVerdict({ ...base, release: { name: "v1", targetDate: "2026-12-03" } })).target).toBe(
      "target 3 Dec 2026, today",
    );
    expect(judgeVerdict({ ...base, release: { name: "v1", targetDate: "2026-02-01" } }).release?.targetPassed).toBe(
      false,
    );
  });
});
