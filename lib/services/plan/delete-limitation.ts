import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import { EDIT_PLAN, invalid, lockPlan, mayEditPlan, notFound, ZId, type TDoneResult } from "./schema";

const ZInput = z.strictObject({ id: ZId("limitation") });

/** An editor deletes a blocker or limitation; the audit entry keeps what it was. */
export async function deleteLimitation(
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
    const existing = await tx.limitation.findUnique({ where: { id } });
    if (!existing) return notFound("limitation");
    await tx.limitation.delete({ where: { id } });
    const before = {
      title: existing.title,
      impact: existing.impact,
      mitigation: existing.mitigation,
      timeline: existing.timeline,
      blocking: existing.blocking,
      resolvedAt: existing.resolvedAt?.toISOString() ?? null,
    };
    await appendAudit(
      tx,
      { actor: auditActor(actor), action: "plan.limitation.delete", entityType: "limitation", entityId: id, before },
      now,
    );
    return { ok: true, id };
  });
}
