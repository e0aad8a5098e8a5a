import {
  cell,
  day,
  evidenceCell,
  figureCell,
  figureDetail,
  STATUS,
  UNVERIFIED,
  verdictCell,
  type TBlock,
  type TCell,
  type TSection,
} from "./blocks";
import { appendix, blockers, criticalPath, recommendations, risks, signOff, strategy } from "./document-plan";
import { scoreText, stamp } from "./derive";
import type { TArtefactRow, TCheckRow, TReport } from "./types";
import { formatPercent } from "../format";

// The report laid out once, as sections of plain blocks, so the Markdown download, the PDF's HTML and the /report
// page say the same things under the same headings in the same order: the reference assessment's.

export { figureCell, figureDetail, UNVERIFIED, type TBlock, type TCell, type TMark, type TSection } from "./blocks";

export type TReportDocument = { title: string; subtitle: string[]; sections: TSection[] };

function checkRows(rows: TCheckRow[], withCategory: boolean): TCell[][] {
  return rows.map((c) => [
    ...(withCategory ? [cell(c.categoryName ?? "—")] : []),
    cell(`${c.name}${c.critical ? " (critical)" : ""}`),
    verdictCell(c.verdict),
    figureCell(c.measured),
    cell(c.threshold),
    cell(c.measured.source ?? "no evidence", c.measured.source ? undefined : "muted"),
    cell(c.measured.window ?? "—"),
  ]);
}

function summary(r: TReport): TSection {
  const s = r.summary;
  const gate = !s.scorecardConfigured
    ? cell("no scorecard configured", "unverified")
    : cell(s.gate.passed ? "open" : "closed", s.gate.passed ? "ok" : "bad");
  const goLive = !s.goLive.configured
    ? cell("no sign-off configured", "muted")
    : cell(
        s.goLive.approved ? "approved" : `not approved (${s.goLive.missing.length} missing)`,
        s.goLive.approved ? "ok" : "bad",
      );
  const blocks: TBlock[] = [
    {
      type: "facts",
      items: [
        { label: "Overall production readiness", value: figureCell(s.overall), detail: figureDetail(s.overall) },
        {
          label: "Go-live gate",
          value: gate,
          detail: `needs ${s.gate.minScorePct} % and every critical check and criterion passed`,
        },
        {
          label: "Go-live sign-off",
          value: goLive,
          detail: r.signOff.release
            ? `release ${r.signOff.release}${r.system.release?.targetDate ? `, target ${r.system.release.targetDate}` : ""}`
            : null,
        },
        {
          label: "Critical blockers",
          value: cell(String(s.blockers.length), s.blockers.length === 0 ? "ok" : "bad"),
          detail: "critical checks and criteria not passed",
        },
        { label: "Services operational", value: figureCell(s.operational), detail: figureDetail(s.operational) },
        {
          label: "Unverified figures",
          value: cell(String(s.unverifiedCount), s.unverifiedCount === 0 ? "ok" : "warn"),
          detail: "figures below with no measurement or evidence behind them",
        },
        {
          label: "Readiness snapshot",
          value: s.snapshot ? cell(s.snapshot.hash.slice(0, 12)) : cell("none stored yet", "muted"),
          detail: s.snapshot
            ? `taken ${stamp(s.snapshot.takenAt, r.zone)}, ${scoreText(s.snapshot.overallPct)}; ${s.snapshot.matchesReport ? "same verdicts as this report" : "verdicts have changed since: this report is newer"}`
            : null,
        },
      ],
    },
    { type: "heading", id: "key-statements", text: "Key statements" },
    { type: "list", ordered: false, items: s.statements.map((t) => cell(t)) },
  ];
  if (s.gate.reasons.length > 0) {
    blocks.push(
      { type: "heading", id: "gate-reasons", text: "What closes the gate" },
      { type: "list", ordered: false, items: s.gate.reasons.map((t) => cell(t, "bad")) },
    );
  }
  return { id: "executive-summary", title: "Executive summary", blocks };
}

