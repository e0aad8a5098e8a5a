import type { TConfig } from "../config/schema";
import type { TCheck, TScorecard } from "../config/scorecard-schema";
import { measureRecovery } from "../evidence/chaos";
import type { TComposeFinding, TComposePort, TComposeReport } from "../evidence/compose";
import type { TManifestFinding, TManifestReport, TManifestWorkload } from "../evidence/kubernetes";
import type { TVulnerability } from "../evidence/sbom";
import { formatDuration } from "../format";
import type { ComposeRun, CoverageRun, ManifestRun, PrismaClient, SbomRun, ScanRun } from "../generated/prisma/client";
import { getPromqlValue } from "../prometheus/query";
import { emptyFacts, uptimeKey, type ReadinessFacts } from "../readiness/facts";
import { gatherObjectiveHistory } from "./objective-history";
import { getSlos } from "../slo/read";
import { gatherRegressions } from "./regression-facts";
import { evaluateReadiness, type ReadinessResult } from "../readiness/evaluate";
import { maskUrl } from "../redact";
import { getBaselines } from "./baselines";
import { getComponentStatuses } from "./component-status";

// Gathers what the scorecard judges (probe state and history, baselines, PromQL, the latest evidence of each
// kind) and hands it to the pure engine. Only the evidence a check names is read.

export type TReadinessDeps = { prisma: PrismaClient; config: TConfig };

export function allChecks(scorecard: TScorecard): TCheck[] {
  return [...scorecard.categories.flatMap((c) => c.checks), ...scorecard.criteria];
}

type Of<K extends TCheck["kind"]> = Extract<TCheck, { kind: K }>;
const ofKind = <K extends TCheck["kind"]>(checks: TCheck[], kind: K) =>
  checks.filter((c): c is Of<K> => c.kind === kind);
const unique = <T>(values: T[]) => [...new Set(values)];

