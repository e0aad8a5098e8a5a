import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import { EDIT_PLAN, invalid, lockPlan, mayEditPlan, notFound, ZId, type TDoneResult } from "./schema";

const ZInput = z.strictObject({ id: ZId("risk") });

/** An editor deletes a risk; the audit entry keeps what it was. */
export async function deleteRisk(
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
    const existing = await tx.risk.findUnique({ where: { id } });
    if (!existing) return notFound("risk");
    await tx.risk.delete({ where: { id } });
    const before = {
      title: existing.title,
      area: existing.area,
      probability: existing.probability,
      impact: existing.impact,
      mitigation: existing.mitigation,
      owner: existing.owner,
      status: existing.status,
    };
    await appendAudit(
      tx,
      { actor: auditActor(actor), action: "plan.risk.delete", entityType: "risk", entityId: id, before },
      now,
    );
    return { ok: true, id };
  });
}