function validation(r: TReport): TSection {
  const c = r.components;
  const attestedColumns = ["Check", "Verdict", "Answer / measured", "Attested by", "When", "Evidence", "Expires"];
  const attestedRows = (rows: TReport["security"]) =>
    rows.map((a) => [
      cell(`${a.name}${a.critical ? " (critical)" : ""}`),
      verdictCell(a.verdict),
      a.attestation
        ? cell(a.attestation.answer, a.attestation.answer === "yes" ? "ok" : "bad")
        : figureCell(a.measured),
      a.attestation ? cell(a.attestation.by) : cell(a.kind === "attestation" ? "—" : `${a.kind} check`, "muted"),
      a.attestation ? cell(stamp(a.attestation.at, r.zone)) : cell(a.measured.window ?? "—"),
      a.attestation
        ? evidenceCell(a.attestation.evidenceUrl)
        : cell(a.measured.source ?? "no evidence", a.measured.source ? undefined : "muted"),
      a.attestation
        ? cell(
            `${day(a.attestation.expiresAt)}${a.attestation.expired ? " (expired)" : ""}`,
            a.attestation.expired ? "bad" : undefined,
          )
        : cell("—"),
    ]);
  const resources = r.baselines.resources;
  const blocks: TBlock[] = [
    { type: "heading", id: "component-health", text: "1.1 Component health" },
    {
      type: "table",
      id: "component-health-table",
      caption:
        "Component health: confirmed status, time in that status, uptime per window and health-check latency over the last 24 h",
      columns: [
        "Component",
        "Service",
        "Status",
        "In status for",
        "Uptime 24 h",
        "7 d",
        "30 d",
        "90 d",
        "P50 (24 h)",
        "P95 (24 h)",
        "P99 (24 h)",
        "Last check",
      ],
      rows: c.rows.map((row) => [
        cell(row.name),
        cell(row.service),
        cell(`${row.status}${row.maintenance ? ` (maintenance: ${row.maintenance})` : ""}`, STATUS[row.status]),
        figureCell(row.inState),
        figureCell(row.uptime["24h"]),
        figureCell(row.uptime["7d"]),
        figureCell(row.uptime["30d"]),
        figureCell(row.uptime["90d"]),
        figureCell(row.latency.p50),
        figureCell(row.latency.p95),
        figureCell(row.latency.p99),
        cell(stamp(row.lastCheckedAt, r.zone)),
      ]),
      note: "Sources: status from each component's probe history (confirmed after the failure and success thresholds); uptime from the status periods, maintenance left out; latency from the hour rollups of the probe checks.",
      empty: "No components are configured.",
    },
    {
      type: "paragraph",
      text: `Summary: ${c.operational}/${c.total} services operational${c.workerRunning ? "" : "; no worker is running, so no state is current"}${c.lastIncident ? `; last outage: ${c.lastIncident}` : ""}.`,
    },
    { type: "heading", id: "performance-baselines", text: "1.2 Performance baselines" },
    {
      type: "table",
      id: "baselines-table",
      caption: "Performance baselines: each measured value against its target, with window and source",
      columns: ["Baseline", "Metric", "Measured", "Target", "Verdict", "Window", "Source"],
      rows: r.baselines.rows.map((b) => [
        cell(b.baseline),
        cell(b.metric),
        figureCell(b.measured),
        cell(b.target),
        verdictCell(b.verdict),
        cell(b.measured.window ?? "—"),
        cell(b.measured.source ?? "—"),
      ]),
      empty: "No baselines are configured.",
    },
  ];
  if (r.slos.length > 0)
    blocks.push({
      type: "table",
      id: "slos-table",
      caption: "Service level objectives: the SLI over each rolling window, the error budget left and the burn state",
      columns: ["SLO", "Objective", "SLI", "Budget left", "State", "Burn rate (1 h, 6 h, 3 d)", "Source"],
      rows: r.slos.map((s) => [
        cell(s.name),
        cell(s.objective),
        figureCell(s.sli),
        figureCell(s.budgetLeft),
        cell(s.state, s.state === "ok" ? "ok" : s.state === "no data" ? "muted" : "bad"),
        cell(s.burn),
        cell(s.sli.source ?? "—"),
      ]),
      note: "Unknown time (no check vouching) counts neither as good nor as bad; the budget is the objective's share of what is known.",
      empty: "No SLOs are configured.",
    });
  if (resources) {
    blocks.push({
      type: "table",
      id: "resources-table",
      caption: `Resource utilisation per container against its limit (at most ${formatPercent(resources.maxUtilisationPct)})`,
      columns: ["Container", "Resource", "Usage", "Limit", "Utilisation", "Verdict"],
      rows: resources.rows.map((x) => [
        cell(x.container),
        cell(x.resource),
        cell(x.usage),
        cell(x.limit),
        cell(formatPercent(x.utilisationPct)),
        verdictCell(x.verdict),
      ]),
      note: `Source: ${resources.source}, now.${resources.error ? ` Not measured: ${resources.error}.` : ""}`,
      empty: resources.error ? `${UNVERIFIED}: ${resources.error}` : "The queries returned no containers.",
    });
  }
  blocks.push(
    { type: "heading", id: "security-compliance", text: "1.3 Security & compliance" },
    ...artefactBlocks(
      "security",
      r.artefacts.security,
      "Scans and supply chain, measured from what CI pushed: the latest SARIF log and SBOM of each project",
      "No scan or SBOM pushed, and no check names one.",
    ),
    {
      type: "table",
      id: "security-table",
      caption:
        "Security and compliance checks: measured ones with their source, attested ones with who, when, on which evidence, until when",
      columns: attestedColumns,
      rows: attestedRows(r.security),
      empty: "No security category in the scorecard.",
    },
    { type: "heading", id: "infrastructure", text: "1.4 Infrastructure" },
    ...artefactBlocks(
      "infrastructure",
      r.artefacts.infrastructure,
      "Kubernetes manifests and compose files, judged by the built-in rules: the latest push of each project",
      "No manifests or compose file pushed, and no check names one.",
    ),
    {
      type: "table",
      id: "infrastructure-table",
      caption: "What no artefact shows: infrastructure and operations attestations",
      columns: attestedColumns,
      rows: attestedRows(r.infrastructure),
      empty: "No infrastructure attestations in the scorecard.",
    },
  );
  return { id: "validation-results", title: "1. Validation results", blocks };
}