export async function gatherFacts({ prisma, config }: TReadinessDeps, now: Date): Promise<ReadinessFacts> {
  const facts = emptyFacts();
  const scorecard = config.scorecard;
  if (!scorecard) return facts;
  const checks = allChecks(scorecard);

  // The one status read: effective status (stale = unknown), and uptime with its coverage for every window a
  // check asks about. A component nobody has checked for three intervals is never "up" here.
  const uptimeChecks = ofKind(checks, "uptime");
  const statuses = await getComponentStatuses(
    { prisma, config, now },
    { windows: unique(uptimeChecks.map((c) => c.window)) },
  );
  for (const [id, s] of statuses) facts.components[id] = { status: s.status, since: s.since, inStateMs: s.inStateMs };
  for (const check of uptimeChecks) {
    const figure = statuses.get(check.component)?.uptime.get(check.window);
    if (figure) facts.uptime[uptimeKey(check.component, check.window)] = figure;
  }

  if (ofKind(checks, "baseline").length > 0) {
    const view = await getBaselines(now, { prisma, config });
    for (const baseline of config.baselines) {
      const rows = view.rows.filter((r) => r.baselineId === baseline.id);
      const label = (r: (typeof rows)[number]) => `${r.label} ${r.display} (target ${r.target})`;
      facts.baselines[baseline.id] = {
        passing: rows.filter((r) => r.verdict === "pass").map(label),
        failing: rows.filter((r) => r.verdict === "fail").map(label),
        noData: rows.filter((r) => r.verdict === "no data").map(label),
        at: now,
        source: unique(rows.map((r) => `${r.source}, ${r.window}`)).join("; ") || "no targets",
      };
    }
  }

  await Promise.all([
    ...unique(ofKind(checks, "testSuite").map((c) => c.suite)).map(async (suite) => {
      const run = await prisma.testRun.findFirst({
        where: { suite },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      });
      if (run) facts.suites[suite] = suiteFacts(run);
    }),
    ...unique(ofKind(checks, "loadTest").map((c) => c.test)).map(async (test) => {
      const run = await prisma.loadTestRun.findFirst({ where: { test }, orderBy: { receivedAt: "desc" } });
      if (run) {
        const thresholds = (run.thresholds as { name: string; passed: boolean }[] | null) ?? [];
        facts.loadTests[test] = {
          allThresholdsPassed: run.allThresholdsPassed,
          failedThresholds: thresholds.filter((t) => !t.passed).map((t) => t.name),
          p95Ms: run.p95Ms,
          at: run.receivedAt,
          source: `k6 run #${run.id} (${run.shape}) from ${run.source}`,
        };
      }
    }),
    ...unique(ofKind(checks, "scan").map((c) => c.project)).map(async (project) => {
      const run = await prisma.scanRun.findFirst({
        where: { project },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      });
      if (run) facts.scans[project] = scanFacts(run);
    }),
    ...unique(ofKind(checks, "coverage").map((c) => c.project)).map(async (project) => {
      const run = await prisma.coverageRun.findFirst({
        where: { project },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      });
      if (run) facts.coverage[project] = coverageFacts(run);
    }),
    ...unique([...ofKind(checks, "vulnerabilities"), ...ofKind(checks, "sbom")].map((c) => c.project)).map(
      async (project) => {
        const run = await prisma.sbomRun.findFirst({
          where: { project },
          orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        });
        if (run) facts.sboms[project] = sbomFacts(run);
      },
    ),
    ...unique(ofKind(checks, "manifests").map((c) => c.project)).map(async (project) => {
      const run = await prisma.manifestRun.findFirst({
        where: { project },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      });
      if (run) facts.manifests[project] = manifestFacts(run);
    }),
    ...unique(ofKind(checks, "compose").map((c) => c.project)).map(async (project) => {
      const run = await prisma.composeRun.findFirst({
        where: { project },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      });
      if (run) facts.compose[project] = composeFacts(run);
    }),
    ...unique(ofKind(checks, "chaos").map((c) => c.experiment)).map(async (name) => {
      const run = await prisma.chaosRun.findFirst({ where: { name }, orderBy: { endedAt: "desc" } });
      if (run) {
        const recovery = await measureChaosRecovery(prisma, run.target, run.endedAt);
        facts.chaos[name] = {
          recoverySeconds: recovery.recoverySeconds,
          at: run.endedAt,
          source: `chaos run #${run.id} (${run.fault} on ${run.target}) from ${run.source}; recovery from probe history`,
        };
      }
    }),
    ...ofKind(checks, "promql").map(async (check) => {
      const result = await getPromqlValue(check.prometheus, check.query);
      const observed = { at: result.at, source: `PromQL on ${maskUrl(check.prometheus)}: ${check.query}` };
      if (!result.ok) facts.promql[check.id] = { reason: result.reason, ...observed };
      else if (result.samples.length === 0)
        facts.promql[check.id] = { reason: "the query returned no samples", ...observed };
      else
        facts.promql[check.id] = {
          value: result.samples[0]?.value ?? Number.NaN,
          ...(check.unit ? { unit: check.unit } : {}),
          ...observed,
        };
    }),
    ...unique(ofKind(checks, "attestation").map((c) => c.id)).map(async (checkId) => {
      const a = await prisma.attestation.findFirst({ where: { checkId }, orderBy: { createdAt: "desc" } });
      if (a)
        facts.attestations[checkId] = {
          answer: a.answer,
          by: a.attestedBy,
          expiresAt: a.expiresAt,
          evidenceUrl: a.evidenceUrl,
          at: a.createdAt,
          source: a.source,
        };
    }),
  ]);
  facts.regressions = await gatherRegressions(prisma, ofKind(checks, "regression"), now);
  const sloIds = unique(ofKind(checks, "slo").map((c) => c.slo));
  if (sloIds.length > 0)
    for (const slo of await getSlos({ prisma, config, now }, config.slos, { ids: sloIds })) facts.slos[slo.id] = slo;
  if (checks.some((c) => c.compareWith !== undefined || c.holdFor !== undefined))
    facts.history = await gatherObjectiveHistory(prisma, scorecard, now);
  return facts;
}

type TStoredFinding = {
  level: string;
  ruleId: string | null;
  uri: string | null;
  line: number | null;
  suppressed: boolean;
};
const SARIF_RANK = ["error", "warning", "note", "none"];

/** What the scorecard judges of a stored SARIF log: counts by level and the worst few unsuppressed results. */
export function scanFacts(run: ScanRun): ReadinessFacts["scans"][string] {
  const findings = (run.findings as TStoredFinding[] | null) ?? [];
  const rank = (level: string) => SARIF_RANK.indexOf(level);
  return {
    counts: { error: run.errors, warning: run.warnings, note: run.notes, none: run.nones },
    suppressed: run.suppressed,
    tools: run.tools,
    top: findings
      .filter((f) => !f.suppressed)
      .sort((a, b) => rank(a.level) - rank(b.level))
      .slice(0, 10)
      .map(({ level, ruleId, uri, line }) => ({ level, ruleId, uri, line })),
    at: run.receivedAt,
    source: `SARIF #${run.id} (${run.tools.join(", ")}) from ${run.source}`,
  };
}

export function coverageFacts(run: CoverageRun): ReadinessFacts["coverage"][string] {
  return {
    lineRatePct: run.lineRatePct,
    branchRatePct: run.branchRatePct,
    lines: { valid: run.linesValid, covered: run.linesCovered },
    branches: { valid: run.branchesValid, covered: run.branchesCovered },
    at: run.receivedAt,
    source: `coverage run #${run.id} (${run.format === "lcov" ? "LCOV" : "Cobertura"}, ${run.files} files) from ${run.source}`,
  };
}

