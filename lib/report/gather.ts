import type { TConfig } from "../config/schema";
import type { TCheck } from "../config/scorecard-schema";
import {
  formatDuration,
  formatLatency,
  formatMeasure,
  formatObserved,
  formatPercent,
  type TMeasureUnit,
} from "../format";
import type { PrismaClient } from "../generated/prisma/client";
import { FULLY_OBSERVED } from "../queries/component-status";
import { getSystemHealth, type UptimeCell, type UptimeWindow } from "../queries/components";
import { getCoverageViews, getInfrastructureView, getSecurityView, type TArtefactView } from "../queries/artefacts";
import { getLoadChaosView, getTestsView } from "../queries/evidence";
import type { getPlan } from "../queries/plan";
import { allChecks } from "../queries/readiness";
import type { CheckResult } from "../readiness/evaluate";
import type { TReport } from "./types";
import { known, scoreText, stamp, unverified } from "./derive";
import type {
  TArtefactRow,
  TAttestedRow,
  TChaosRow,
  TCheckRow,
  TComponentRow,
  TFigure,
  TLoadRow,
  TPhaseRow,
  TSuiteRow,
} from "./types";

// The report's reads, section by section: each turns what the queries return into figures that carry their window
// and source, or say why there is none.

/** `zone`: the reader's time zone for every time the report writes (UTC, named, for a download without one). */
export type TReportDeps = { prisma: PrismaClient; config: TConfig; secrets: Set<string>; zone?: string };

const DAY_MS = 86_400_000;

export function checkRow(c: CheckResult, categoryName: string | null, zone?: string): TCheckRow {
  const window = c.observedAt ? `observed ${stamp(c.observedAt, zone)}` : null;
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    category: c.category,
    categoryName,
    critical: c.critical,
    weight: c.weight,
    verdict: c.verdict,
    threshold: c.threshold,
    measured:
      c.measured !== null && c.source !== null
        ? known(c.measured, window, c.source)
        : unverified(c.reason ?? "no evidence", window, c.source),
    reason: c.reason,
  };
}

/** Uptime as the report writes it: a window not fully observed says how much of it was, in the figure itself. */
export function uptimeFigure(cell: UptimeCell, window: UptimeWindow): TFigure {
  const label = `last ${window}`;
  if (cell.pct === null) return unverified("no data in this window", label, "status history");
  const partial = cell.coverage < FULLY_OBSERVED;
  const observed = formatObserved(cell.observedMs, cell.windowMs);
  const value = partial ? `${formatPercent(cell.pct)} (${observed})` : formatPercent(cell.pct);
  return known(value, partial ? `${label}, ${observed}` : label, "status history (probe checks, maintenance excluded)");
}

/** Component health (1.1) from the same read as the overview: effective status, coverage-aware uptime, 24 h latency. */
export async function gatherComponents({ prisma, config, zone }: TReportDeps, now: Date) {
  const health = await getSystemHealth({ prisma, config, now });
  const rows = health.components.map((c): TComponentRow => {
    const component = config.components.find((x) => x.id === c.id);
    const stats = c.latency24h;
    const latencySource = `hour rollups of ${c.id}'s probe checks (${stats.count} checks)`;
    const latency = (ms: number | null): TFigure =>
      ms === null
        ? unverified("no checks in 24 h", "last 24 h", latencySource)
        : known(formatLatency(ms), "last 24 h", latencySource);
    const interval = component?.interval ?? c.intervalMs;
    return {
      id: c.id,
      name: c.name,
      service: c.service,
      probeType: c.probeType,
      status: c.status,
      inState:
        c.status === "unknown" || c.since === null || c.inStateMs === null
          ? unverified(
              c.lastCheckedAt
                ? `no check in the last ${formatDuration(3 * interval)}: no worker is checking`
                : "never checked",
              null,
              "probe history",
            )
          : known(
              `${c.status} for ${formatDuration(c.inStateMs)}`,
              `since ${stamp(c.since, zone)}`,
              `confirmed checks of ${c.id}`,
            ),
      uptime: {
        "24h": uptimeFigure(c.uptime["24h"], "24h"),
        "7d": uptimeFigure(c.uptime["7d"], "7d"),
        "30d": uptimeFigure(c.uptime["30d"], "30d"),
        "90d": uptimeFigure(c.uptime["90d"], "90d"),
      },
      latency: {
        avg: latency(stats.avgMs),
        p50: latency(stats.p50Ms),
        p95: latency(stats.p95Ms),
        p99: latency(stats.p99Ms),
      },
      since: c.since,
      lastCheckedAt: c.lastCheckedAt,
      maintenance: c.maintenance,
    };
  });
  const incident = health.lastIncident;
  const lastIncident = incident
    ? `${incident.componentName} down ${stamp(incident.startedAt, zone)}${incident.endedAt ? ` for ${formatDuration(incident.durationMs)}` : ", still down"}`
    : null;
  return {
    rows,
    operational: health.operational,
    total: health.total,
    workerRunning: health.worker.running,
    lastIncident,
  };
}

