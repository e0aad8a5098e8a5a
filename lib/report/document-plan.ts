import { IMPACT_LABELS, PROBABILITY_LABELS } from "../config/plan-schema";
import {
  cell,
  day,
  figureCell,
  figureDetail,
  SIGNOFF,
  TASK,
  verdictCell,
  type TBlock,
  type TCell,
  type TSection,
} from "./blocks";
import { scoreText } from "./derive";
import type { TReport } from "./types";

// Reference sections 6 to 11 and the appendix: the plan, its blockers and risks, the checklists, the sign-off grid,
// and the quick reference.

function taskRows(tasks: TReport["plan"]["criticalPath"], withPhase: boolean): TCell[][] {
  return tasks.map((t) => [
    cell(t.title),
    ...(withPhase ? [cell(t.phase ?? "—")] : []),
    cell(t.owner || "—"),
    cell(t.dueDate ?? "—"),
    cell(t.status.replace("_", " "), TASK[t.status]),
    cell(t.overdue ? "OVERDUE" : "", t.overdue ? "bad" : undefined),
  ]);
}

export function strategy(r: TReport): TSection {
  const p = r.plan;
  if (p.phases.length === 0)
    return {
      id: "deployment-strategy",
      title: "6. Deployment strategy",
      blocks: [{ type: "paragraph", text: "No phases are planned." }],
    };
  const blocks: TBlock[] = [
    {
      type: "table",
      id: "phases-table",
      caption: "Phases: dates, goal, the readiness each expects and the readiness measured",
      columns: ["Phase", "Dates", "Goal", "Expected readiness", "Measured readiness", "Measured when · source"],
      rows: p.phases.map((ph) => [
        cell(ph.name),
        cell(`${ph.startDate ?? "?"} – ${ph.endDate ?? "?"}`),
        cell(ph.goal || "—"),
        cell(ph.expectedReadinessPct === null ? "—" : `${ph.expectedReadinessPct} % (target)`),
        figureCell(ph.measured),
        cell(figureDetail(ph.measured) ?? "—"),
      ]),
      note: "Expected figures are the plan's targets; measured figures come from the readiness snapshots (at a phase's end) or the live evaluation.",
      empty: "No phases.",
    },
  ];
  const tasks = p.phases.flatMap((ph) => ph.tasks);
  if (tasks.length > 0)
    blocks.push(
      { type: "heading", id: "phase-tasks", text: "Phase tasks" },
      {
        type: "table",
        id: "phase-tasks-table",
        caption: "Tasks of each phase",
        columns: ["Task", "Phase", "Owner", "Due", "Status", "Overdue"],
        rows: taskRows(tasks, true),
        empty: "None.",
      },
    );
  return { id: "deployment-strategy", title: "6. Deployment strategy", blocks };
}

export function criticalPath(r: TReport): TSection {
  const p = r.plan;
  return {
    id: "critical-path",
    title: "7. Critical path",
    blocks: [
      {
        type: "paragraph",
        text:
          p.overdue === 0
            ? "No critical-path task is overdue."
            : `${p.overdue} critical-path task${p.overdue === 1 ? " is" : "s are"} overdue.`,
        mark: p.overdue === 0 ? "ok" : "bad",
      },
      {
        type: "table",
        id: "critical-path-table",
        caption: "Critical path to go-live, by due date",
        columns: ["Task", "Phase", "Owner", "Due", "Status", "Overdue"],
        rows: taskRows(p.criticalPath, true),
        empty: "No critical-path tasks are planned.",
      },
    ],
  };
}

