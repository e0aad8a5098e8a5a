import { describe, expect, it } from "vitest";
import { ZPostDeployment, type TPostDeployment } from "../config/postdeploy-schema";
import { judgePostDeployment, SETTLE_MS, type TComponentMeasurement } from "./judge";
import { watchSpan } from "./span";

// Hand-computed cases on the reference's criteria (the section's defaults: 1d window, error rate ≤ 1 %, P95 ≤ 200 ms,
// coverage ≥ 90 %). The deployment is at 10:00:20, so the window runs from 10:01:00 (the first whole minute) to
// 10:01:00 the next day. "api" is probed every 10 s and "db" every 30 s: 3h 10m (11 400 s) into the window, api should
// have 1 140 results and db 380; over the whole day, 8 640 and 2 880.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DEPLOYED = new Date("2026-06-01T10:00:20Z");
const START = new Date("2026-06-01T10:01:00Z").getTime();
const END = new Date("2026-06-02T10:01:00Z").getTime();
const SO_FAR = new Date(START + 3 * HOUR + 10 * MINUTE);
const settings: TPostDeployment = ZPostDeployment.parse({});

const api = (m: Partial<TComponentMeasurement>, expectedChecks = 1_140): TComponentMeasurement => ({
  componentId: "api",
  count: expectedChecks,
  failures: 0,
  p95Ms: 85,
  expectedChecks,
  ...m,
});
const db = (m: Partial<TComponentMeasurement>, expectedChecks = 380): TComponentMeasurement => ({
  componentId: "db",
  count: expectedChecks,
  failures: 0,
  p95Ms: 12,
  expectedChecks,
  ...m,
});

const judge = (now: Date | number, measurements: TComponentMeasurement[], s = settings) =>
  judgePostDeployment({ deployedAt: DEPLOYED, now: new Date(now), settings: s, measurements });

const texts = (rows: { component: string; text: string }[]) => rows.map((r) => `${r.component}: ${r.text}`);

describe("the span judged", () => {
  it("starts at the first whole minute after the deployment and ends one window later", () => {
    const span = watchSpan(DEPLOYED, SO_FAR, settings.window);
    expect(span.start.getTime()).toBe(START);
    expect(span.end.getTime()).toBe(END);
    expect(span.elapsedMs).toBe(11_400_000);
    expect(span.over).toBe(false);
  });

  it("starts at the deployment itself when it is on a whole minute, and stops at the end", () => {
    const onMinute = new Date(START);
    const span = watchSpan(onMinute, new Date(END + HOUR), settings.window);
    expect(span.start.getTime()).toBe(START);
    expect(span.to.getTime()).toBe(END);
    expect(span.elapsedMs).toBe(24 * HOUR);
    expect(span.over).toBe(true);
  });

  it("has not begun for a deployment stamped in the future", () => {
    const span = watchSpan(new Date(SO_FAR.getTime() + 5 * MINUTE), SO_FAR, settings.window);
    expect(span.elapsedMs).toBe(0);
    expect(span.over).toBe(false);
  });
});

