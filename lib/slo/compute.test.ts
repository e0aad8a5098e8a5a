import { describe, expect, it } from "vitest";
import { computeUptime } from "../monitor/uptime";
import { toUptimeFigure } from "../queries/component-status";
import {
  allowedBadFraction,
  budgetPointTimes,
  budgetSeries,
  burnAlert,
  burnRate,
  DAY_MS,
  evaluateBuckets,
  evaluateSlo,
  formatWindow,
  HOUR_MS,
  MINUTE_MS,
  type TBurnRates,
  type TSloBucket,
} from "./compute";
import { fromUptime } from "./read-availability";

// Expectations are worked by hand in the comments, most from the SRE workbook (chapter 5, "Alerting on SLOs"):
// 99.9 % over 30 days allows 43.2 minutes; a burn rate of 14.4 for an hour spends 2 % of it, 6 for six hours 5 %,
// 1 for three days 10 %.

const NOW = Date.parse("2026-03-10T12:00:00Z");
const WINDOW = 30 * DAY_MS;
const BUDGET_MS = 43.2 * MINUTE_MS; // 0.001 * 30 d = 2 592 000 ms

/** 30 days of minute buckets ending at NOW; `bad(start)` gives each minute's bad ms, `unknown(start)` its unknown. */
function minutes(bad: (start: number) => number, unknown: (start: number) => boolean = () => false): TSloBucket[] {
  const out: TSloBucket[] = [];
  for (let start = NOW - WINDOW; start < NOW; start += MINUTE_MS) {
    if (unknown(start)) out.push({ start, good: 0, bad: 0, unknown: MINUTE_MS });
    else out.push({ start, good: MINUTE_MS - bad(start), bad: bad(start), unknown: 0 });
  }
  return out;
}

/** Minutes in the last `span` ms burn at `rate`: each loses rate * 0.1 % of its 60 s. */
const burningFor = (span: number, rate: number) => (start: number) =>
  start >= NOW - span ? rate * 0.001 * MINUTE_MS : 0;

const evaluate = (buckets: TSloBucket[], objective = 99.9) =>
  evaluateBuckets({ objective, windowMs: WINDOW, now: NOW, buckets });

describe("the SRE workbook's worked numbers", () => {
  it("99.9 % over 30 days allows 43.2 minutes, all left when nothing went wrong", () => {
    const slo = evaluate(minutes(() => 0));
    expect(allowedBadFraction(99.9)).toBe(0.001);
    expect(slo.budget.allowed).toBeCloseTo(BUDGET_MS, 6);
    expect(slo.budget.remainingPct).toBe(100);
    expect(slo.budget.exhaustsInMs).toBeNull();
    expect(slo.sli).toBe(100);
    expect(slo.coverage).toBe(1);
    expect(slo.state).toBe("ok");
  });

  it("a burn rate of 14.4 for one hour spends 2 % of the budget and pages (1 h and 5 m both at 14.4)", () => {
    // 14.4 * 0.1 % of each minute = 864 ms; 60 minutes = 51 840 ms = 2 % of 2 592 000 ms.
    const slo = evaluate(minutes(burningFor(HOUR_MS, 14.4)));
    expect(slo.budget.consumed).toBeCloseTo(51_840, 6);
    expect(slo.budget.consumedPct).toBeCloseTo(2, 9);
    expect(slo.burn["1h"]).toBeCloseTo(14.4, 9);
    expect(slo.burn["5m"]).toBeCloseTo(14.4, 9);
    expect(slo.burn["6h"]).toBeCloseTo(14.4 / 6, 9);
    expect(slo.alert).toBe("fast burn");
    expect(slo.state).toBe("fast burn");
    // At 14.4 a full budget lasts 30 d / 14.4 = 50 h; 98 % of it, 49 h.
    expect(slo.budget.exhaustsInMs).toBeCloseTo(49 * HOUR_MS, 0);
  });

  it("a burn rate of 6 for six hours spends 5 % and pages through the 6 h / 30 m pair", () => {
    // 6 * 0.1 % of a minute = 360 ms; 360 minutes = 129 600 ms = 5 %.
    const slo = evaluate(minutes(burningFor(6 * HOUR_MS, 6)));
    expect(slo.budget.consumedPct).toBeCloseTo(5, 9);
    expect(slo.burn["6h"]).toBeCloseTo(6, 9);
    expect(slo.burn["30m"]).toBeCloseTo(6, 9);
    expect(slo.burn["1h"]).toBeCloseTo(6, 9); // below 14.4: only the second pair fires
    expect(slo.state).toBe("fast burn");
  });

  it("a burn rate of 1 for three days spends 10 % and opens a ticket (slow burn)", () => {
    // 60 ms a minute for 4 320 minutes = 259 200 ms = 10 %.
    const slo = evaluate(minutes(burningFor(3 * DAY_MS, 1)));
    expect(slo.budget.consumedPct).toBeCloseTo(10, 9);
    expect(slo.burn["3d"]).toBeCloseTo(1, 9);
    expect(slo.burn["6h"]).toBeCloseTo(1, 9);
    expect(slo.state).toBe("slow burn");
  });

  it("just under a threshold does not fire", () => {
    const slo = evaluate(minutes(burningFor(HOUR_MS, 14.3)));
    expect(slo.burn["1h"]).toBeCloseTo(14.3, 9);
    expect(slo.alert).toBeNull();
    expect(slo.state).toBe("ok");
  });
});