export function sbomFormat(run: Pick<SbomRun, "format" | "specVersion">): string {
  return run.format === "spdx" ? run.specVersion : `CycloneDX ${run.specVersion}`;
}

export function sbomFacts(run: SbomRun): ReadinessFacts["sboms"][string] {
  const format = sbomFormat(run);
  return {
    format,
    scanned: run.scanned,
    components: run.components,
    withoutVersion: run.withoutVersion,
    withoutLicence: run.withoutLicence,
    counts: { critical: run.critical, high: run.high, medium: run.medium, low: run.low, other: run.other },
    vulnerabilities: (run.vulnerabilities as TVulnerability[] | null) ?? [],
    at: run.receivedAt,
    source: `SBOM #${run.id} (${format}${run.tool ? `, ${run.tool}` : ""}) from ${run.source}`,
  };
}

export function manifestFacts(run: ManifestRun): ReadinessFacts["manifests"][string] {
  return {
    objects: run.objects,
    rules: run.rules as TManifestReport["rules"],
    findings: (run.findings as TManifestFinding[] | null) ?? [],
    workloads: (run.workloads as TManifestWorkload[] | null) ?? [],
    at: run.receivedAt,
    source: `manifests #${run.id} (${run.objects} objects) from ${run.source}`,
  };
}

export function composeFacts(run: ComposeRun): ReadinessFacts["compose"][string] {
  return {
    services: run.services,
    rules: run.rules as TComposeReport["rules"],
    findings: (run.findings as TComposeFinding[] | null) ?? [],
    ports: (run.ports as TComposePort[] | null) ?? [],
    at: run.receivedAt,
    source: `compose file #${run.id}${run.name ? ` (${run.name})` : ""}, ${run.services.length} services, from ${run.source}`,
  };
}

type TTestRunRow = Awaited<ReturnType<PrismaClient["testRun"]["findFirst"]>> & {};

/** What the scorecard judges of a JUnit run: errors count as failures, flaky tests as passes. */
export function suiteFacts(run: TTestRunRow): ReadinessFacts["suites"][string] {
  return {
    passRatePct: run.passRatePct,
    tests: run.tests,
    skipped: run.skipped,
    failed: run.failed + run.errors,
    flaky: run.flaky,
    at: run.receivedAt,
    source: `JUnit run #${run.id} (${run.kind}) from ${run.source}`,
  };
}

/**
 * Recovery after a fault, from Preflight's own history: the first confirmed up (or degraded, which serves) at or
 * after the fault's end. A component still up when the fault ended (the outage never reached the failure
 * threshold) recovered at its first successful check after the end.
 */
export async function measureChaosRecovery(prisma: PrismaClient, target: string, endedAt: Date) {
  const [upPeriod, atEnd] = await Promise.all([
    prisma.statePeriod.findFirst({
      where: { componentId: target, status: { in: ["up", "degraded"] }, startedAt: { gte: endedAt } },
      orderBy: { startedAt: "asc" },
    }),
    prisma.statePeriod.findFirst({
      where: { componentId: target, startedAt: { lte: endedAt } },
      orderBy: { startedAt: "desc" },
    }),
  ]);
  const times: Date[] = upPeriod ? [upPeriod.startedAt] : [];
  const upAtEnd =
    atEnd &&
    (atEnd.status === "up" || atEnd.status === "degraded") &&
    (atEnd.endedAt === null || atEnd.endedAt > endedAt);
  if (upAtEnd) {
    const first = await prisma.probeResult.findFirst({
      where: { componentId: target, checkedAt: { gte: endedAt }, ok: true },
      orderBy: { checkedAt: "asc" },
      select: { checkedAt: true },
    });
    if (first) times.push(first.checkedAt);
  }
  return measureRecovery(endedAt, times);
}

export type TReadinessView = { result: ReadinessResult; gateMinPct: number; configured: boolean };

/** The live readiness of the configured system. Without a scorecard there is nothing to score. */
export async function evaluateLive(deps: TReadinessDeps, now = new Date()): Promise<TReadinessView> {
  const scorecard = deps.config.scorecard ?? { gate: { minScorePct: 90 }, categories: [], criteria: [] };
  const facts = await gatherFacts(deps, now);
  return {
    result: evaluateReadiness(scorecard, facts, now),
    gateMinPct: scorecard.gate.minScorePct,
    configured: deps.config.scorecard !== undefined,
  };
}

export function describeAge(at: string | null, now: Date): string | null {
  return at === null ? null : formatDuration(Math.max(0, now.getTime() - Date.parse(at)));
}