export function blockers(r: TReport): TSection {
  const b = r.summary.blockers;
  const open = r.plan.limitations.filter((l) => l.blocking && l.resolvedAt === null);
  return {
    id: "blockers",
    title: "8. Blockers & mitigations",
    blocks: [
      {
        type: "heading",
        id: "critical-blockers",
        text: `${b.length + open.length} critical blocker${b.length + open.length === 1 ? "" : "s"}`,
      },
      {
        type: "table",
        id: "blockers-table",
        caption: "Critical checks and criteria not passed, and blocking limitations",
        columns: ["Blocker", "Kind", "Verdict", "Why"],
        rows: [
          ...b.map((x) => [cell(x.name), cell(x.kind), verdictCell(x.verdict), cell(x.reason ?? "—")]),
          ...open.map((l) => [cell(l.title), cell("limitation"), cell("blocking", "bad"), cell(l.impact || "—")]),
        ],
        empty: "None: every critical check and criterion has passed and no limitation blocks go-live.",
      },
      { type: "heading", id: "known-limitations", text: "Known limitations" },
      {
        type: "table",
        id: "limitations-table",
        caption: "Known limitations with impact, mitigation and timeline",
        columns: ["Limitation", "Impact", "Mitigation", "Timeline", "Status"],
        rows: r.plan.limitations.map((l) => [
          cell(l.title),
          cell(l.impact || "—"),
          cell(l.mitigation || "—"),
          cell(l.timeline || "—"),
          l.resolvedAt
            ? cell(`resolved ${day(l.resolvedAt)}`, "ok")
            : cell(l.blocking ? "blocking" : "open", l.blocking ? "bad" : "warn"),
        ]),
        empty: "None recorded.",
      },
    ],
  };
}

export function risks(r: TReport): TSection {
  const rs = r.plan.risks;
  const live = rs.filter((x) => x.status === "open" || x.status === "accepted");
  const level = r.plan.riskLevel;
  const matrix = [5, 4, 3, 2, 1].map((p) => [
    cell(`${p} ${PROBABILITY_LABELS[p - 1] ?? ""}`),
    ...[1, 2, 3, 4, 5].map((i) => {
      const here = live.filter((x) => x.probability === p && x.impact === i).map((x) => x.ref);
      const score = p * i;
      return cell(here.join(", ") || "·", here.length === 0 ? "muted" : score > 12 ? "bad" : score > 4 ? "warn" : "ok");
    }),
  ]);
  return {
    id: "risk-assessment",
    title: "9. Risk assessment",
    blocks: [
      {
        type: "paragraph",
        text:
          level === null
            ? "Deployment risk: no open risk recorded."
            : `Deployment risk: ${level.toUpperCase()} (the highest level among ${live.length} open or accepted risk${live.length === 1 ? "" : "s"}).`,
        mark: level === "high" ? "bad" : level === "medium" ? "warn" : level === "low" ? "ok" : "muted",
      },
      {
        type: "table",
        id: "risk-matrix",
        caption: "Risk matrix: probability (rows) by impact (columns); open and accepted risks placed by reference",
        columns: ["Probability ↓ · impact →", ...IMPACT_LABELS.map((l, i) => `${i + 1} ${l}`)],
        rows: matrix,
        note: "Score = probability × impact: low up to 4, medium up to 12, high above.",
        empty: "",
      },
      {
        type: "table",
        id: "risks-table",
        caption: "Risk register, highest score first",
        columns: ["Ref", "Risk", "Area", "Probability", "Impact", "Score", "Level", "Mitigation", "Owner", "Status"],
        rows: rs.map((x) => [
          cell(x.ref),
          cell(x.title),
          cell(x.area),
          cell(`${x.probability} ${x.probabilityLabel}`),
          cell(`${x.impact} ${x.impactLabel}`),
          cell(String(x.score)),
          cell(x.level, x.level === "high" ? "bad" : x.level === "medium" ? "warn" : "ok"),
          cell(x.mitigation || "—"),
          cell(x.owner || "—"),
          cell(x.status, x.status === "open" ? "warn" : "muted"),
        ]),
        empty: "No risks recorded.",
      },
    ],
  };
}

export function recommendations(r: TReport): TSection {
  const p = r.plan;
  return {
    id: "recommendations",
    title: "10. Recommendations & checklists",
    blocks: [
      { type: "heading", id: "recommended-actions", text: "Recommended actions" },
      p.recommendations.length > 0
        ? { type: "checklist", items: p.recommendations }
        : { type: "paragraph", text: "None recorded." },
      { type: "heading", id: "pre-deployment", text: "Pre-deployment checklist" },
      p.preDeployment.length > 0
        ? { type: "checklist", items: p.preDeployment }
        : { type: "paragraph", text: "None recorded." },
      { type: "heading", id: "post-deployment", text: "Post-deployment monitoring" },
      p.postDeployment.length > 0
        ? { type: "checklist", items: p.postDeployment }
        : { type: "paragraph", text: "None recorded." },
    ],
  };
}

