import { formatDuration } from "../format";
import { DEFAULT_TIME_ZONE, formatBytes, formatCores } from "../format";
import { getBaselines } from "../queries/baselines";
import { getPlan } from "../queries/plan";
import { evaluateLive } from "../queries/readiness";
import { getSignOffView } from "../queries/signoff";
import { formatNumber, formatPercent } from "../format";
import type { TSloResult } from "../slo/read";
import { getSlos } from "../slo/read";
import { getPostDeployment } from "../queries/post-deployment";
import { judgeGate } from "../readiness/gate";
import { readinessFingerprint, snapshotTrend } from "../readiness/snapshot";
import {
  countUnverified,
  dailyTrend,
  deriveConclusion,
  deriveStatements,
  known,
  overallRiskLevel,
  probeTarget,
  scoreText,
  stamp,
  unverified,
} from "./derive";
import {
  checkRow,
  gatherArtefacts,
  gatherAttested,
  gatherComponents,
  gatherEvidence,
  gatherPhases,
  type TReportDeps,
} from "./gather";
import type { TFigure, TReport } from "./types";

export type { TReportDeps } from "./gather";

// Gathers the whole assessment from live data into one plain TReport. Reads only: the readiness is evaluated, not
// stored (the page that shows it says which stored snapshot it matches). Unreachable sources (PromQL, a service
// that is down) come out as unverified figures with the reason, never as an error.

export const TREND_DAYS = 30;
const DAY_MS = 86_400_000;

function keyMetrics(
  report: Pick<TReport, "summary" | "components" | "baselines" | "tests">,
  now: Date,
  zone?: string,
): { label: string; figure: TFigure }[] {
  const rows = report.components.rows;
  const notUp = rows.filter((c) => c.status !== "up" && c.status !== "degraded");
  // The most recent change of state among the components: since then every one of them has been serving.
  const latest = rows
    .map((c) => c.since ?? "")
    .sort()
    .at(-1);
  const uptime: TFigure =
    rows.length > 0 && notUp.length === 0 && latest
      ? known(
          `all ${rows.length} services up for at least ${formatDuration(now.getTime() - Date.parse(latest))}`,
          `since ${stamp(latest, zone)}`,
          "probe history (confirmed states)",
        )
      : unverified(
          rows.length === 0 ? "no components configured" : notUp.map((c) => `${c.name} is ${c.status}`).join(", "),
          null,
          "probe history",
        );
  const first = rows[0];
  // Every error rate, each under its own baseline's name: a health check's failure rate is not the API's 5xx rate.
  const errorRows = report.baselines.rows.filter((r) => r.metric === "Error rate");
  const errorRates =
    errorRows.length > 0
      ? errorRows.map((r) => ({ label: `Error rate, ${r.baseline}`, figure: r.measured }))
      : [{ label: "Error rate", figure: unverified("no error-rate baseline configured") }];
  const runs = report.tests.filter((s) => s.tests !== null);
  const tests = runs.reduce((n, s) => n + (s.tests ?? 0), 0);
  return [
    { label: "Readiness", figure: report.summary.overall },
    { label: "Services operational", figure: report.summary.operational },
    { label: "Continuous uptime", figure: uptime },
    ...(first
      ? [
          { label: `${first.name} health check, average`, figure: first.latency.avg },
          { label: `${first.name} health check, P95`, figure: first.latency.p95 },
        ]
      : []),
    ...errorRates,
    {
      label: "Test cases run",
      figure:
        runs.length > 0
          ? known(
              `${tests} in ${runs.length} suite${runs.length === 1 ? "" : "s"}`,
              "latest run of each suite",
              "JUnit reports pushed by CI",
            )
          : unverified("no JUnit run pushed", null, "JUnit reports"),
    },
  ];
}

/** An SLO as the report lists it: nothing known is an unverified figure with the reason, never a 100 %. */
function sloRow(slo: TSloResult): TReport["slos"][number] {
  const window = `${slo.window} rolling${slo.coverage !== null && slo.coverage < 0.99 ? `, ${formatPercent(slo.coverage * 100)} observed` : ""}`;
  const rate = (w: keyof TSloResult["burn"]) => {
    const r = slo.burn[w];
    return `${w} ${r === null ? "–" : `${formatNumber(r)}×`}`;
  };
  return {
    name: slo.name,
    objective: `${formatPercent(slo.objective)} over ${slo.window}`,
    sli:
      slo.sli === null
        ? unverified(slo.reason ?? "nothing known yet", window, slo.source)
        : known(formatPercent(slo.sli), window, slo.source),
    budgetLeft:
      slo.budget.remainingPct === null
        ? unverified(slo.reason ?? "no budget figure", window, slo.source)
        : known(formatPercent(slo.budget.remainingPct), window, slo.source),
    state: slo.alert && slo.alert !== slo.state ? `${slo.state}, ${slo.alert}` : slo.state,
    burn: `${rate("1h")}, ${rate("6h")}, ${rate("3d")}`,
  };
}

