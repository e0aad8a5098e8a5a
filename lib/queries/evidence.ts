import type { TConfig } from "../config/schema";
import type { TCheck } from "../config/scorecard-schema";
import type { PrismaClient } from "../generated/prisma/client";
import { judgeCheck, type CheckVerdict } from "../readiness/evaluate";
import { emptyFacts } from "../readiness/facts";
import { allChecks, measureChaosRecovery, suiteFacts } from "./readiness";

// The evidence pages (reference sections 2 and 3): what CI pushed, run by run, judged by the same code as the
// scorecard (judgeCheck), so a suite's or an experiment's verdict here is the one its scorecard check shows.

export const TREND_RUNS = 30;
export const FLAKY_WINDOW_RUNS = 10;
export const LOAD_RUNS = 20;
export const CHAOS_RUNS = 20;

type Of<K extends TCheck["kind"]> = Extract<TCheck, { kind: K }>;

export function checksOf<K extends TCheck["kind"]>(config: TConfig, kind: K): Of<K>[] {
  return config.scorecard ? allChecks(config.scorecard).filter((c): c is Of<K> => c.kind === kind) : [];
}

/** A scorecard check's verdict on one piece of evidence. */
export type TCheckJudgement = {
  checkId: string;
  checkName: string;
  critical: boolean;
  threshold: string;
  maxAgeMs: number | null;
  verdict: Exclude<CheckVerdict, "waived">;
  /** True when the evidence is older than the check's maxAge: then the verdict is pending. */
  stale: boolean;
  reason: string | null;
};

export function toJudgement(
  check: TCheck & { maxAge?: number | undefined },
  evidenceAt: Date | null,
  now: Date,
  judged: ReturnType<typeof judgeCheck>,
): TCheckJudgement {
  const stale =
    evidenceAt !== null && check.maxAge !== undefined && now.getTime() - evidenceAt.getTime() > check.maxAge;
  return {
    checkId: check.id,
    checkName: check.name,
    critical: check.critical,
    threshold: judged.threshold,
    maxAgeMs: check.maxAge ?? null,
    verdict: judged.verdict === "waived" ? "pending" : judged.verdict,
    stale,
    reason: judged.reason,
  };
}

// ---- Tests (reference section 2) ----

export type TTestRunFigures = {
  id: string;
  kind: string;
  receivedAt: string;
  source: string;
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  flaky: number;
  durationS: number | null;
  passRatePct: number | null;
};

export type TSuiteView = {
  suite: string;
  /** A testSuite check of the scorecard names this suite. */
  configured: boolean;
  latest: TTestRunFigures | null;
  ageMs: number | null;
  /** The scorecard checks that judge this suite, each with its verdict on the latest run. */
  checks: TCheckJudgement[];
  /** Pass rate of the last runs, oldest first. */
  trend: { id: string; receivedAt: string; passRatePct: number | null }[];
  /** Tests that passed only on a retry in the last runs, with in how many of them; most often first. */
  flakyTests: { name: string; runs: number }[];
  flakyWindowRuns: number;
  /** Failed and errored cases of the latest run (as stored: at most 200). */
  failures: { name: string; message: string | null }[];
};

export type TTestsView = { generatedAt: string; suites: TSuiteView[] };

function readFailures(value: unknown): { name: string; message: string | null }[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((f: unknown) => {
    if (typeof f !== "object" || f === null) return [];
    const { name, message } = f as { name?: unknown; message?: unknown };
    return typeof name === "string" ? [{ name, message: typeof message === "string" ? message : null }] : [];
  });
}

