import { appendAudit } from "../../audit/append";
import type { TPlanConfig } from "../../config/plan-schema";
import type { PrismaClient } from "../../generated/prisma/client";

const asDay = (d: string | undefined) => (d ? new Date(`${d}T00:00:00Z`) : null);

/**
 * Seeds the plan from the configuration, once: the first start that finds no seed mark writes everything and the
 * mark in one transaction (audited); later starts change nothing, so what editors changed or deleted stays so.
 */
export async function seedPlan(
  prisma: PrismaClient,
  plan: TPlanConfig | undefined,
  now = new Date(),
): Promise<{ seeded: boolean }> {
  if (!plan) return { seeded: false };
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preflight.plan_seed'))`;
    if (await tx.planSeed.findUnique({ where: { id: 1 } })) return { seeded: false };
    const phaseIds = new Map<string, string>();
    let position = 0;
    for (const [i, phase] of plan.phases.entries()) {
      const row = await tx.planPhase.create({
        data: {
          position: i,
          name: phase.name,
          startDate: asDay(phase.start),
          endDate: asDay(phase.end),
          expectedReadinessPct: phase.expectedReadinessPct ?? null,
          goal: phase.goal,
        },
      });
      phaseIds.set(phase.name, row.id);
      for (const title of phase.tasks) {
        await tx.planTask.create({
          data: { phaseId: row.id, title, dueDate: asDay(phase.end), position: position++, criticalPath: false },
        });
      }
    }
    for (const task of plan.criticalPath) {
      await tx.planTask.create({
        data: {
          phaseId: task.phase ? (phaseIds.get(task.phase) ?? null) : null,
          title: task.title,
          owner: task.owner,
          dueDate: asDay(task.due),
          status: task.status,
          criticalPath: true,
          position: position++,
        },
      });
    }
    for (const [i, l] of plan.limitations.entries()) {
      await tx.limitation.create({
        data: {
          title: l.title,
          impact: l.impact,
          mitigation: l.mitigation,
          timeline: l.timeline,
          blocking: l.blocking,
          position: i,
        },
      });
    }
    for (const r of plan.risks) {
      await tx.risk.create({
        data: {
          title: r.title,
          area: r.area,
          probability: r.probability,
          impact: r.impact,
          mitigation: r.mitigation,
          owner: r.owner,
        },
      });
    }
    const lists = [
      ["recommendation", plan.recommendations],
      ["pre_deployment", plan.preDeployment],
      ["post_deployment", plan.postDeployment],
    ] as const;
    for (const [kind, items] of lists) {
      for (const [i, text] of items.entries()) await tx.checklistItem.create({ data: { kind, text, position: i } });
    }
    await tx.planSeed.create({ data: { id: 1, seededAt: now } });
    await appendAudit(
      tx,
      {
        actor: { type: "system", id: null, name: "configuration" },
        action: "plan.seed",
        entityType: "plan",
        after: {
          phases: plan.phases.length,
          tasks: plan.criticalPath.length + plan.phases.reduce((n, p) => n + p.tasks.length, 0),
          limitations: plan.limitations.length,
          risks: plan.risks.length,
        },
      },
      now,
    );
    return { seeded: true };
  });
}
