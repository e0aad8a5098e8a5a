import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import {
  EDIT_PLAN,
  definedOnly,
  lockPlan,
  mayEditPlan,
  notFound,
  parseSave,
  ZFlag,
  ZSaveId,
  ZText,
  ZTitle,
  type TSaveResult,
} from "./schema";

export const ZSaveLimitationInput = z.strictObject({
  id: ZSaveId("limitation"),
  title: ZTitle.optional(),
  impact: ZText(2000).optional(),
  mitigation: ZText(2000).optional(),
  timeline: ZText(500).optional(),
  /** A blocker holds go-live back; a limitation is known and accepted. */
  blocking: ZFlag.optional(),
  /** Resolved keeps the first time it was marked so; unresolving clears it. */
  resolved: ZFlag.optional(),
});
export type TSaveLimitationInput = z.input<typeof ZSaveLimitationInput>;

type TLimitationRow = {
  title: string;
  impact: string;
  mitigation: string;
  timeline: string;
  blocking: boolean;
  resolvedAt: Date | null;
};
const describe = (l: TLimitationRow) => ({
  title: l.title,
  impact: l.impact,
  mitigation: l.mitigation,
  timeline: l.timeline,
  blocking: l.blocking,
  resolvedAt: l.resolvedAt?.toISOString() ?? null,
});

/** An editor adds a blocker or known limitation (no id) or changes one (its id; fields left out stay as they are). */
export async function saveLimitation(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TSaveResult> {
  if (!mayEditPlan(actor)) return refuse(actor, EDIT_PLAN);
  const parsed = parseSave(ZSaveLimitationInput, input, ["title"]);
  if (!parsed.ok) return parsed;
  const { id, resolved, ...fields } = parsed.data;
  const data = definedOnly(fields);
  return deps.prisma.$transaction(async (tx): Promise<TSaveResult> => {
    await lockPlan(tx);
    if (id === undefined) {
      const last = await tx.limitation.aggregate({ _max: { position: true } });
      const row = await tx.limitation.create({
        data: {
          ...data,
          title: fields.title ?? "",
          resolvedAt: resolved ? now : null,
          position: (last._max.position ?? -1) + 1,
        },
      });
      await appendAudit(
        tx,
        {
          actor: auditActor(actor),
          action: "plan.limitation.create",
          entityType: "limitation",
          entityId: row.id,
          after: describe(row),
        },
        now,
      );
      return { ok: true, id: row.id, created: true };
    }
    const existing = await tx.limitation.findUnique({ where: { id } });
    if (!existing) return notFound("limitation");
    const resolvedAt = resolved === undefined ? undefined : resolved ? (existing.resolvedAt ?? now) : null;
    const row = await tx.limitation.update({ where: { id }, data: { ...data, resolvedAt } });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "plan.limitation.update",
        entityType: "limitation",
        entityId: id,
        before: describe(existing),
        after: describe(row),
      },
      now,
    );
    return { ok: true, id, created: false };
  });
}