/** An artefact summary table (what was measured, the checks on it, when, from where) and a table of its first findings. */
function artefactBlocks(id: string, rows: TArtefactRow[], caption: string, empty: string): TBlock[] {
  const findings = rows.flatMap((a) =>
    a.findings.map((f) => [
      cell(`${a.project} (${a.kind})`),
      cell(
        `${f.severity} ${f.rule}${f.message ? `: ${f.message}` : ""}`,
        f.severity === "critical" || f.severity === "error" || f.severity === "fail" ? "bad" : "warn",
      ),
      cell(f.object),
      cell(f.location ?? "—"),
    ]),
  );
  const more = rows
    .filter((a) => a.findingsTotal > a.findings.length)
    .map((a) => `${a.project} (${a.kind}): the first ${a.findings.length} of ${a.findingsTotal}`);
  return [
    {
      type: "table",
      id: `${id}-artefacts-table`,
      caption,
      columns: ["Evidence", "Measured", "Scorecard", "Received", "Source"],
      rows: rows.map((a) => [
        cell(`${a.project} (${a.kind})`),
        figureCell(a.measured),
        a.checks.length === 0
          ? cell("not on the scorecard", "muted")
          : cell(
              a.checks
                .map((c) => `${c.name}: ${c.verdict}${c.reason && c.verdict !== "passed" ? ` (${c.reason})` : ""}`)
                .join("; "),
              a.checks.some((c) => c.verdict === "failed")
                ? "bad"
                : a.checks.every((c) => c.verdict === "passed")
                  ? "ok"
                  : "warn",
            ),
        cell(`${a.measured.window ?? "—"}${a.changes ? `; ${a.changes}` : ""}`),
        cell(a.measured.source ?? "no evidence", a.measured.source ? undefined : "muted"),
      ]),
      empty,
    },
    {
      type: "table",
      id: `${id}-findings-table`,
      caption: "Findings of the latest pushes, most severe first",
      columns: ["Evidence", "Finding", "Object", "Where"],
      rows: findings,
      ...(more.length > 0
        ? { note: `Listed: ${more.join("; ")}; the Security and Infrastructure pages list them all.` }
        : {}),
      empty: rows.some((a) => a.measured.source)
        ? "No findings in the artefacts above (an SBOM without a vulnerability analysis has none to show)."
        : "Nothing pushed yet.",
    },
  ];
}

