import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import {
  definedOnly,
  EDIT_PLAN,
  lockPlan,
  mayEditPlan,
  notFound,
  parseSave,
  RISK_STATUSES,
  ZImpact,
  ZProbability,
  ZSaveId,
  ZText,
  ZTitle,
  type TSaveResult,
} from "./schema";

export const ZSaveRiskInput = z.strictObject({
  id: ZSaveId("risk"),
  title: ZTitle.optional(),
  area: ZText(100).min(1, { error: "expected an area such as deployment or operational" }).optional(),
  probability: ZProbability.optional(),
  impact: ZImpact.optional(),
  mitigation: ZText(2000).optional(),
  owner: ZText(200).optional(),
  status: z.enum(RISK_STATUSES, { error: "expected open, mitigated, accepted or closed" }).optional(),
});
export type TSaveRiskInput = z.input<typeof ZSaveRiskInput>;

type TRiskRow = {
  title: string;
  area: string;
  probability: number;
  impact: number;
  mitigation: string;
  owner: string;
  status: string;
};
const describe = (r: TRiskRow) => ({
  title: r.title,
  area: r.area,
  probability: r.probability,
  impact: r.impact,
  score: r.probability * r.impact,
  mitigation: r.mitigation,
  owner: r.owner,
  status: r.status,
});

/** An editor adds a risk (no id) or changes one (its id; fields left out stay as they are). */
export async function saveRisk(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TSaveResult> {
  if (!mayEditPlan(actor)) return refuse(actor, EDIT_PLAN);
  const parsed = parseSave(ZSaveRiskInput, input, ["title", "probability", "impact"]);
  if (!parsed.ok) return parsed;
  const { id, ...fields } = parsed.data;
  const data = definedOnly(fields);
  return deps.prisma.$transaction(async (tx): Promise<TSaveResult> => {
    await lockPlan(tx);
    if (id === undefined) {
      const row = await tx.risk.create({
        data: { ...data, title: fields.title ?? "", probability: fields.probability ?? 1, impact: fields.impact ?? 1 },
      });
      await appendAudit(
        tx,
        {
          actor: auditActor(actor),
          action: "plan.risk.create",
          entityType: "risk",
          entityId: row.id,
          after: describe(row),
        },
        now,
      );
      return { ok: true, id: row.id, created: true };
    }
    const existing = await tx.risk.findUnique({ where: { id } });
    if (!existing) return notFound("risk");
    const row = await tx.risk.update({ where: { id }, data });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "plan.risk.update",
        entityType: "risk",
        entityId: id,
        before: describe(existing),
        after: describe(row),
      },
      now,
    );
    return { ok: true, id, created: false };
  });
}
