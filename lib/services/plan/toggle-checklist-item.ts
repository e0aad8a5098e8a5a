import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import { EDIT_PLAN, invalid, lockPlan, mayEditPlan, notFound, ZFlag, ZId, type TDoneResult } from "./schema";

const ZInput = z.strictObject({ id: ZId("checklist item"), done: ZFlag });

/** An editor ticks or unticks a recommendation or checklist item. */
export async function toggleChecklistItem(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TDoneResult> {
  if (!mayEditPlan(actor)) return refuse(actor, EDIT_PLAN);
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  const { id, done } = parsed.data;
  return deps.prisma.$transaction(async (tx): Promise<TDoneResult> => {
    await lockPlan(tx);
    const existing = await tx.checklistItem.findUnique({ where: { id } });
    if (!existing) return notFound("checklist item");
    await tx.checklistItem.update({ where: { id }, data: { done } });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "plan.checklist.toggle",
        entityType: "checklist_item",
        entityId: id,
        before: { kind: existing.kind, text: existing.text, done: existing.done },
        after: { kind: existing.kind, text: existing.text, done },
      },
      now,
    );
    return { ok: true, id };
  });
}