describe("multi-window alerts", () => {
  const rates = (r: Partial<TBurnRates>): TBurnRates => ({
    "5m": null,
    "30m": null,
    "1h": null,
    "6h": null,
    "3d": null,
    ...r,
  });

  it("a five-minute blip does not page: the long window must burn too", () => {
    // 5 minutes at 100: 1 h burn = 100 * 5 / 60 = 8.33, under 14.4.
    const slo = evaluate(minutes(burningFor(5 * MINUTE_MS, 100)));
    expect(slo.burn["5m"]).toBeCloseTo(100, 9);
    expect(slo.burn["1h"]).toBeCloseTo(100 / 12, 9);
    expect(slo.alert).toBeNull();
  });

  it("stops paging once the burning stops, though the hour still remembers it", () => {
    // Burning at 50 from 40 to 20 minutes ago: 1 h = 50 * 20 / 60 = 16.7, but the last 5 m are clean.
    const bad = (start: number) => (start >= NOW - 40 * MINUTE_MS && start < NOW - 20 * MINUTE_MS ? 50 * 60 : 0);
    const slo = evaluate(minutes(bad));
    expect(slo.burn["1h"]).toBeCloseTo(50 / 3, 9);
    expect(slo.burn["5m"]).toBe(0);
    expect(slo.alert).toBeNull();
  });

  it("a window nothing is known of never fires, and each pair needs both its windows", () => {
    expect(burnAlert(rates({ "1h": 20 }))).toBeNull();
    expect(burnAlert(rates({ "1h": 20, "5m": 14.4 }))).toBe("fast burn");
    expect(burnAlert(rates({ "6h": 6, "30m": 5.99 }))).toBeNull();
    expect(burnAlert(rates({ "3d": 1, "6h": 1 }))).toBe("slow burn");
    // Fast outranks slow when both fire.
    expect(burnAlert(rates({ "3d": 2, "6h": 7, "30m": 7 }))).toBe("fast burn");
  });
});

describe("outages", () => {
  const outage = (from: number, length: number) => (start: number) =>
    start >= from && start < from + length ? MINUTE_MS : 0;

  it("a 30-minute outage ten days ago spends 69.4 % and is out of every burn window", () => {
    const slo = evaluate(minutes(outage(NOW - 10 * DAY_MS, 30 * MINUTE_MS)));
    // 30 / 43.2 = 69.444 %; SLI = 1 - 30 min / 43 200 min = 99.930556 %.
    expect(slo.budget.consumedPct).toBeCloseTo((100 * 30) / 43.2, 9);
    expect(slo.budget.remainingPct).toBeCloseTo(100 - (100 * 30) / 43.2, 9);
    expect(slo.sli).toBeCloseTo(100 * (1 - 30 / 43_200), 9);
    expect(slo.burn["3d"]).toBe(0);
    expect(slo.state).toBe("ok");
    expect(slo.budget.exhaustsInMs).toBeNull();
    // The burn-down: full until the outage's day, 30.56 % after it, never rising.
    const before = slo.series.filter((p) => Date.parse(p.t) <= NOW - 10 * DAY_MS);
    const after = slo.series.filter((p) => Date.parse(p.t) >= NOW - 10 * DAY_MS + DAY_MS);
    expect(before.every((p) => p.remainingPct === 100)).toBe(true);
    expect(after.every((p) => Math.abs((p.remainingPct ?? 0) - (100 - (100 * 30) / 43.2)) < 1e-9)).toBe(true);
    expect(slo.series.at(-1)?.t).toBe(new Date(NOW).toISOString());
    expect(slo.series[0]?.t).toBe(new Date(NOW - WINDOW).toISOString());
    expect(slo.series).toHaveLength(31);
  });

  it("a second outage of 15 minutes now exhausts the budget: 45 of 43.2 minutes, -4.17 % left", () => {
    const first = outage(NOW - 10 * DAY_MS, 30 * MINUTE_MS);
    const second = outage(NOW - 15 * MINUTE_MS, 15 * MINUTE_MS);
    const slo = evaluate(minutes((s) => first(s) + second(s)));
    expect(slo.budget.consumed).toBe(45 * MINUTE_MS);
    expect(slo.budget.remainingPct).toBeCloseTo(100 * (1 - 45 / 43.2), 9);
    expect(slo.budget.exhaustsInMs).toBe(0);
    // 1 h: 15 of 60 minutes bad = 25 % / 0.1 % = 250; 5 m: all bad = 1000.
    expect(slo.burn["1h"]).toBeCloseTo(250, 9);
    expect(slo.burn["5m"]).toBeCloseTo(1000, 9);
    expect(slo.alert).toBe("fast burn");
    expect(slo.state).toBe("exhausted");
  });
});