describe("while watching", () => {
  it("passes so far when every component meets every criterion", () => {
    // api: 3 of 1 140 failed = 0.263 %; db: all 380 fine.
    const verdict = judge(SO_FAR, [api({ failures: 3 }), db({})]);
    expect(verdict.state).toBe("watching");
    expect(verdict.trend).toBe("passing so far");
    expect(verdict.settled).toBe(false);
    expect(verdict.reasons).toEqual([]);
    expect(verdict.summary).toBe("watching (3h 10m of 1d): passing so far");
    expect(texts(verdict.rows)).toEqual([
      "api: error rate 0.26 % (≤ 1 %)",
      "api: P95 85 ms (≤ 200 ms)",
      "api: monitored 3h 10m of 1d, 100 % covered (≥ 90 %)",
      "db: error rate 0 % (≤ 1 %)",
      "db: P95 12 ms (≤ 200 ms)",
      "db: monitored 3h 10m of 1d, 100 % covered (≥ 90 %)",
    ]);
    expect(verdict.components[0]?.errorRatePct).toBeCloseTo(300 / 1_140, 12);
    expect(verdict.rows.every((row) => row.ok)).toBe(true);
  });

  it("fails so far, naming each component and criterion over its limit, and is not failed yet", () => {
    // api: 23 of 1 140 = 2.018 %; db: P95 250 ms.
    const verdict = judge(SO_FAR, [api({ failures: 23 }), db({ p95Ms: 250 })]);
    expect(verdict.state).toBe("watching");
    expect(verdict.trend).toBe("failing so far");
    expect(texts(verdict.reasons)).toEqual(["api: error rate 2.02 % (≤ 1 %)", "db: P95 250 ms (≤ 200 ms)"]);
    expect(verdict.reasons.map((r) => [r.criterion, r.measured, r.limit])).toEqual([
      ["error rate", (23 * 100) / 1_140, 1],
      ["p95", 250, 200],
    ]);
    expect(verdict.summary).toBe(
      "watching (3h 10m of 1d): failing so far: api: error rate 2.02 % (≤ 1 %); db: P95 250 ms (≤ 200 ms)",
    );
  });

  it("says not enough data yet when coverage is low and nothing measured is over its limit", () => {
    // api: 900 of 1 140 expected = 78.95 %.
    const verdict = judge(SO_FAR, [api({ count: 900 }), db({})]);
    expect(verdict.trend).toBe("not enough data yet");
    expect(texts(verdict.reasons)).toEqual(["api: monitored 3h 10m of 1d, 78.95 % covered (≥ 90 %)"]);
    expect(verdict.summary).toBe(
      "watching (3h 10m of 1d): not enough data yet: api: monitored 3h 10m of 1d, 78.95 % covered (≥ 90 %)",
    );
  });

  it("fails so far rather than waiting for coverage when a measured limit is already exceeded", () => {
    // 2 of the first 3 results failed: 66.67 %, at 0.26 % coverage.
    const verdict = judge(SO_FAR, [api({ count: 3, failures: 2, p95Ms: 40 })]);
    expect(verdict.trend).toBe("failing so far");
    expect(texts(verdict.reasons)).toEqual(["api: error rate 66.67 % (≤ 1 %)"]);
    expect(verdict.rows.find((r) => r.criterion === "coverage")?.ok).toBe(false);
  });

  it("has not enough data yet, and no figure, when no result has arrived", () => {
    const verdict = judge(SO_FAR, [api({ count: 0, p95Ms: null })]);
    expect(verdict.trend).toBe("not enough data yet");
    expect(verdict.rows.map((r) => [r.criterion, r.measured, r.ok])).toEqual([
      ["error rate", null, false],
      ["p95", null, false],
      ["coverage", 0, false],
    ]);
    expect(texts(verdict.reasons)).toEqual([
      "api: error rate: no probe results (≤ 1 %)",
      "api: P95: no probe results (≤ 200 ms)",
      "api: monitored 3h 10m of 1d, 0 % covered (≥ 90 %)",
    ]);
  });

  it("expects nothing yet right at the deployment, and never reads that as passing", () => {
    const verdict = judge(DEPLOYED, [api({ count: 0, p95Ms: null }, 0)]);
    expect(verdict.state).toBe("watching");
    expect(verdict.trend).toBe("not enough data yet");
    expect(verdict.rows.find((r) => r.criterion === "coverage")).toMatchObject({
      measured: null,
      ok: false,
      text: "monitored 0s of 1d, no results expected yet (≥ 90 %)",
    });
    expect(verdict.summary).toMatch(/^watching \(0s of 1d\): not enough data yet: /);
  });

  it("is failing so far on the error rate of a component with no successful probe", () => {
    const verdict = judge(SO_FAR, [api({ count: 30, failures: 30, p95Ms: null }), db({})]);
    expect(verdict.trend).toBe("failing so far");
    // Only the measured figure is "over"; the P95 it lacks is not met, and not a reason to fail so far.
    expect(texts(verdict.reasons)).toEqual(["api: error rate 100 % (≤ 1 %)"]);
    expect(verdict.rows.find((r) => r.component === "api" && r.criterion === "p95")).toMatchObject({
      measured: null,
      ok: false,
      text: "P95: no successful probe (≤ 200 ms)",
    });
  });

  it("has not enough data yet when no component is watched", () => {
    const verdict = judge(SO_FAR, []);
    expect(verdict.trend).toBe("not enough data yet");
    expect(verdict.summary).toBe("watching (3h 10m of 1d): not enough data yet");
  });
});

