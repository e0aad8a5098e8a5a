import { describe, expect, it } from "vitest";
import { chartCoverage, formatCompactDuration, isolatedIndexes, seriesStepMs, type TCoverageInput } from "./coverage";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.parse("2026-12-03T06:00:00Z");

describe("formatCompactDuration: the shared duration formatter without its zero tail", () => {
  it.each([
    [4 * MIN, "4m"],
    [4 * MIN + 30_000, "4m 30s"],
    [30 * DAY, "30d"],
    [DAY, "1d"],
    [2 * HOUR, "2h"],
    [2 * HOUR + 5 * MIN, "2h 5m"],
    [45_000, "45s"],
    [0, "0ms"],
    [-5, "0ms"],
  ])("%d ms is %s", (ms, text) => expect(formatCompactDuration(ms)).toBe(text));
});

describe("chartCoverage", () => {
  type TRow = {
    name: string;
    input: TCoverageInput;
    state: "empty" | "partial" | "full";
    coveredMs: number;
    domain: [number, number] | null;
    label: string | null;
    single?: boolean;
  };
  const rows: TRow[] = [
    {
      name: "no data: empty, no domain",
      input: { windowMs: 30 * DAY, times: [], windowLabel: "30d" },
      state: "empty",
      coveredMs: 0,
      domain: null,
      label: "collecting: no data yet of 30d",
    },
    {
      name: "two snapshots 4 minutes apart in a 30-day window: drawn over those 4 minutes, not a flat month",
      input: { windowMs: 30 * DAY, times: [T0, T0 + 4 * MIN], windowLabel: "30d" },
      state: "partial",
      coveredMs: 4 * MIN,
      domain: [T0, T0 + 4 * MIN],
      label: "collecting: 4m of 30d",
    },
    {
      name: "the window's end (now) given: the span runs from the first point to now",
      input: { windowMs: 30 * DAY, times: [T0, T0 + 2 * MIN], end: T0 + 4 * MIN, windowLabel: "30d" },
      state: "partial",
      coveredMs: 4 * MIN,
      domain: [T0, T0 + 4 * MIN],
      label: "collecting: 4m of 30d",
    },
    {
      name: "15-minute buckets of a 24 h window: each point covers its bucket",
      input: { windowMs: DAY, times: [T0, T0 + 15 * MIN, T0 + 30 * MIN], bucketMs: 15 * MIN, windowLabel: "24h" },
      state: "partial",
      coveredMs: 45 * MIN,
      domain: [T0, T0 + 45 * MIN],
      label: "collecting: 45m of 24h",
    },
    {
      name: "a first observation before the first point: covered from the observation",
      input: {
        windowMs: DAY,
        times: [T0 + HOUR, T0 + 2 * HOUR],
        firstObservedAt: T0,
        end: T0 + 3 * HOUR,
        windowLabel: "24h",
      },
      state: "partial",
      coveredMs: 3 * HOUR,
      domain: [T0, T0 + 3 * HOUR],
      label: "collecting: 3h of 24h",
    },
    {
      name: "a first observation after the first point changes nothing",
      input: {
        windowMs: DAY,
        times: [T0, T0 + HOUR],
        firstObservedAt: T0 + 30 * MIN,
        end: T0 + 2 * HOUR,
        windowLabel: "24h",
      },
      state: "partial",
      coveredMs: 2 * HOUR,
      domain: [T0, T0 + 2 * HOUR],
      label: "collecting: 2h of 24h",
    },
    {
      name: "a first observation before the window: the whole window",
      input: {
        windowMs: DAY,
        times: [T0 + 20 * HOUR, T0 + 23 * HOUR],
        firstObservedAt: T0 - 5 * DAY,
        end: T0 + DAY,
        windowLabel: "24h",
      },
      state: "full",
      coveredMs: DAY,
      domain: [T0, T0 + DAY],
      label: null,
    },
    {
      name: "points from the window's start to its end: full, the whole window",
      input: {
        windowMs: DAY,
        times: Array.from({ length: 96 }, (_, i) => T0 + i * 15 * MIN),
        bucketMs: 15 * MIN,
        windowLabel: "24h",
      },
      state: "full",
      coveredMs: DAY,
      domain: [T0, T0 + DAY],
      label: null,
    },
    {
      name: "data starting within the slack (hourly snapshots) covers the window",
      input: {
        windowMs: 30 * DAY,
        times: [T0 + 40 * MIN, T0 + 10 * DAY],
        end: T0 + 30 * DAY,
        slackMs: HOUR,
        windowLabel: "30d",
      },
      state: "full",
      coveredMs: 30 * DAY - 40 * MIN,
      domain: [T0, T0 + 30 * DAY],
      label: null,
    },
    {
      name: "just past the slack is still collecting",
      input: {
        windowMs: 30 * DAY,
        times: [T0 + 61 * MIN, T0 + 10 * DAY],
        end: T0 + 30 * DAY,
        slackMs: HOUR,
        windowLabel: "30d",
      },
      state: "partial",
      coveredMs: 30 * DAY - 61 * MIN,
      domain: [T0 + 61 * MIN, T0 + 30 * DAY],
      label: "collecting: 29d 22h of 30d",
    },
    {
      name: "one point: a dot in the middle of a short axis, and the label says so",
      input: { windowMs: DAY, times: [T0], bucketMs: 15 * MIN, windowLabel: "24h" },
      state: "partial",
      coveredMs: 15 * MIN,
      domain: [T0 - 15 * MIN, T0 + 15 * MIN],
      label: "collecting: 15m of 24h, 1 point so far",
      single: true,
    },
    {
      name: "one point without buckets or an end: at least a minute of axis",
      input: { windowMs: 30 * DAY, times: [T0], windowLabel: "30d" },
      state: "partial",
      coveredMs: 0,
      domain: [T0 - 30_000, T0 + 30_000],
      label: "collecting: under 1s of 30d, 1 point so far",
      single: true,
    },
    {
      name: "one point in a window that has been observed throughout",
      input: { windowMs: DAY, times: [T0 + 12 * HOUR], firstObservedAt: T0 - DAY, end: T0 + DAY, windowLabel: "24h" },
      state: "full",
      coveredMs: DAY,
      domain: [T0, T0 + DAY],
      label: "1 point in 24h",
      single: true,
    },
    {
      name: "the label names the window by its duration when not told",
      input: { windowMs: 7 * DAY, times: [T0, T0 + 2 * HOUR] },
      state: "partial",
      coveredMs: 2 * HOUR,
      domain: [T0, T0 + 2 * HOUR],
      label: "collecting: 2h of 7d",
    },
    {
      name: "times in any order, non-finite ones ignored",
      input: { windowMs: DAY, times: [T0 + 10 * MIN, Number.NaN, T0], windowLabel: "24h" },
      state: "partial",
      coveredMs: 10 * MIN,
      domain: [T0, T0 + 10 * MIN],
      label: "collecting: 10m of 24h",
    },
  ];

  it.each(rows)("$name", ({ input, state, coveredMs, domain, label, single }) => {
    const coverage = chartCoverage(input);
    expect(coverage.state).toBe(state);
    expect(coverage.coveredMs).toBe(coveredMs);
    expect(coverage.domain).toEqual(domain);
    expect(coverage.label).toBe(label);
    expect(coverage.single).toBe(single ?? false);
    expect(coverage.ratio).toBeCloseTo(coveredMs / input.windowMs, 9);
    expect(coverage.points).toBe(input.times.filter(Number.isFinite).length);
  });

  it("never reports more than the window as covered", () => {
    const coverage = chartCoverage({ windowMs: HOUR, times: [T0 - 5 * HOUR, T0], end: T0 });
    expect(coverage.coveredMs).toBe(HOUR);
    expect(coverage.ratio).toBe(1);
  });
});

describe("isolatedIndexes: points a gappy line would not draw", () => {
  it.each([
    [[], []],
    [[1], [0]],
    [[1, 2], []],
    [
      [1, null, 2],
      [0, 2],
    ],
    [[null, 3, null, 4, 5, null], [1]],
    [[null, null], []],
    [[1, undefined, Number.NaN, 2, 3], [0]],
  ] as [(number | null | undefined)[], number[]][])("%j → %j", (values, expected) => {
    expect([...isolatedIndexes(values)]).toEqual(expected);
  });
});

describe("seriesStepMs", () => {
  it.each([
    [[], 0],
    [[T0], 0],
    [[T0, T0 + 15 * MIN, T0 + 30 * MIN], 15 * MIN],
    [[T0, T0 - 1], 0],
  ] as [number[], number][])("%j → %d", (times, step) => expect(seriesStepMs(times)).toBe(step));
});
