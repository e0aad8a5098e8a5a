import { describe, expect, it } from "vitest";
import type { CheckResult } from "./evaluate";
import { judgeGate } from "./gate";

const blocker = (patch: Partial<CheckResult>): CheckResult => ({
  id: "security-tests",
  name: "Security suite",
  kind: "testSuite",
  category: "security",
  critical: true,
  weight: 1,
  verdict: "failed",
  measured: "97 % of 214 tests",
  threshold: "pass rate ≥ 99 %",
  source: "ci",
  observedAt: null,
  reason: "6 failed",
  ...patch,
});

describe("judgeGate", () => {
  it("opens at the minimum exactly, with nothing blocking", () => {
    expect(judgeGate({ overallPct: 90, blockers: [] }, 90)).toEqual({ passed: true, minScorePct: 90, reasons: [] });
  });

  it("stays closed a hair below the minimum and does not round the score up in its reason", () => {
    expect(judgeGate({ overallPct: 89.99, blockers: [] }, 90)).toEqual({
      passed: false,
      minScorePct: 90,
      reasons: ["score 89.9 % is below the 90 % minimum"],
    });
  });

  it("stays closed on a critical check whatever the score, naming each blocker", () => {
    const verdict = judgeGate(
      {
        overallPct: 100,
        blockers: [
          blocker({}),
          blocker({
            id: "load",
            name: "Load tests",
            category: null,
            verdict: "pending",
            measured: null,
            threshold: "every k6 threshold passed",
            reason: "no load-test results",
          }),
        ],
      },
      90,
    );
    expect(verdict.passed).toBe(false);
    // Every line names the measured value and the threshold, then why.
    expect(verdict.reasons).toEqual([
      'critical check "Security suite" is failed: measured 97 % of 214 tests, needs pass rate ≥ 99 %; 6 failed',
      'critical criterion "Load tests" is pending: nothing measured, needs every k6 threshold passed; no load-test results',
    ]);
  });

  it("stays closed when nothing is scored", () => {
    expect(judgeGate({ overallPct: null, blockers: [] }, 0).passed).toBe(false);
  });
});