export function signOff(r: TReport): TSection {
  const s = r.signOff;
  if (!s.configured)
    return {
      id: "approval-sign-off",
      title: "11. Approval sign-off",
      blocks: [{ type: "paragraph", text: "No sign-off roles or release are configured." }],
    };
  return {
    id: "approval-sign-off",
    title: "11. Approval sign-off",
    blocks: [
      {
        type: "table",
        id: "signoff-table",
        caption: `Sign-off of ${s.release ?? "the release"}: each role's latest decision, bound to the readiness snapshot the signer saw`,
        columns: ["Role", "Holder", "Signed by", "Date", "Decision", "State", "Comment", "Snapshot"],
        rows: s.rows.map((x) => [
          cell(`${x.name}${x.required ? "" : " (optional)"}`),
          cell(x.holders.join(", ") || "unassigned", x.holders.length === 0 ? "muted" : undefined),
          cell(x.signedBy ?? "—"),
          cell(x.signedAt ? day(x.signedAt) : "—"),
          cell(x.decision ?? "—"),
          cell(`${x.state}${x.reason && x.state !== "rejected" ? `: ${x.reason}` : ""}`, SIGNOFF[x.state]),
          cell(x.comment || "—"),
          cell(x.snapshot ? `${x.snapshot.hash.slice(0, 12)} (${scoreText(x.snapshot.overallPct)})` : "—"),
        ]),
        empty: "No roles.",
      },
      {
        type: "paragraph",
        text: s.goLive.approved
          ? "Go-live: approved by every required role, every critical criterion passed."
          : "Go-live: not approved.",
        mark: s.goLive.approved ? "ok" : "bad",
      },
      ...(s.goLive.missing.length > 0
        ? [{ type: "list" as const, ordered: false, items: s.goLive.missing.map((m) => cell(m)) }]
        : []),
      ...postDeployment(r),
    ],
  };
}

/** After go-live: the post-deployment watch and its criteria per component (when configured). */
function postDeployment(r: TReport): TBlock[] {
  const p = r.postDeployment;
  if (!p) return [];
  return [
    { type: "heading", id: "post-deployment", text: "Post-deployment monitoring" },
    {
      type: "paragraph",
      text: `${p.state}: ${p.summary}`,
      mark: p.state === "passed" ? "ok" : p.state === "failed" ? "bad" : undefined,
    },
    {
      type: "table",
      id: "post-deployment-table",
      caption: "Post-deployment criteria per component, measured from the probe history since the deployment",
      columns: ["Component", "Criterion", "Measured", "Met"],
      rows: p.rows.map((x) => [
        cell(x.component),
        cell(x.criterion),
        cell(x.text),
        cell(x.ok ? "yes" : "no", x.ok ? "ok" : "bad"),
      ]),
      empty: p.deployedAt ? "No component is watched." : "The release is not marked deployed yet.",
    },
  ];
}

export function appendix(r: TReport): TSection {
  return {
    id: "appendix",
    title: "Appendix: quick reference",
    blocks: [
      { type: "heading", id: "key-metrics", text: "Key metrics" },
      {
        type: "facts",
        items: r.appendix.metrics.map((m) => ({
          label: m.label,
          value: figureCell(m.figure),
          detail: figureDetail(m.figure),
        })),
      },
      { type: "heading", id: "critical-endpoints", text: "Critical endpoints" },
      {
        type: "table",
        id: "endpoints-table",
        caption: "What each component is probed at (passwords and secrets masked)",
        columns: ["Component", "Probe", "Target"],
        rows: r.appendix.endpoints.map((e) => [cell(e.name), cell(e.probeType), cell(e.target)]),
        empty: "No components.",
      },
    ],
  };
}