export async function getTestsView(prisma: PrismaClient, config: TConfig, now: Date): Promise<TTestsView> {
  const checks = checksOf(config, "testSuite");
  const seen = await prisma.testRun.findMany({ distinct: ["suite"], select: { suite: true } });
  const names = [...new Set([...seen.map((s) => s.suite), ...checks.map((c) => c.suite)])].sort((a, b) =>
    a.localeCompare(b),
  );

  const suites = await Promise.all(
    names.map(async (suite): Promise<TSuiteView> => {
      const runs = await prisma.testRun.findMany({
        where: { suite },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take: TREND_RUNS,
      });
      const latestRow = runs[0];
      const latest: TTestRunFigures | null = latestRow
        ? {
            id: String(latestRow.id),
            kind: latestRow.kind,
            receivedAt: latestRow.receivedAt.toISOString(),
            source: latestRow.source,
            tests: latestRow.tests,
            passed: latestRow.passed,
            failed: latestRow.failed,
            errors: latestRow.errors,
            skipped: latestRow.skipped,
            flaky: latestRow.flaky,
            durationS: latestRow.durationS,
            passRatePct: latestRow.passRatePct,
          }
        : null;

      const facts = emptyFacts();
      if (latestRow) facts.suites[suite] = suiteFacts(latestRow);
      const suiteChecks = checks
        .filter((c) => c.suite === suite)
        .map((c) => toJudgement(c, latestRow?.receivedAt ?? null, now, judgeCheck(c, facts, now)));

      const window = runs.slice(0, FLAKY_WINDOW_RUNS);
      const flakyCounts = new Map<string, number>();
      for (const run of window)
        for (const name of new Set(run.flakyTests)) flakyCounts.set(name, (flakyCounts.get(name) ?? 0) + 1);

      return {
        suite,
        configured: suiteChecks.length > 0,
        latest,
        ageMs: latestRow ? Math.max(0, now.getTime() - latestRow.receivedAt.getTime()) : null,
        checks: suiteChecks,
        trend: runs
          .map((r) => ({ id: String(r.id), receivedAt: r.receivedAt.toISOString(), passRatePct: r.passRatePct }))
          .reverse(),
        flakyTests: [...flakyCounts]
          .map(([name, count]) => ({ name, runs: count }))
          .sort((a, b) => b.runs - a.runs || a.name.localeCompare(b.name)),
        flakyWindowRuns: window.length,
        failures: latestRow ? readFailures(latestRow.failures) : [],
      };
    }),
  );
  return { generatedAt: now.toISOString(), suites };
}

// ---- Load and chaos (reference section 3) ----

export type TK6Threshold = { name: string; metric: string; passed: boolean };

export type TLoadRun = {
  id: string;
  receivedAt: string;
  source: string;
  shape: string;
  p50Ms: number | null;
  p90Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  avgMs: number | null;
  maxMs: number | null;
  errorRatePct: number | null;
  requestRatePerS: number | null;
  checksPassed: number | null;
  checksFailed: number | null;
  durationS: number | null;
  thresholds: TK6Threshold[];
  /** Null when the summary carries no threshold verdict. */
  allThresholdsPassed: boolean | null;
  /** The scorecard checks that name this test, judging this run. */
  checks: TCheckJudgement[];
};

export type TLoadTestView = { test: string; configured: boolean; runs: TLoadRun[] };

export type TChaosRunView = {
  id: string;
  name: string;
  fault: string;
  target: string;
  targetName: string;
  startedAt: string;
  endedAt: string;
  faultDurationS: number;
  receivedAt: string;
  source: string;
  /** Litmus verdict when the run came as a ChaosResult. */
  toolVerdict: string | null;
  expectedRecoveryS: number | null;
  /** Measured from Preflight's probe history: first confirmed up at or after the fault's end. */
  recoveredAt: string | null;
  recoverySeconds: number | null;
  /** The chaos checks that name this experiment, each with its bound and verdict on this run. */
  checks: (TCheckJudgement & { maxRecoveryMs: number })[];
};

export type TLoadChaosView = {
  generatedAt: string;
  loadTests: TLoadTestView[];
  chaosRuns: TChaosRunView[];
  /** Experiments the scorecard names that have no run yet. */
  chaosPending: { checkId: string; checkName: string; experiment: string; maxRecoveryMs: number; critical: boolean }[];
};

function readThresholds(value: unknown): TK6Threshold[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((t: unknown) => {
    if (typeof t !== "object" || t === null) return [];
    const { name, metric, passed } = t as { name?: unknown; metric?: unknown; passed?: unknown };
    return typeof name === "string" && typeof passed === "boolean"
      ? [{ name, metric: typeof metric === "string" ? metric : "", passed }]
      : [];
  });
}