describe("at the end of the window", () => {
  it("passes with every criterion met, limits included, and is settled a little after the end", () => {
    // api: 86 of 8 640 = 0.995 %, shown as "1 %" by rounding, so said to be just under; db: exactly 1 % (28 of
    // 2 800) and exactly 200 ms, which meet limits that are inclusive; 2 800 of 2 880 = 97.22 % covered.
    const measurements = [api({ failures: 86 }, 8_640), db({ count: 2_800, failures: 28, p95Ms: 200 }, 2_880)];
    const verdict = judge(END + SETTLE_MS, measurements);
    expect(verdict.state).toBe("passed");
    expect(verdict.trend).toBeNull();
    expect(verdict.settled).toBe(true);
    expect(verdict.summary).toBe("passed: every criterion met over 1d");
    expect(texts(verdict.rows)).toEqual([
      "api: error rate just under 1 % (≤ 1 %)",
      "api: P95 85 ms (≤ 200 ms)",
      "api: monitored all of 1d, 100 % covered (≥ 90 %)",
      "db: error rate 1 % (≤ 1 %)",
      "db: P95 200 ms (≤ 200 ms)",
      "db: monitored all of 1d, 97.22 % covered (≥ 90 %)",
    ]);
    // Just before SETTLE_MS has passed, the same verdict is not yet safe to store.
    expect(judge(END + SETTLE_MS - 1, measurements)).toMatchObject({ state: "passed", settled: false });
  });

  it("fails on a limit exceeded over the window, even by less than the rounding shows", () => {
    // api P95 200.3 ms reads "200 ms", so it is said to be just over.
    const verdict = judge(END + MINUTE, [api({ p95Ms: 200.3 }, 8_640), db({ failures: 30 }, 2_880)]);
    expect(verdict.state).toBe("failed");
    expect(verdict.settled).toBe(false);
    // db: 30 of 2 880 = 1.04 %.
    expect(verdict.summary).toBe("failed: api: P95 just over 200 ms (≤ 200 ms); db: error rate 1.04 % (≤ 1 %)");
  });

  it("fails when too little of the window was covered, however good the figures", () => {
    // 7 000 of 8 640 = 81.02 %.
    const verdict = judge(END, [api({ count: 7_000 }, 8_640)]);
    expect(verdict.state).toBe("failed");
    expect(texts(verdict.reasons)).toEqual(["api: monitored all of 1d, 81.02 % covered (≥ 90 %)"]);
  });

  it("fails on every criterion when no result arrived at all", () => {
    const verdict = judge(END, [api({ count: 0, p95Ms: null }, 8_640)]);
    expect(verdict.state).toBe("failed");
    expect(verdict.reasons.map((r) => r.criterion)).toEqual(["error rate", "p95", "coverage"]);
  });

  it("fails a component with no successful probe on its error rate and its P95", () => {
    const verdict = judge(END, [api({ count: 8_640, failures: 8_640, p95Ms: null }, 8_640)]);
    expect(verdict.state).toBe("failed");
    expect(texts(verdict.reasons)).toEqual([
      "api: error rate 100 % (≤ 1 %)",
      "api: P95: no successful probe (≤ 200 ms)",
    ]);
  });

  it("caps coverage at 100 % when a few more results arrived than the interval expects", () => {
    const verdict = judge(END, [api({ count: 8_642 }, 8_640)]);
    expect(verdict.state).toBe("passed");
    expect(verdict.components[0]?.coveragePct).toBe(100);
  });

  it("fails when no component was watched: never a pass without data", () => {
    expect(judge(END, [])).toMatchObject({ state: "failed", summary: "failed: no component was watched" });
  });

  it("judges with the configured limits and window", () => {
    const strict = ZPostDeployment.parse({ window: "2h", maxErrorRatePct: 0, maxP95Ms: 50, minCoveragePct: 99 });
    // 2h after 10:01: over. 720 expected at 10 s.
    const verdict = judge(START + 2 * HOUR, [api({ failures: 1, p95Ms: 49, count: 713 }, 720)], strict);
    expect(verdict.state).toBe("failed");
    // 713 of 720 = 99.03 % meets 99 %; one failure is over 0 %.
    expect(texts(verdict.reasons)).toEqual(["api: error rate 0.14 % (≤ 0 %)"]);
  });
});

describe("before a deployment", () => {
  it("is not deployed, with nothing measured", () => {
    expect(judgePostDeployment({ deployedAt: null, now: SO_FAR, settings, measurements: [api({})] })).toEqual({
      state: "not deployed",
      trend: null,
      span: null,
      settled: false,
      components: [],
      rows: [],
      reasons: [],
      summary: "not deployed",
    });
  });
});
