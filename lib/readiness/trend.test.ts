import { describe, expect, it } from "vitest";
import { describeTrend } from "./trend";

describe("describeTrend", () => {
  it("says where readiness went, in snapshots and scores rounded down", () => {
    const points = [
      { takenAt: "2026-01-01T00:00:00Z", overallPct: null },
      { takenAt: "2026-01-02T00:00:00Z", overallPct: 61.27 },
      { takenAt: "2026-01-03T00:00:00Z", overallPct: 89.99 },
    ];
    expect(describeTrend(points, 30, 90)).toBe(
      "Readiness over the last 30 days: 2 snapshots, from 61.2 % to 89.9 %; the gate needs 90 %.",
    );
  });
  it("says when nothing was scored", () => {
    expect(describeTrend([{ takenAt: "2026-01-01T00:00:00Z", overallPct: null }], 7, 90)).toBe(
      "No scored snapshot in the last 7 days.",
    );
  });
});