/** The whole readiness assessment of the configured system, from live data, at `now`. */
export async function buildReport(deps: TReportDeps, now = new Date()): Promise<TReport> {
  const { prisma, config, secrets } = deps;
  const readiness = await evaluateLive({ prisma, config }, now);
  const { result } = readiness;
  const [components, baselinesView, evidence, plan, signOffView, trendPoints, lastSnapshot, artefacts, slos, after] =
    await Promise.all([
      gatherComponents(deps, now),
      getBaselines(now, { prisma, config }),
      gatherEvidence(deps, result, now),
      getPlan(prisma, now),
      getSignOffView({ prisma, config }, result, now),
      snapshotTrend(prisma, new Date(now.getTime() - TREND_DAYS * DAY_MS)),
      prisma.readinessSnapshot.findFirst({
        orderBy: { takenAt: "desc" },
        select: { takenAt: true, overallPct: true, hash: true, fingerprint: true },
      }),
      gatherArtefacts(deps, now),
      getSlos({ prisma, config, now }, config.slos),
      getPostDeployment({ prisma, config, now }),
    ]);
  const categoryName = new Map(result.categories.map((c) => [c.id, c.name]));
  const checks = result.checks.map((c) =>
    checkRow(c, c.category ? (categoryName.get(c.category) ?? null) : null, deps.zone),
  );
  const criteria = result.criteria.map((c) => checkRow(c, null, deps.zone));
  const attested = await gatherAttested(prisma, config, checks, criteria, now);
  const gate = judgeGate(result, readiness.gateMinPct);
  const scoreSource = `scorecard: ${result.checks.length} checks in ${result.categories.length} categories, judged on probes, PromQL and CI evidence`;
  const overall: TFigure = !readiness.configured
    ? unverified("no scorecard configured")
    : result.overallPct === null
      ? unverified("no check has evidence yet", `evaluated ${stamp(result.evaluatedAt, deps.zone)}`, scoreSource)
      : known(scoreText(result.overallPct), `evaluated ${stamp(result.evaluatedAt, deps.zone)}`, scoreSource);
  const stateKnown = components.rows.some((c) => c.status !== "unknown");
  const operational = stateKnown
    ? known(`${components.operational}/${components.total}`, "at each component's last check", "probes")
    : unverified("no component has a current state: no worker is checking", null, "probes");

  const live = overall;
  const risks = plan.risks.map((r, i) => ({
    ref: `R${i + 1}`,
    title: r.title,
    area: r.area,
    probability: r.probability,
    impact: r.impact,
    probabilityLabel: r.probabilityLabel,
    impactLabel: r.impactLabel,
    score: r.score,
    level: r.level,
    mitigation: r.mitigation,
    owner: r.owner,
    status: r.status,
  }));
  const partial: Omit<TReport, "conclusion"> = {
    generatedAt: now.toISOString(),
    zone: deps.zone ?? DEFAULT_TIME_ZONE,
    system: {
      name: config.system.name,
      description: config.system.description ?? null,
      environment: config.system.environment ?? null,
      release: config.system.release
        ? { name: config.system.release.name, targetDate: config.system.release.targetDate ?? null }
        : null,
    },
    summary: {
      scorecardConfigured: readiness.configured,
      overall,
      overallPct: result.overallPct,
      gate,
      goLive: { configured: signOffView.configured, ...signOffView.goLive },
      blockers: result.blockers.map((b) => ({
        name: b.name,
        kind: b.category === null ? "criterion" : "check",
        verdict: b.verdict,
        reason: b.reason,
      })),
      operational,
      snapshot: lastSnapshot
        ? {
            hash: lastSnapshot.hash,
            takenAt: lastSnapshot.takenAt.toISOString(),
            overallPct: lastSnapshot.overallPct,
            matchesReport: lastSnapshot.fingerprint === readinessFingerprint(result),
          }
        : null,
      statements: [],
      unverifiedCount: 0,
    },
    components,
    slos: slos.map(sloRow),
    postDeployment: after.configured
      ? {
          state: after.verdict.state,
          summary: after.verdict.summary,
          deployedAt: after.deployedAt,
          rows: after.verdict.rows.map((r) => ({
            component: r.component,
            criterion: r.criterion,
            text: r.text,
            ok: r.ok,
          })),
        }
      : null,
    baselines: {
      rows: baselinesView.rows.map((r) => ({
        baseline: r.baseline,
        metric: r.label,
        measured:
          r.measured === null
            ? unverified(r.reason ?? "not measured", r.window, r.source)
            : known(r.display, r.window, r.source),
        target: r.target,
        verdict: r.verdict,
      })),
      resources: baselinesView.resources
        ? {
            rows: baselinesView.resources.rows.map((r) => ({
              container: r.container,
              resource: r.resource,
              usage: r.unit === "bytes" ? formatBytes(r.usage) : formatCores(r.usage),
              limit: r.unit === "bytes" ? formatBytes(r.limit) : formatCores(r.limit),
              utilisationPct: r.utilisationPct,
              verdict: r.verdict,
            })),
            maxUtilisationPct: baselinesView.resources.maxUtilisationPct,
            source: baselinesView.resources.source,
            error: baselinesView.resources.error,
          }
        : null,
    },
    ...attested,
    artefacts,
    ...evidence,
    scorecard: {
      configured: readiness.configured,
      gateMinPct: readiness.gateMinPct,
      categories: result.categories.map((c) => ({
        id: c.id,
        name: c.name,
        weight: c.weight,
        score:
          c.scorePct === null
            ? unverified("no check counted", null, "scorecard")
            : known(
                scoreText(c.scorePct),
                `evaluated ${stamp(result.evaluatedAt, deps.zone)}`,
                `${c.passed} of ${c.counted} checks passed`,
              ),
        passed: c.passed,
        counted: c.counted,
      })),
      checks,
    },
    criteria,
    plan: {
      seeded: plan.seeded,
      phases: await gatherPhases(prisma, plan.phases, live, now, deps.zone),
      criticalPath: plan.criticalPath.map((t) => ({
        title: t.title,
        phase: t.phaseName,
        owner: t.owner,
        dueDate: t.dueDate,
        status: t.status,
        overdue: t.overdue,
        notes: t.notes,
      })),
      overdue: plan.overdue,
      limitations: plan.limitations.map(({ title, impact, mitigation, timeline, blocking, resolvedAt }) => ({
        title,
        impact,
        mitigation,
        timeline,
        blocking,
        resolvedAt,
      })),
      risks,
      riskLevel: overallRiskLevel(risks),
      recommendations: plan.recommendations.map(({ text, done }) => ({ text, done })),
      preDeployment: plan.preDeployment.map(({ text, done }) => ({ text, done })),
      postDeployment: plan.postDeployment.map(({ text, done }) => ({ text, done })),
    },
    signOff: {
      configured: signOffView.configured,
      release: signOffView.release?.name ?? null,
      rows: signOffView.roles.map((r) => ({
        role: r.role,
        name: r.name,
        required: r.required,
        holders: r.holders.map((h) => h.name),
        state: r.state,
        reason: r.reason,
        signedBy: r.latest?.userName ?? null,
        signedAt: r.latest?.signedAt.toISOString() ?? null,
        decision: r.latest?.decision ?? null,
        comment: r.latest?.comment ?? null,
        snapshot: r.latest ? { hash: r.latest.snapshot.hash, overallPct: r.latest.snapshot.overallPct } : null,
      })),
      goLive: signOffView.goLive,
    },
    trend: {
      windowDays: TREND_DAYS,
      days: dailyTrend(trendPoints, now, TREND_DAYS),
      source: "readiness snapshots (stored on every verdict change and at least hourly)",
    },
    appendix: {
      metrics: [],
      endpoints: config.components.map((c) => ({
        component: c.id,
        name: c.name,
        probeType: c.probe.type,
        target: probeTarget(c.probe, secrets),
      })),
    },
  };
  partial.appendix.metrics = keyMetrics(partial, now, deps.zone);
  // Every place a figure is shown counts: a check without evidence listed in 1.3 and in section 4 is two gaps on paper.
  partial.summary.unverifiedCount = countUnverified(partial);
  partial.summary.statements = deriveStatements(partial);
  return { ...partial, conclusion: deriveConclusion(partial, now) };
}
