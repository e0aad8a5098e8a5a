import { describe, expect, it } from "vitest";
import { isOverdue, riskLevel } from "./plan";

const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe("isOverdue", () => {
  const now = new Date("2026-01-21T10:30:00Z");

  it("is overdue once the due day has passed and the task is not done", () => {
    for (const status of ["todo", "in_progress", "blocked"])
      expect(isOverdue(day("2026-01-20"), status, now), status).toBe(true);
    expect(isOverdue(day("2025-12-31"), "todo", now)).toBe(true);
  });

  it("is not overdue on the due day itself, from its first to its last millisecond (UTC)", () => {
    expect(isOverdue(day("2026-01-21"), "todo", now)).toBe(false);
    expect(isOverdue(day("2026-01-21"), "todo", new Date("2026-01-21T00:00:00.000Z"))).toBe(false);
    expect(isOverdue(day("2026-01-21"), "todo", new Date("2026-01-21T23:59:59.999Z"))).toBe(false);
    expect(isOverdue(day("2026-01-21"), "todo", new Date("2026-01-22T00:00:00.000Z"))).toBe(true);
  });

  it("is not overdue before the due day", () => {
    expect(isOverdue(day("2026-01-22"), "todo", now)).toBe(false);
    expect(isOverdue(day("2027-01-01"), "blocked", now)).toBe(false);
  });

  it("is never overdue when done, however late", () => {
    expect(isOverdue(day("2026-01-20"), "done", now)).toBe(false);
    expect(isOverdue(day("2000-01-01"), "done", now)).toBe(false);
  });

  it("is never overdue without a due date", () => {
    expect(isOverdue(null, "todo", now)).toBe(false);
    expect(isOverdue(null, "blocked", now)).toBe(false);
  });

  it("compares calendar days, not hours: a due day late in the evening does not move it", () => {
    // A @db.Date column comes back as midnight UTC; a stray time of day must not make the day count as passed.
    expect(isOverdue(new Date("2026-01-21T23:00:00Z"), "todo", now)).toBe(false);
    expect(isOverdue(new Date("2026-01-20T23:59:59Z"), "todo", now)).toBe(true);
  });
});

describe("riskLevel", () => {
  it("bands every score of the 5 x 5 matrix: low up to 4, medium up to 12, high above", () => {
    const expected: Record<number, string> = {};
    for (let score = 1; score <= 25; score++) expected[score] = score <= 4 ? "low" : score <= 12 ? "medium" : "high";
    for (let p = 1; p <= 5; p++)
      for (let i = 1; i <= 5; i++) expect(riskLevel(p * i), `${p} x ${i}`).toBe(expected[p * i]);
  });

  it("puts the band edges where the bands say", () => {
    expect(riskLevel(1)).toBe("low");
    expect(riskLevel(4)).toBe("low");
    expect(riskLevel(5)).toBe("medium");
    expect(riskLevel(12)).toBe("medium");
    expect(riskLevel(15)).toBe("high");
    expect(riskLevel(25)).toBe("high");
  });

  it("places the shipped plan's risks as the reference rates them", () => {
    // rare x moderate (deployment failure), possible x major (resource exhaustion), unlikely x major (on-call gaps).
    expect(riskLevel(1 * 3)).toBe("low");
    expect(riskLevel(3 * 4)).toBe("medium");
    expect(riskLevel(2 * 4)).toBe("medium");
  });
});
