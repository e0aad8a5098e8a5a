import { IMPACT_LABELS, PROBABILITY_LABELS } from "../config/plan-schema";
import type { PrismaClient } from "../generated/prisma/client";

// The plan as pages and the report read it (reference sections 6-10): phases with their tasks, the critical path
// with overdue tasks flagged, blockers and limitations, risks placed on the matrix, and the checklists.

export type TTaskView = {
  id: string;
  phaseId: string | null;
  phaseName: string | null;
  title: string;
  owner: string;
  dueDate: string | null;
  status: "todo" | "in_progress" | "done" | "blocked";
  criticalPath: boolean;
  notes: string;
  overdue: boolean;
};

export type TPhaseView = {
  id: string;
  position: number;
  name: string;
  startDate: string | null;
  endDate: string | null;
  expectedReadinessPct: number | null;
  goal: string;
  tasks: TTaskView[];
};
export type TLimitationView = {
  id: string;
  title: string;
  impact: string;
  mitigation: string;
  timeline: string;
  blocking: boolean;
  resolvedAt: string | null;
};
export type TRiskView = {
  id: string;
  title: string;
  area: string;
  probability: number;
  impact: number;
  probabilityLabel: string;
  impactLabel: string;
  /** probability x impact, 1-25. */
  score: number;
  level: "low" | "medium" | "high";
  mitigation: string;
  owner: string;
  status: "open" | "mitigated" | "accepted" | "closed";
};
export type TChecklistView = { id: string; text: string; done: boolean };

export type TPlanView = {
  phases: TPhaseView[];
  criticalPath: TTaskView[];
  limitations: TLimitationView[];
  risks: TRiskView[];
  recommendations: TChecklistView[];
  preDeployment: TChecklistView[];
  postDeployment: TChecklistView[];
  overdue: number;
  seeded: boolean;
};

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

/** A task is overdue when its due day has passed (in UTC) and it is not done. */
export function isOverdue(dueDate: Date | null, status: string, now: Date): boolean {
  return dueDate !== null && status !== "done" && dueDate.toISOString().slice(0, 10) < now.toISOString().slice(0, 10);
}

/** Low up to 4, medium up to 12, high above: the usual bands of a 5 x 5 matrix. */
export function riskLevel(score: number): TRiskView["level"] {
  return score <= 4 ? "low" : score <= 12 ? "medium" : "high";
}

export async function getPlan(prisma: PrismaClient, now = new Date()): Promise<TPlanView> {
  const [seed, phases, tasks, limitations, risks, checklist] = await Promise.all([
    prisma.planSeed.findUnique({ where: { id: 1 } }),
    prisma.planPhase.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }] }),
    prisma.planTask.findMany({
      orderBy: [{ dueDate: { sort: "asc", nulls: "last" } }, { position: "asc" }, { createdAt: "asc" }],
    }),
    prisma.limitation.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }] }),
    prisma.risk.findMany({ orderBy: [{ createdAt: "asc" }] }),
    prisma.checklistItem.findMany({ orderBy: [{ position: "asc" }, { createdAt: "asc" }] }),
  ]);
  const phaseName = new Map(phases.map((p) => [p.id, p.name]));
  const taskViews: TTaskView[] = tasks.map((t) => ({
    id: t.id,
    phaseId: t.phaseId,
    phaseName: t.phaseId ? (phaseName.get(t.phaseId) ?? null) : null,
    title: t.title,
    owner: t.owner,
    dueDate: day(t.dueDate),
    status: t.status,
    criticalPath: t.criticalPath,
    notes: t.notes,
    overdue: isOverdue(t.dueDate, t.status, now),
  }));
  const list = (kind: "recommendation" | "pre_deployment" | "post_deployment") =>
    checklist.filter((c) => c.kind === kind).map((c) => ({ id: c.id, text: c.text, done: c.done }));
  const criticalPath = taskViews.filter((t) => t.criticalPath);
  return {
    phases: phases.map((p) => ({
      id: p.id,
      position: p.position,
      name: p.name,
      startDate: day(p.startDate),
      endDate: day(p.endDate),
      expectedReadinessPct: p.expectedReadinessPct,
      goal: p.goal,
      tasks: taskViews.filter((t) => t.phaseId === p.id && !t.criticalPath),
    })),
    criticalPath,
    limitations: limitations.map((l) => ({
      id: l.id,
      title: l.title,
      impact: l.impact,
      mitigation: l.mitigation,
      timeline: l.timeline,
      blocking: l.blocking,
      resolvedAt: l.resolvedAt?.toISOString() ?? null,
    })),
    risks: risks
      .map((r) => ({
        id: r.id,
        title: r.title,
        area: r.area,
        probability: r.probability,
        impact: r.impact,
        probabilityLabel: PROBABILITY_LABELS[r.probability - 1] ?? String(r.probability),
        impactLabel: IMPACT_LABELS[r.impact - 1] ?? String(r.impact),
        score: r.probability * r.impact,
        level: riskLevel(r.probability * r.impact),
        mitigation: r.mitigation,
        owner: r.owner,
        status: r.status,
      }))
      .sort((a, b) => b.score - a.score),
    recommendations: list("recommendation"),
    preDeployment: list("pre_deployment"),
    postDeployment: list("post_deployment"),
    overdue: criticalPath.filter((t) => t.overdue).length,
    seeded: seed !== null,
  };
}
