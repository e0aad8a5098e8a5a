import { describe, expect, it } from "vitest";
import type { TSloResult } from "../slo/read";
import type { CheckResult } from "./evaluate";
import { judgeGateRules, parseGateQuery } from "./gate-rules";

// The gate's extra rules, each judged with its reasons, and the query that asks for them refused when malformed.

const slo = (over: Partial<TSloResult>): TSloResult =>
  ({
    id: "api-availability",
    name: "API availability",
    description: null,
    kind: "availability",
    target: { component: "api" },
    objective: 99.9,
    windowMs: 30 * 86_400_000,
    window: "30d",
    unit: "ms",
    sli: 99.95,
    amounts: { good: 1, bad: 0, unknown: 0 },
    budget: { allowed: 2_592_000, consumed: 1_296_000, consumedPct: 50, remainingPct: 50, exhaustsInMs: null },
    burn: { "5m": 0, "30m": 0, "1h": 0, "6h": 0, "3d": 0 },
    alert: null,
    state: "ok",
    coverage: 1,
    series: [],
    source: "probe history",
    reason: null,
    ...over,
  }) as TSloResult;

const check = (over: Partial<CheckResult>): CheckResult => ({
  id: "db-stable",
  name: "Database stable",
  kind: "componentUp",
  category: "availability",
  critical: false,
  weight: 1,
  verdict: "passed",
  measured: null,
  threshold: "",
  source: null,
  observedAt: null,
  reason: null,
  ...over,
});

describe("parseGateQuery", () => {
  it("reads each rule and refuses what it does not know, names twice, or cannot read", () => {
    expect(parseGateQuery(new URLSearchParams("minBudget=25&noFastBurn=true&requireSoak=1"))).toEqual({
      ok: true,
      request: { minBudgetPct: 25, noFastBurn: true, requireSoak: true },
    });
    expect(parseGateQuery(new URLSearchParams(""))).toEqual({ ok: true, request: {} });
    expect(parseGateQuery(new URLSearchParams("min=90"))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/unknown query parameter "min"/),
    });
    expect(parseGateQuery(new URLSearchParams("minBudget=1&minBudget=2"))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/given twice/),
    });
    expect(parseGateQuery(new URLSearchParams("minBudget=120"))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^minBudget: expected a percentage/),
    });
    expect(parseGateQuery(new URLSearchParams("noFastBurn=yes"))).toMatchObject({
      ok: false,
      error: 'noFastBurn: expected true or false, got "yes"',
    });
    expect(parseGateQuery(new URLSearchParams("requireStatement=true"))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/needs digest/),
    });
  });
});

describe("judgeGateRules", () => {
  it("min-budget fails on each SLO below the minimum, and with no figure; passes at or above it", () => {
    const slos = [
      slo({}),
      slo({ id: "b", name: "Checkout latency", budget: { ...slo({}).budget, remainingPct: 12.5 } }),
    ];
    expect(judgeGateRules({ minBudgetPct: 25 }, slos, [])).toEqual([
      {
        rule: "min-budget",
        passed: false,
        reasons: ['SLO "Checkout latency": 12.5 % of its error budget left, below 25 %'],
      },
    ]);
    expect(judgeGateRules({ minBudgetPct: 12.5 }, slos, [])[0]?.passed).toBe(true);
    const unknown = slo({ budget: { ...slo({}).budget, remainingPct: null }, reason: "nothing observed yet" });
    expect(judgeGateRules({ minBudgetPct: 0 }, [unknown], [])[0]).toMatchObject({
      passed: false,
      reasons: ['SLO "API availability": no budget figure (nothing observed yet)'],
    });
    expect(judgeGateRules({ minBudgetPct: 0 }, [], [])[0]).toMatchObject({ passed: false });
  });

  it("no-fast-burn names each SLO in fast burn with its rate; soak names each check still soaking; unasked rules are absent", () => {
    const burning = slo({ alert: "fast burn", burn: { "5m": 20, "30m": 15, "1h": 16.8, "6h": 3, "3d": 0.4 } });
    expect(judgeGateRules({ noFastBurn: true }, [burning, slo({ id: "ok" })], [])).toEqual([
      {
        rule: "no-fast-burn",
        passed: false,
        reasons: ['SLO "API availability" is in fast burn (1 h burn rate 16.8×)'],
      },
    ]);
    const soaking = check({ verdict: "pending", reason: "held 3h 0m of 21h 0m", heldSince: "2026-01-01T00:00:00Z" });
    expect(judgeGateRules({ requireSoak: true }, [], [soaking, check({ id: "other" })])).toEqual([
      { rule: "soak", passed: false, reasons: ['soak "Database stable": held 3h 0m of 21h 0m'] },
    ]);
    expect(judgeGateRules({ requireSoak: true }, [], [check({ heldSince: "2026-01-01T00:00:00Z" })])[0]?.passed).toBe(
      true,
    );
    expect(judgeGateRules({}, [burning], [soaking])).toEqual([]);
  });

  it("statement passes through the deployment verdict's reason", () => {
    expect(
      judgeGateRules(
        { statement: { passed: false, code: "none", reason: "no readiness statement names sha256:ab" } },
        [],
        [],
      ),
    ).toEqual([{ rule: "statement", passed: false, reasons: ["no readiness statement names sha256:ab"] }]);
  });
});
