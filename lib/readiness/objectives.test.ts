import { describe, expect, it } from "vitest";
import { ZScorecard } from "../config/scorecard-schema";
import { evaluateReadiness, type ReadinessResult } from "./evaluate";
import { baselineKey, emptyFacts, type ReadinessFacts } from "./facts";
import { judgeCriteria, parseCriterion } from "./objectives";

// Keptn-style objectives by hand-computed examples: absolute and relative criteria, warning at half weight, key
// objectives that veto, and soaks that must hold unbroken.

const NOW = new Date("2026-06-01T12:00:00Z");
const H = 3_600_000;
const M = 60_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

const parsed = (source: string) => {
  const r = parseCriterion(source);
  if (!r.ok) throw new Error(r.error);
  return r.criterion;
};

describe("parseCriterion", () => {
  it.each([
    ["<= 200", { operator: "<=", amount: 200, relative: "none" }],
    ["<=+10%", { operator: "<=", amount: 10, relative: "percent" }],
    [">= -5 %", { operator: ">=", amount: -5, relative: "percent" }],
    ["<+50", { operator: "<", amount: 50, relative: "absolute" }],
    ["=0", { operator: "=", amount: 0, relative: "none" }],
    [">.5", { operator: ">", amount: 0.5, relative: "none" }],
  ])("%s", (source, expected) => {
    expect(parsed(source)).toMatchObject(expected);
  });

  it.each([
    ["<= 10%", /a percentage needs a sign/],
    ["about 3", /is not a criterion/],
    ["<=", /is not a criterion/],
    ["!= 3", /is not a criterion/],
    ["<= 1e3", /is not a criterion/],
  ])("refuses %s", (source, message) => {
    const r = parseCriterion(source);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it("judges relative limits from the baseline: +10 % of 200 is 220; -5 of 80 is 75", () => {
    expect(judgeCriteria([parsed("<=+10%")], 220, 200)).toEqual({ state: "met" });
    expect(judgeCriteria([parsed("<=+10%")], 220.5, 200)).toEqual({
      state: "unmet",
      failing: [{ source: "<=+10%", limit: 220 }],
    });
    expect(judgeCriteria([parsed(">=-5")], 75, 80)).toEqual({ state: "met" });
    expect(judgeCriteria([parsed(">=-5")], 74.9, 80).state).toBe("unmet");
    // A negative baseline moves by its magnitude: +10 % of -200 is -180.
    expect(judgeCriteria([parsed("<=+10%")], -180, -200)).toEqual({ state: "met" });
    expect(judgeCriteria([parsed("<=+10%"), parsed("< 600")], 100, null)).toEqual({ state: "no baseline" });
    // Every criterion of the list must hold.
    expect(judgeCriteria([parsed("<=+10%"), parsed("< 210")], 215, 200)).toEqual({
      state: "unmet",
      failing: [{ source: "< 210", limit: 210 }],
    });
  });
});

/** A p95 from Prometheus in ms, which the kind's own condition always accepts: the objectives decide. */
function scorecard(extra: Record<string, unknown>, second: Record<string, unknown> | null = null) {
  const p95 = {
    id: "p95",
    name: "API P95",
    kind: "promql",
    prometheus: "http://prometheus:9090",
    query: "p95",
    condition: "[VALUE] >= 0",
    unit: "ms",
    ...extra,
  };
  return ZScorecard.parse({
    gate: { minScorePct: 90 },
    categories: [
      {
        id: "perf",
        name: "Performance",
        checks: [
          p95,
          second ?? {
            id: "other",
            name: "Other",
            kind: "promql",
            prometheus: "http://prometheus:9090",
            query: "o",
            condition: "[VALUE] >= 0",
          },
        ],
      },
    ],
  });
}

function factsWith(p95: number, history?: ReadinessFacts["history"]): ReadinessFacts {
  const f = emptyFacts();
  f.promql = {
    p95: { value: p95, unit: "ms", at: NOW, source: "prometheus" },
    other: { value: 1, at: NOW, source: "prometheus" },
  };
  if (history) f.history = history;
  return f;
}

const p95Of = (r: ReadinessResult) => r.checks.find((c) => c.id === "p95");

describe("pass and warning criteria", () => {
  const card = scorecard({ pass: "<= 200", warning: "<= 300" });

  it("passes under the pass limit, warns between, fails above; a warning scores half its weight", () => {
    const passed = evaluateReadiness(card, factsWith(180), NOW);
    expect(p95Of(passed)?.verdict).toBe("passed");
    expect(passed.overallPct).toBe(100);

    const warned = evaluateReadiness(card, factsWith(250), NOW);
    expect(p95Of(warned)).toMatchObject({
      verdict: "warning",
      reason: "250 ms misses pass <= 200 (200 ms); meets warning",
    });
    // Two checks of weight 1: 1 + 0.5 of 2.
    expect(warned.overallPct).toBe(75);
    expect(warned.gaps).toEqual([{ check: expect.objectContaining({ id: "p95" }), pointsPct: 25 }]);

    const failed = evaluateReadiness(card, factsWith(301), NOW);
    expect(p95Of(failed)).toMatchObject({ verdict: "failed", reason: "301 ms misses pass <= 200 (200 ms)" });
    expect(failed.overallPct).toBe(50);
    expect(p95Of(failed)?.threshold).toContain("pass <= 200; warning <= 300");
  });

  it("a key objective vetoes go-live when it fails, not when it warns; a critical one blocks on a warning too", () => {
    const key = scorecard({ pass: "<= 200", warning: "<= 300", key: true });
    expect(evaluateReadiness(key, factsWith(250), NOW).blockers).toEqual([]);
    expect(evaluateReadiness(key, factsWith(350), NOW).blockers.map((b) => b.id)).toEqual(["p95"]);
    const critical = scorecard({ pass: "<= 200", warning: "<= 300", critical: true });
    expect(evaluateReadiness(critical, factsWith(250), NOW).blockers.map((b) => b.id)).toEqual(["p95"]);
  });
});

describe("relative criteria (compareWith)", () => {
  const card = scorecard({ pass: "<=+10%", warning: "<=+25%", compareWith: "lastSigned" });
  const baseline = (value: number | null) => ({
    baselines: { [baselineKey("lastSigned", "perf/p95")]: { value, source: "snapshot #7, signed for v1" } },
    heldSince: {},
  });

  it("holds the value to the baseline moved by the criterion: 200 ms signed, 220 passes, 240 warns, 251 fails", () => {
    expect(p95Of(evaluateReadiness(card, factsWith(220, baseline(200)), NOW))).toMatchObject({
      verdict: "passed",
      baseline: { value: 200, source: "snapshot #7, signed for v1" },
    });
    const warned = p95Of(evaluateReadiness(card, factsWith(240, baseline(200)), NOW));
    expect(warned).toMatchObject({ verdict: "warning", reason: "240 ms misses pass <=+10% (220 ms); meets warning" });
    expect(warned?.threshold).toContain(
      "pass <=+10% (220 ms); warning <=+25% (250 ms); against snapshot #7, signed for v1",
    );
    expect(p95Of(evaluateReadiness(card, factsWith(251, baseline(200)), NOW))?.verdict).toBe("failed");
  });

  it("without a baseline it is pending with the reason, never passed", () => {
    expect(p95Of(evaluateReadiness(card, factsWith(100), NOW))).toMatchObject({
      verdict: "pending",
      reason: "nothing to compare with: no lastSigned snapshot",
    });
    expect(p95Of(evaluateReadiness(card, factsWith(100, baseline(null)), NOW))).toMatchObject({ verdict: "pending" });
  });

  it("refuses relative criteria without compareWith, compareWith without them, warning alone, and criteria on an unmeasured kind", () => {
    const issues = (extra: Record<string, unknown>, kind?: Record<string, unknown>) => {
      const r = ZScorecard.safeParse({
        categories: [
          {
            id: "c",
            name: "C",
            checks: [
              {
                id: "x",
                name: "X",
                ...(kind ?? { kind: "promql", prometheus: "http://p", query: "q", condition: "[VALUE] > 0" }),
                ...extra,
              },
            ],
          },
        ],
      });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(issues({ pass: "<=+10%" })).toEqual([
      'categories.0.checks.0.compareWith: a relative criterion ("<=+10%") needs compareWith: lastSigned, lastPassing or { last: N }',
    ]);
    expect(issues({ pass: "<= 10", compareWith: "lastSigned" })[0]).toMatch(
      /compareWith is set but no criterion is relative/,
    );
    expect(issues({ warning: "<= 10" })[0]).toMatch(/warning: warning criteria need pass criteria/);
    expect(issues({ pass: "<= 10" }, { kind: "attestation", question: "Q?" })[0]).toMatch(
      /pass: a attestation check measures no number/,
    );
    expect(issues({ pass: ["<= 10", "about"] })[0]).toMatch(/"about" is not a criterion/);
    expect(issues({ compareWith: "lastWeek", pass: "<=+1%" })[0]).toMatch(/expected compareWith to be/);
  });
});

describe("soak (holdFor)", () => {
  const card = scorecard({ pass: "<= 200", holdFor: "21h" });

  /** Evaluations one after another, each given the soak start the previous one recorded, as snapshots carry it. */
  function run(steps: { at: number; p95: number }[]) {
    let heldSince: string | null | undefined;
    return steps.map((step) => {
      const held: Record<string, string | null> = heldSince ? { "perf/p95": heldSince } : {};
      const history = { baselines: {}, heldSince: held };
      const result = p95Of(evaluateReadiness(card, factsWith(step.p95, history), at(step.at)));
      heldSince = result?.heldSince;
      return { verdict: result?.verdict, reason: result?.reason, heldSince: result?.heldSince };
    });
  }

  it("passes only after 21 h unbroken; a break restarts the count", () => {
    const steps = run([
      { at: 0, p95: 150 },
      { at: 14 * H + 25 * M, p95: 150 },
      { at: 15 * H, p95: 250 },
      { at: 15 * H + M, p95: 150 },
      { at: 36 * H, p95: 150 },
      { at: 36 * H + 2 * M, p95: 150 },
    ]);
    expect(steps[0]).toEqual({ verdict: "pending", reason: "held 0s of 21h 0m", heldSince: NOW.toISOString() });
    expect(steps[1]).toMatchObject({ verdict: "pending", reason: "held 14h 25m of 21h 0m" });
    // Broken: failed, and the soak is over.
    expect(steps[2]).toMatchObject({ verdict: "failed", heldSince: null });
    // Resumed from the recovery, not from the first start.
    expect(steps[3]).toMatchObject({ verdict: "pending", heldSince: at(15 * H + M).toISOString() });
    expect(steps[4]).toMatchObject({ verdict: "pending", reason: "held 20h 59m of 21h 0m" });
    expect(steps[5]).toMatchObject({ verdict: "passed", reason: null });
  });
});