describe("unknown time", () => {
  it("is neither good nor bad: the budget is the known time's, and coverage says how much that is", () => {
    // First 15 days unknown; the last 15 known with a 10-minute outage 2 days ago.
    const unknown = (start: number) => start < NOW - 15 * DAY_MS;
    const bad = (start: number) =>
      start >= NOW - 2 * DAY_MS && start < NOW - 2 * DAY_MS + 10 * MINUTE_MS ? MINUTE_MS : 0;
    const slo = evaluate(minutes(bad, unknown));
    expect(slo.coverage).toBe(0.5);
    expect(slo.amounts.unknown).toBe(15 * DAY_MS);
    // Allowed: 0.1 % of 15 days = 21.6 minutes; 10 / 21.6 = 46.3 % spent.
    expect(slo.budget.allowed).toBeCloseTo(21.6 * MINUTE_MS, 6);
    expect(slo.budget.consumedPct).toBeCloseTo((100 * 10) / 21.6, 9);
    // SLI over known time: 1 - 10 min / 21 600 min, not 50 % as if unknown were bad.
    expect(slo.sli).toBeCloseTo(100 * (1 - 10 / 21_600), 9);
  });

  it("when nothing is known: no data, and no figure pretends otherwise", () => {
    const slo = evaluate(
      minutes(
        () => 0,
        () => true,
      ),
    );
    expect(slo.state).toBe("no data");
    expect(slo.sli).toBeNull();
    expect(slo.coverage).toBe(0);
    expect(slo.budget).toMatchObject({ allowed: 0, consumedPct: null, remainingPct: null, exhaustsInMs: null });
    expect(Object.values(slo.burn).every((rate) => rate === null)).toBe(true);
  });

  it("when checks stopped seven hours ago: the budget stands, but the state is no data, not ok", () => {
    const slo = evaluate(
      minutes(
        () => 0,
        (start) => start >= NOW - 7 * HOUR_MS,
      ),
    );
    expect(slo.budget.remainingPct).toBe(100);
    expect(slo.burn["6h"]).toBeNull();
    expect(slo.burn["3d"]).toBe(0);
    expect(slo.state).toBe("no data");
  });
});

describe("maintenance", () => {
  it("is excluded: a down period inside it is neither bad nor unknown", () => {
    // Up for the whole day but down from 02:00 to 03:00, which is planned maintenance.
    const day = { start: NOW - DAY_MS, end: NOW };
    const at = (h: number) => new Date(day.start + h * HOUR_MS);
    const periods = [
      { status: "up" as const, startedAt: at(0), lastSeenAt: at(2), endedAt: at(2), intervalMs: 10_000 },
      { status: "down" as const, startedAt: at(2), lastSeenAt: at(3), endedAt: at(3), intervalMs: 10_000 },
      { status: "up" as const, startedAt: at(3), lastSeenAt: new Date(NOW), endedAt: null, intervalMs: 10_000 },
    ];
    const summary = (maintenance: { start: number; end: number }[]) =>
      fromUptime(toUptimeFigure(computeUptime(periods, day, maintenance, new Date(NOW))));
    const withMaintenance = summary([{ start: at(2).getTime(), end: at(3).getTime() }]);
    expect(withMaintenance).toEqual({ good: 23 * HOUR_MS, bad: 0, unknown: 0 });
    const without = summary([]);
    expect(without).toEqual({ good: 23 * HOUR_MS, bad: HOUR_MS, unknown: 0 });
    const burn = { "5m": without, "30m": without, "1h": without, "6h": without, "3d": without };
    expect(evaluateSlo({ objective: 99, window: withMaintenance, burn }).sli).toBe(100);
    // Without the window the hour is bad: 1 / 24 of the day, over the 1 % allowed = 4.17 times the budget.
    expect(evaluateSlo({ objective: 99, window: without, burn }).budget.consumedPct).toBeCloseTo(100 / 0.24, 9);
  });
});