/** Security & compliance (1.3): every check of a security category. Infrastructure (1.4): the other attestations. */
export async function gatherAttested(
  prisma: PrismaClient,
  config: TConfig,
  checks: TCheckRow[],
  criteria: TCheckRow[],
  now: Date,
) {
  const scorecard = config.scorecard;
  if (!scorecard) return { security: [], infrastructure: [] };
  const questions = new Map(
    allChecks(scorecard).flatMap((c): [string, string][] => (c.kind === "attestation" ? [[c.id, c.question]] : [])),
  );
  const securityCategories = new Set(
    scorecard.categories.filter((c) => /secur|complian/i.test(`${c.id} ${c.name}`)).map((c) => c.id),
  );
  const attestedCriteria = new Set(scorecard.criteria.filter((c) => c.kind === "attestation").map((c) => c.id));
  const rows = await prisma.attestation.findMany({
    where: { checkId: { in: [...questions.keys()] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    distinct: ["checkId"],
  });
  const latest = new Map(rows.map((a) => [a.checkId, a]));
  const attested = (c: TCheckRow): TAttestedRow => {
    const a = c.kind === "attestation" ? latest.get(c.id) : undefined;
    return {
      ...c,
      question: questions.get(c.id) ?? c.threshold,
      attestation: a
        ? {
            answer: a.answer,
            by: a.attestedBy,
            at: a.createdAt.toISOString(),
            evidenceUrl: a.evidenceUrl,
            expiresAt: a.expiresAt.toISOString(),
            expired: a.expiresAt.getTime() <= now.getTime(),
            comment: a.comment,
          }
        : null,
    };
  };
  return {
    security: checks.filter((c) => c.category !== null && securityCategories.has(c.category)).map(attested),
    infrastructure: [
      ...checks.filter((c) => c.kind === "attestation" && !(c.category !== null && securityCategories.has(c.category))),
      ...criteria.filter((c) => attestedCriteria.has(c.id)),
    ].map(attested),
  };
}

export async function gatherEvidence(
  { prisma, config, zone }: TReportDeps,
  result: { checks: CheckResult[] },
  now: Date,
) {
  const [testsView, loadChaos] = await Promise.all([
    getTestsView(prisma, config, now),
    getLoadChaosView(prisma, config, now),
  ]);
  const tests = testsView.suites.map((s): TSuiteRow => {
    const run = s.latest;
    const source = run ? `JUnit run #${run.id} (${run.kind}) from ${run.source}` : null;
    return {
      suite: s.suite,
      configured: s.configured,
      kind: run?.kind ?? null,
      passRate:
        run && run.passRatePct !== null && source
          ? known(formatPercent(run.passRatePct), `run received ${stamp(run.receivedAt, zone)}`, source)
          : unverified(run ? "the run had no test cases" : "no JUnit run pushed", null, source),
      tests: run?.tests ?? null,
      failed: run ? run.failed + run.errors : null,
      skipped: run?.skipped ?? null,
      flaky: run?.flaky ?? null,
      checks: s.checks.map((c) => ({
        name: c.checkName,
        threshold: c.threshold,
        verdict: c.verdict,
        critical: c.critical,
        reason: c.reason,
      })),
      flakyTests: s.flakyTests,
      flakyWindowRuns: s.flakyWindowRuns,
    };
  });
  const loadChecks = config.scorecard
    ? allChecks(config.scorecard).filter((c): c is Extract<TCheck, { kind: "loadTest" }> => c.kind === "loadTest")
    : [];
  const load = loadChaos.loadTests.map((t): TLoadRow => {
    const run = t.runs[0];
    const source = run ? `k6 run #${run.id} (${run.shape}) from ${run.source}` : "";
    const at = run ? `run received ${stamp(run.receivedAt, zone)}` : null;
    const figure = (value: number | null, unit: TMeasureUnit, what: string) =>
      value === null
        ? unverified(`the summary has no ${what}`, at, source)
        : known(formatMeasure(value, unit), at, source);
    const live = loadChecks.filter((c) => c.test === t.test).flatMap((c) => result.checks.filter((r) => r.id === c.id));
    return {
      test: t.test,
      configured: t.configured,
      runs: t.runs.length,
      latest: run
        ? {
            receivedAt: run.receivedAt,
            source: run.source,
            p95: figure(run.p95Ms, "ms", "P95"),
            p99: figure(run.p99Ms, "ms", "P99"),
            errorRate: figure(run.errorRatePct, "percent", "error rate"),
            requestRate: figure(run.requestRatePerS, "rps", "request rate"),
            thresholds: run.thresholds.map(({ name, passed }) => ({ name, passed })),
            allThresholdsPassed: run.allThresholdsPassed,
          }
        : null,
      checks: run
        ? run.checks.map((c) => ({
            name: c.checkName,
            threshold: c.threshold,
            verdict: c.verdict,
            critical: c.critical,
            reason: c.reason,
          }))
        : live.map((c) => ({
            name: c.name,
            threshold: c.threshold,
            verdict: c.verdict === "waived" ? ("pending" as const) : c.verdict,
            critical: c.critical,
            reason: c.reason,
          })),
    };
  });
  const chaos: TChaosRow[] = [];
  for (const run of loadChaos.chaosRuns) {
    if (chaos.some((c) => c.name === run.name)) continue;
    const check = run.checks[0];
    const source = `chaos run #${run.id} (${run.fault} on ${run.target}) from ${run.source}; recovery from probe history`;
    const window = `after the fault ended ${stamp(run.endedAt, zone)}`;
    chaos.push({
      name: run.name,
      fault: run.fault,
      target: run.targetName,
      endedAt: run.endedAt,
      recovery:
        run.recoverySeconds === null
          ? unverified("not recovered since the fault ended", window, source)
          : known(`recovered in ${formatDuration(run.recoverySeconds * 1000)}`, window, source),
      bound: check
        ? `≤ ${formatDuration(check.maxRecoveryMs)}`
        : run.expectedRecoveryS !== null
          ? `≤ ${formatDuration(run.expectedRecoveryS * 1000)} (expected by the tool)`
          : "no bound",
      verdict: check?.verdict ?? null,
      critical: run.checks.some((c) => c.critical),
    });
  }
  for (const p of loadChaos.chaosPending) {
    chaos.push({
      name: p.experiment,
      fault: "—",
      target: "—",
      endedAt: null,
      recovery: unverified("no run of this experiment pushed"),
      bound: `≤ ${formatDuration(p.maxRecoveryMs)}`,
      verdict: "pending",
      critical: p.critical,
    });
  }
  return { tests, load, chaos };
}

export async function gatherPhases(
  prisma: PrismaClient,
  phases: Awaited<ReturnType<typeof getPlan>>["phases"],
  live: TFigure,
  now: Date,
  zone?: string,
): Promise<TPhaseRow[]> {
  const today = now.toISOString().slice(0, 10);
  return Promise.all(
    phases.map(async (p): Promise<TPhaseRow> => {
      let measured = live.verified
        ? { ...live, window: p.endDate === null || p.endDate >= today ? "now (phase not over)" : live.window }
        : live;
      if (p.endDate !== null && p.endDate < today) {
        const end = new Date(Date.parse(`${p.endDate}T00:00:00Z`) + DAY_MS);
        const snap = await prisma.readinessSnapshot.findFirst({
          where: { takenAt: { lt: end } },
          orderBy: { takenAt: "desc" },
          select: { takenAt: true, overallPct: true, hash: true },
        });
        const window = `end of phase (${p.endDate})`;
        measured =
          snap && snap.overallPct !== null
            ? known(
                scoreText(snap.overallPct),
                window,
                `readiness snapshot ${snap.hash.slice(0, 12)} taken ${stamp(snap.takenAt.toISOString(), zone)}`,
              )
            : unverified(
                snap ? "the snapshot then had no score" : "no readiness snapshot stored by the end of the phase",
                window,
                "readiness snapshots",
              );
      }
      const tasks = p.tasks.map((t) => ({
        title: t.title,
        phase: t.phaseName,
        owner: t.owner,
        dueDate: t.dueDate,
        status: t.status,
        overdue: t.overdue,
        notes: t.notes,
      }));
      return {
        name: p.name,
        startDate: p.startDate,
        endDate: p.endDate,
        goal: p.goal,
        expectedReadinessPct: p.expectedReadinessPct,
        measured,
        tasks,
      };
    }),
  );
}

/** Findings the report lists per artefact; the Security and Infrastructure pages list them all. */
export const REPORT_FINDINGS = 15;

function artefactRow<T extends object>(
  kind: string,
  view: TArtefactView<T>,
  measured: (latest: NonNullable<TArtefactView<T>["latest"]>) => string,
  zone: string | undefined,
): TArtefactRow {
  const latest = view.latest;
  const changes = view.changes;
  return {
    kind,
    project: view.project,
    measured: latest
      ? known(
          measured(latest),
          `received ${stamp(latest.receivedAt, zone)}`,
          `${kind} #${latest.id} from ${latest.source}`,
        )
      : unverified(`no ${kind} pushed`, null, null),
    checks: view.checks.map((c) => ({ name: c.checkName, verdict: c.verdict, reason: c.reason })),
    findings: view.findings
      .slice(0, REPORT_FINDINGS)
      .map(({ severity, rule, object, location, message }) => ({ severity, rule, object, location, message })),
    findingsTotal: view.findings.length,
    changes: changes
      ? `since #${changes.previousId}: ${changes.added.length} new, ${changes.resolved.length} resolved`
      : null,
  };
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** Sections 1.3, 1.4 and 2 as measured: scans, SBOMs, manifests, compose files and coverage, from the same reads as their pages. */
export async function gatherArtefacts({ prisma, config, zone }: TReportDeps, now: Date): Promise<TReport["artefacts"]> {
  const [security, infrastructure, coverage] = await Promise.all([
    getSecurityView(prisma, config, now),
    getInfrastructureView(prisma, config, now),
    getCoverageViews(prisma, config, now),
  ]);
  return {
    security: [
      ...security.scans.map((v) =>
        artefactRow(
          "SARIF scan",
          v,
          (l) =>
            `${plural(l.counts.error, "error")}, ${plural(l.counts.warning, "warning")}, ${plural(l.counts.note, "note")} (${l.tools.join(", ")})${l.suppressed > 0 ? `, ${l.suppressed} suppressed` : ""}`,
          zone,
        ),
      ),
      ...security.sboms.map((v) =>
        artefactRow(
          "SBOM",
          v,
          (l) =>
            `${plural(l.components, "component")} (${l.format}); ${l.scanned ? `${l.counts.critical} critical, ${l.counts.high} high, ${l.counts.medium} medium, ${l.counts.low} low vulnerabilities` : "no vulnerability analysis in it"}`,
          zone,
        ),
      ),
    ],
    infrastructure: [
      ...infrastructure.manifests.map((v) =>
        artefactRow(
          "Kubernetes manifests",
          v,
          (l) =>
            `${plural(l.objects, "object")}, ${plural(l.workloads, "workload")}; ${plural(v.findings.length, "finding")}`,
          zone,
        ),
      ),
      ...infrastructure.compose.map((v) =>
        artefactRow(
          "compose file",
          v,
          (l) => `${plural(l.services.length, "service")}; ${plural(v.findings.length, "finding")}`,
          zone,
        ),
      ),
    ],
    coverage: coverage.map((v) =>
      artefactRow(
        "coverage report",
        v,
        (l) =>
          `lines ${l.lineRatePct === null ? "none to cover" : formatPercent(l.lineRatePct)}${l.branchRatePct === null ? "" : `, branches ${formatPercent(l.branchRatePct)}`} (${l.format}, ${plural(l.files, "file")})`,
        zone,
      ),
    ),
  };
}