function testFramework(r: TReport): TSection {
  const flaky = r.tests.flatMap((s) =>
    s.flakyTests.map((t) => [
      cell(s.suite),
      cell(t.name),
      cell(`${t.runs} of the last ${s.flakyWindowRuns} runs`, "warn"),
    ]),
  );
  return {
    id: "test-framework",
    title: "2. Test framework",
    blocks: [
      {
        type: "table",
        id: "suites-table",
        caption: "Test suites: latest JUnit run of each, pass rate against the scorecard's threshold",
        columns: ["Suite", "Tests", "Failed", "Skipped", "Flaky", "Pass rate", "Threshold", "Verdict", "Run", "Source"],
        rows: r.tests.map((s) => [
          cell(s.suite + (s.configured ? "" : " (not in the scorecard)")),
          cell(s.tests === null ? "—" : String(s.tests)),
          cell(s.failed === null ? "—" : String(s.failed), s.failed ? "bad" : undefined),
          cell(s.skipped === null ? "—" : String(s.skipped)),
          cell(s.flaky === null ? "—" : String(s.flaky), s.flaky ? "warn" : undefined),
          figureCell(s.passRate),
          cell(s.checks.map((c) => c.threshold).join("; ") || "—"),
          s.checks[0] ? verdictCell(s.checks[0].verdict) : verdictCell(null),
          cell(s.passRate.window ?? "—"),
          cell(s.passRate.source ?? "no evidence", s.passRate.source ? undefined : "muted"),
        ]),
        empty: "No suite is configured and no JUnit report has been pushed.",
      },
      { type: "heading", id: "coverage", text: "Coverage" },
      ...artefactBlocks(
        "coverage",
        r.artefacts.coverage,
        "Coverage: the latest report of each project, counted from its lines, against the scorecard's minimum",
        "No coverage report pushed, and no check names one.",
      ).slice(0, 1),
      { type: "heading", id: "flaky-tests", text: "Flaky tests" },
      {
        type: "table",
        id: "flaky-table",
        caption: "Tests that passed only on a retry in the latest runs",
        columns: ["Suite", "Test", "Flaky in"],
        rows: flaky,
        empty: "None in the latest runs.",
      },
    ],
  };
}

function loadChaos(r: TReport): TSection {
  return {
    id: "load-chaos",
    title: "3. Load & chaos",
    blocks: [
      { type: "heading", id: "load-tests", text: "3.1 Load tests (k6)" },
      {
        type: "table",
        id: "load-table",
        caption: "Load tests: the latest k6 run of each test, its thresholds and the scorecard's verdict",
        columns: ["Test", "P95", "P99", "Error rate", "Request rate", "Thresholds", "Verdict", "Run", "Source"],
        rows: r.load.map((t) => {
          const run = t.latest;
          const none = cell("no run pushed", "unverified");
          return [
            cell(`${t.test} (${t.runs} run${t.runs === 1 ? "" : "s"})`),
            run ? figureCell(run.p95) : none,
            run ? figureCell(run.p99) : cell("—"),
            run ? figureCell(run.errorRate) : cell("—"),
            run ? figureCell(run.requestRate) : cell("—"),
            run
              ? cell(
                  run.thresholds.map((x) => `${x.passed ? "✓" : "✕"} ${x.name}`).join(", ") || "none defined",
                  run.allThresholdsPassed === false ? "bad" : undefined,
                )
              : cell("—"),
            t.checks[0] ? verdictCell(t.checks[0].verdict) : verdictCell(null),
            cell(run ? stamp(run.receivedAt, r.zone) : "—"),
            cell(run ? (run.p95.source ?? run.source) : "no evidence", run ? undefined : "muted"),
          ];
        }),
        empty: "No load test is configured and no k6 summary has been pushed.",
      },
      { type: "heading", id: "chaos-experiments", text: "3.2 Chaos experiments" },
      {
        type: "table",
        id: "chaos-table",
        caption: "Chaos experiments: recovery measured from Preflight's probe history after each fault ended",
        columns: ["Experiment", "Fault → target", "Fault ended", "Recovery", "Bound", "Verdict", "Source"],
        rows: r.chaos.map((c) => [
          cell(`${c.name}${c.critical ? " (critical)" : ""}`),
          cell(c.endedAt ? `${c.fault} → ${c.target}` : "—"),
          cell(c.endedAt ? stamp(c.endedAt, r.zone) : "—"),
          figureCell(c.recovery),
          cell(c.bound),
          verdictCell(c.verdict),
          cell(c.recovery.source ?? "no evidence", c.recovery.source ? undefined : "muted"),
        ]),
        empty: "No chaos experiment is configured and none has been pushed.",
      },
    ],
  };
}

