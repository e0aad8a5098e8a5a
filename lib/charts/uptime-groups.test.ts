import { describe, expect, it } from "vitest";
import { aggregateDays, groupDays, knownMsOfDay, type TDayUptime } from "./uptime-groups";

const DAY = 86_400_000;
const HOUR = 3_600_000;

function day(date: string, uptimePct: number | null, downMs = 0, unknownMs = 0, maintenanceMs = 0): TDayUptime {
  return { day: date, uptimePct, downMs, unknownMs, maintenanceMs };
}

/** A day as lib/queries/component-detail.ts computes it, from its up and down time. */
function measured(date: string, upMs: number, downMs: number, maintenanceMs = 0, lengthMs = DAY): TDayUptime {
  const known = upMs + downMs;
  return day(
    date,
    known > 0 ? (100 * upMs) / known : null,
    downMs,
    Math.max(0, lengthMs - maintenanceMs - known),
    maintenanceMs,
  );
}

describe("knownMsOfDay: a day's known time from its figures", () => {
  it.each([
    { name: "unknown day: nothing known", d: day("2026-12-01", null, 0, DAY), now: undefined, known: 0 },
    { name: "all up, whole day", d: measured("2026-12-01", DAY, 0), now: undefined, known: DAY },
    { name: "all up, half the day unknown", d: measured("2026-12-01", 12 * HOUR, 0), now: undefined, known: 12 * HOUR },
    {
      name: "all up, maintenance left out",
      d: measured("2026-12-01", 20 * HOUR, 0, 4 * HOUR),
      now: undefined,
      known: 20 * HOUR,
    },
    {
      name: "with downtime: from the percentage and the down time",
      d: measured("2026-12-01", 3 * HOUR, HOUR),
      now: undefined,
      known: 4 * HOUR,
    },
    { name: "all down", d: measured("2026-12-01", 0, 2 * HOUR), now: undefined, known: 2 * HOUR },
    {
      name: "today, all up, runs to now",
      d: measured("2026-12-03", 5 * HOUR, 0, 0, 6 * HOUR),
      now: Date.parse("2026-12-03T06:00:00Z"),
      known: 5 * HOUR,
    },
  ])("$name", ({ d, now, known }) => {
    expect(knownMsOfDay(d, now)).toBeCloseTo(known, 3);
  });
});

describe("aggregateDays: a group's uptime is weighted by known time, unknown days never count as up", () => {
  it.each([
    { name: "no days", days: [], pct: undefined },
    {
      name: "all unknown stays unknown",
      days: [day("2026-12-01", null, 0, DAY), day("2026-12-02", null, 0, DAY)],
      pct: null,
    },
    {
      name: "an unknown day adds nothing: one known day at 50 %",
      days: [day("2026-12-01", null, 0, DAY), measured("2026-12-02", 12 * HOUR, 12 * HOUR)],
      pct: 50,
    },
    {
      name: "not the mean of percentages: 1 h known at 0 % and 23 h at 100 % is 95.83 %",
      days: [measured("2026-12-01", 0, HOUR), measured("2026-12-02", 23 * HOUR, 0)],
      pct: (100 * 23) / 24,
    },
    {
      name: "a whole day up and a day down for an hour",
      days: [measured("2026-12-01", DAY, 0), measured("2026-12-02", 23 * HOUR, HOUR)],
      pct: (100 * 47) / 48,
    },
    {
      name: "all up is exactly 100",
      days: [measured("2026-12-01", DAY, 0), measured("2026-12-02", 6 * HOUR, 0)],
      pct: 100,
    },
  ] as { name: string; days: TDayUptime[]; pct: number | null | undefined }[])("$name", ({ days, pct }) => {
    const group = aggregateDays(days);
    if (pct === undefined) {
      expect(group).toBeNull();
      return;
    }
    expect(group?.days).toBe(days.length);
    if (pct === null) expect(group?.uptimePct).toBeNull();
    else expect(group?.uptimePct).toBeCloseTo(pct, 9);
  });

  it("adds up down, unknown and maintenance time and counts known days", () => {
    const group = aggregateDays([measured("2026-12-01", 20 * HOUR, HOUR, 2 * HOUR), day("2026-12-02", null, 0, DAY)]);
    expect(group).toMatchObject({
      from: "2026-12-01",
      to: "2026-12-02",
      knownDays: 1,
      downMs: HOUR,
      maintenanceMs: 2 * HOUR,
      unknownMs: HOUR + DAY,
    });
    expect(group?.knownMs).toBeCloseTo(21 * HOUR, 3);
  });
});

describe("groupDays: weeks aligned on today", () => {
  const ninety = Array.from({ length: 90 }, (_, i) =>
    measured(new Date(Date.parse("2026-09-05T00:00:00Z") + i * DAY).toISOString().slice(0, 10), DAY, 0),
  );

  it("90 days make 13 groups: the oldest of 6 days, then twelve weeks ending today", () => {
    const groups = groupDays(ninety, 7);
    expect(groups).toHaveLength(13);
    expect(groups.map((g) => g.days)).toEqual([6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]);
    expect(groups[0]?.from).toBe(ninety[0]?.day);
    expect(groups.at(-1)?.to).toBe(ninety.at(-1)?.day);
    expect(groups.at(-1)?.from).toBe(ninety[83]?.day);
  });

  it.each([
    [0, 7, 0],
    [5, 7, 1],
    [7, 7, 1],
    [8, 7, 2],
    [90, 10, 9],
    [3, 0, 3],
  ])("%d days by %d: %d groups", (count, size, groups) => {
    expect(groupDays(ninety.slice(0, count), size)).toHaveLength(groups);
  });

  it("a new component: the weeks before its first check stay unknown", () => {
    const days = [...Array.from({ length: 86 }, (_, i) => day(`d${i}`, null, 0, DAY)), ...ninety.slice(86)];
    const groups = groupDays(days, 7);
    expect(groups.slice(0, 12).every((g) => g.uptimePct === null)).toBe(true);
    expect(groups.at(-1)?.uptimePct).toBe(100);
    expect(groups.at(-1)?.knownDays).toBe(4);
  });
});