describe("events", () => {
  it("counts events the same way: 5 000 bad of 1 000 000 at 99 % spends half the budget", () => {
    const window = { good: 995_000, bad: 5_000, unknown: 0 };
    const hour = { good: 1_000, bad: 0, unknown: 0 };
    const slo = evaluateSlo({
      objective: 99,
      window,
      burn: { "5m": hour, "30m": hour, "1h": hour, "6h": hour, "3d": hour },
      coverage: null,
    });
    expect(slo.budget.allowed).toBeCloseTo(10_000, 9);
    expect(slo.budget.consumedPct).toBeCloseTo(50, 9);
    expect(slo.sli).toBeCloseTo(99.5, 12);
    expect(slo.coverage).toBeNull();
    expect(slo.state).toBe("ok");
  });

  it("time to exhaustion comes from the last hour's bad events", () => {
    // 100 bad events an hour, 5 000 of 10 000 allowed left: 50 hours.
    const hour = { good: 9_900, bad: 100, unknown: 0 };
    const slo = evaluateSlo({
      objective: 99,
      window: { good: 995_000, bad: 5_000, unknown: 0 },
      burn: { "5m": hour, "30m": hour, "1h": hour, "6h": hour, "3d": hour },
    });
    expect(slo.burn["1h"]).toBeCloseTo(1, 9);
    expect(slo.budget.exhaustsInMs).toBeCloseTo(50 * HOUR_MS, 3);
  });

  it("burn rate is the bad fraction over the allowed one", () => {
    expect(burnRate({ good: 990, bad: 10, unknown: 0 }, 99.9)).toBeCloseTo(10, 9);
    expect(burnRate({ good: 0, bad: 0, unknown: 5 }, 99.9)).toBeNull();
    expect(allowedBadFraction(99.95)).toBe(0.0005);
    expect(allowedBadFraction(99)).toBe(0.01);
  });
});

describe("helpers", () => {
  it("formats windows in the largest unit that divides them", () => {
    expect(formatWindow(30 * DAY_MS)).toBe("30d");
    expect(formatWindow(6 * HOUR_MS)).toBe("6h");
    expect(formatWindow(90 * MINUTE_MS)).toBe("90m");
    expect(formatWindow(200)).toBe("200ms");
    expect(formatWindow(1_500)).toBe("1500ms");
  });

  it("places budget points at the window's start, daily on the hour the 3 d window starts, and now", () => {
    const now = Date.parse("2026-03-10T12:34:30Z");
    const times = budgetPointTimes(now - 4 * DAY_MS, now).map((t) => new Date(t).toISOString());
    expect(times).toEqual([
      "2026-03-06T12:34:30.000Z",
      "2026-03-06T13:00:00.000Z",
      "2026-03-07T13:00:00.000Z",
      "2026-03-08T13:00:00.000Z",
      "2026-03-09T13:00:00.000Z",
      "2026-03-10T12:34:30.000Z",
    ]);
    // A window that starts on such an hour does not repeat it.
    const aligned = Date.parse("2026-03-10T13:00:00Z");
    expect(budgetPointTimes(aligned - 3 * DAY_MS, aligned)).toHaveLength(4);
  });

  it("draws no budget figure for the days before anything was observed, from the last point before it began", () => {
    const points = [
      { t: 0, badSoFar: 0, knownSoFar: 0 },
      { t: 1, badSoFar: 0, knownSoFar: 0 },
      { t: 2, badSoFar: 0, knownSoFar: 0 },
      { t: 3, badSoFar: 10, knownSoFar: 500 },
      { t: 4, badSoFar: 30, knownSoFar: 1_000 },
    ];
    // allowed 40: 10 bad leaves 75 %, 30 bad leaves 25 %; the day before observation began is where the line starts.
    expect(budgetSeries(40, points).map((p) => p.remainingPct)).toEqual([null, null, 100, 75, 25]);
    // Without known amounts (a reader that does not count them), every point has a figure, as before.
    expect(
      budgetSeries(
        40,
        points.map(({ t, badSoFar }) => ({ t, badSoFar })),
      ).map((p) => p.remainingPct),
    ).toEqual([100, 100, 100, 75, 25]);
  });
});