function scorecard(r: TReport): TSection {
  const s = r.scorecard;
  if (!s.configured)
    return {
      id: "scorecard",
      title: "4. Scorecard",
      blocks: [
        { type: "paragraph", text: "No scorecard is configured: nothing is scored.", mark: "unverified" },
        ...trend(r),
      ],
    };
  return {
    id: "scorecard",
    title: "4. Scorecard",
    blocks: [
      {
        type: "table",
        id: "categories-table",
        caption: "Scorecard categories: each the weighted share of its passed checks",
        columns: ["Category", "Weight", "Score", "Checks passed"],
        rows: s.categories.map((c) => [
          cell(c.name),
          cell(String(c.weight)),
          figureCell(c.score),
          cell(`${c.passed} of ${c.counted}`),
        ]),
        note: `Overall: ${r.summary.overall.verified ? r.summary.overall.value : UNVERIFIED} (${figureDetail(r.summary.overall) ?? "no source"}); the gate needs ${s.gateMinPct} %.`,
        empty: "The scorecard has no categories.",
      },
      ...trend(r),
      { type: "heading", id: "scorecard-checks", text: "Checks" },
      {
        type: "table",
        id: "checks-table",
        caption: "Every scorecard check: verdict, measured value, threshold, source and when it was observed",
        columns: ["Category", "Check", "Verdict", "Measured", "Threshold", "Source", "Observed"],
        rows: checkRows(s.checks, true),
        empty: "No checks.",
      },
    ],
  };
}

function criteria(r: TReport): TSection {
  const groups: [string, string, TCheckRow[]][] = [
    ["criteria-passed", "Passed", r.criteria.filter((c) => c.verdict === "passed")],
    ["criteria-warning", "Warning", r.criteria.filter((c) => c.verdict === "warning")],
    ["criteria-pending", "Pending", r.criteria.filter((c) => c.verdict === "pending")],
    ["criteria-failed", "Failed", r.criteria.filter((c) => c.verdict === "failed")],
    ["criteria-waived", "Waived", r.criteria.filter((c) => c.verdict === "waived")],
  ];
  const blocks: TBlock[] = [];
  for (const [id, title, rows] of groups) {
    if ((title === "Waived" || title === "Warning") && rows.length === 0) continue;
    blocks.push(
      { type: "heading", id, text: `${title} (${rows.length})` },
      {
        type: "table",
        id: `${id}-table`,
        caption: `${title} approval criteria`,
        columns: ["Criterion", "Verdict", "Measured", "Needs", "Source", "Observed"],
        rows: checkRows(rows, false),
        empty: "None.",
      },
    );
  }
  return {
    id: "approval-criteria",
    title: "5. Approval criteria",
    blocks: r.criteria.length > 0 ? blocks : [{ type: "paragraph", text: "No approval criteria are configured." }],
  };
}

function trend(r: TReport): TBlock[] {
  const t = r.trend;
  return [
    { type: "heading", id: "readiness-trend", text: "Readiness trend" },
    { type: "chart", id: "readiness-trend" },
    {
      type: "table",
      id: "trend-table",
      caption: `Readiness over the last ${t.windowDays} days: the last snapshot of each day (UTC)`,
      columns: ["Day", "Score", "Blockers", "Snapshots", "Last snapshot"],
      rows: t.days.map((d) => [
        cell(d.day),
        d.overallPct === null ? cell("no score", "unverified") : cell(scoreText(d.overallPct)),
        cell(String(d.blockers), d.blockers > 0 ? "bad" : "ok"),
        cell(String(d.snapshots)),
        cell(stamp(d.takenAt, r.zone)),
      ]),
      note: `Source: ${t.source}. ${t.days.length} of the last ${t.windowDays} days have a snapshot; days without one are left out.`,
      empty: `${UNVERIFIED}: no readiness snapshot in the last ${t.windowDays} days.`,
    },
  ];
}

/** The report as sections in the reference assessment's order. */
export function toDocument(r: TReport): TReportDocument {
  const date = r.generatedAt.slice(0, 10);
  const subtitle = [
    `Generated ${stamp(r.generatedAt, r.zone)} from live data${r.system.environment ? ` · environment ${r.system.environment}` : ""}${r.system.release ? ` · release ${r.system.release.name}${r.system.release.targetDate ? ` (target ${r.system.release.targetDate})` : ""}` : ""}`,
    ...(r.system.description ? [r.system.description] : []),
    `Every figure states its window and source; a figure without evidence is marked ${UNVERIFIED}, never filled in.`,
  ];
  return {
    title: `${r.system.name}: production readiness report, ${date}`,
    subtitle,
    sections: [
      summary(r),
      validation(r),
      testFramework(r),
      loadChaos(r),
      scorecard(r),
      criteria(r),
      strategy(r),
      criticalPath(r),
      blockers(r),
      risks(r),
      recommendations(r),
      signOff(r),
      {
        id: "conclusion",
        title: "Conclusion",
        blocks: r.conclusion.map((text) => ({ type: "paragraph" as const, text })),
      },
      appendix(r),
    ],
  };
}
