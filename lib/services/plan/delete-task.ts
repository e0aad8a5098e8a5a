import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import { dayOf, EDIT_PLAN, invalid, lockPlan, mayEditPlan, notFound, ZId, type TDoneResult } from "./schema";

const ZInput = z.strictObject({ id: ZId("task") });

/** An editor deletes a task; the audit entry keeps what it was. */
export async function deleteTask(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TDoneResult> {
  if (!mayEditPlan(actor)) return refuse(actor, EDIT_PLAN);
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { id } = parsed.data;
  return deps.prisma.$transaction(async (tx): Promise<TDoneResult> => {
    await lockPlan(tx);
    const existing = await tx.planTask.findUnique({ where: { id } });
    if (!existing) return notFound("task");
    await tx.planTask.delete({ where: { id } });
    const before = {
      title: existing.title,
      owner: existing.owner,
      dueDate: dayOf(existing.dueDate),
      status: existing.status,
      criticalPath: existing.criticalPath,
      phaseId: existing.phaseId,
      notes: existing.notes,
    };
    await appendAudit(
      tx,
      { actor: auditActor(actor), action: "plan.task.delete", entityType: "plan_task", entityId: id, before },
      now,
    );
    return { ok: true, id };
  });
}