export async function getLoadChaosView(prisma: PrismaClient, config: TConfig, now: Date): Promise<TLoadChaosView> {
  const loadChecks = checksOf(config, "loadTest");
  const chaosChecks = checksOf(config, "chaos");
  const componentNames = new Map(config.components.map((c) => [c.id, c.name]));

  const seenTests = await prisma.loadTestRun.findMany({ distinct: ["test"], select: { test: true } });
  const tests = [...new Set([...seenTests.map((t) => t.test), ...loadChecks.map((c) => c.test)])].sort((a, b) =>
    a.localeCompare(b),
  );
  const loadTests = await Promise.all(
    tests.map(async (test): Promise<TLoadTestView> => {
      const rows = await prisma.loadTestRun.findMany({
        where: { test },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take: LOAD_RUNS,
      });
      const named = loadChecks.filter((c) => c.test === test);
      const runs = rows.map((r): TLoadRun => {
        const thresholds = readThresholds(r.thresholds);
        const facts = emptyFacts();
        facts.loadTests[test] = {
          allThresholdsPassed: r.allThresholdsPassed,
          failedThresholds: thresholds.filter((t) => !t.passed).map((t) => t.name),
          p95Ms: r.p95Ms,
          at: r.receivedAt,
          source: `k6 run #${r.id}`,
        };
        return {
          id: String(r.id),
          receivedAt: r.receivedAt.toISOString(),
          source: r.source,
          shape: r.shape,
          p50Ms: r.p50Ms,
          p90Ms: r.p90Ms,
          p95Ms: r.p95Ms,
          p99Ms: r.p99Ms,
          avgMs: r.avgMs,
          maxMs: r.maxMs,
          errorRatePct: r.errorRatePct,
          requestRatePerS: r.requestRatePerS,
          checksPassed: r.checksPassed,
          checksFailed: r.checksFailed,
          durationS: r.durationS,
          thresholds,
          allThresholdsPassed: r.allThresholdsPassed,
          checks: named.map((c) => toJudgement(c, r.receivedAt, now, judgeCheck(c, facts, now))),
        };
      });
      return { test, configured: named.length > 0, runs };
    }),
  );

  const chaosRows = await prisma.chaosRun.findMany({
    orderBy: [{ endedAt: "desc" }, { id: "desc" }],
    take: CHAOS_RUNS,
  });
  const chaosRuns = await Promise.all(
    chaosRows.map(async (r): Promise<TChaosRunView> => {
      const recovery = await measureChaosRecovery(prisma, r.target, r.endedAt);
      const facts = emptyFacts();
      facts.chaos[r.name] = { recoverySeconds: recovery.recoverySeconds, at: r.endedAt, source: `chaos run #${r.id}` };
      return {
        id: String(r.id),
        name: r.name,
        fault: r.fault,
        target: r.target,
        targetName: componentNames.get(r.target) ?? r.target,
        startedAt: r.startedAt.toISOString(),
        endedAt: r.endedAt.toISOString(),
        faultDurationS: (r.endedAt.getTime() - r.startedAt.getTime()) / 1000,
        receivedAt: r.receivedAt.toISOString(),
        source: r.source,
        toolVerdict: r.verdict,
        expectedRecoveryS: r.expectedRecoveryS,
        recoveredAt: recovery.recoveredAt?.toISOString() ?? null,
        recoverySeconds: recovery.recoverySeconds,
        checks: chaosChecks
          .filter((c) => c.experiment === r.name)
          .map((c) => ({ ...toJudgement(c, r.endedAt, now, judgeCheck(c, facts, now)), maxRecoveryMs: c.maxRecovery })),
      };
    }),
  );

  const ran = new Set(
    (await prisma.chaosRun.findMany({ distinct: ["name"], select: { name: true } })).map((r) => r.name),
  );
  const chaosPending = chaosChecks
    .filter((c) => !ran.has(c.experiment))
    .map((c) => ({
      checkId: c.id,
      checkName: c.name,
      experiment: c.experiment,
      maxRecoveryMs: c.maxRecovery,
      critical: c.critical,
    }));

  return { generatedAt: now.toISOString(), loadTests, chaosRuns, chaosPending };
}
