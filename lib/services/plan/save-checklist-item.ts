import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import {
  CHECKLIST_KINDS,
  EDIT_PLAN,
  lockPlan,
  mayEditPlan,
  notFound,
  parseSave,
  ZSaveId,
  ZText,
  type TSaveResult,
} from "./schema";

export const ZSaveChecklistItemInput = z.strictObject({
  id: ZSaveId("checklist item"),
  kind: z.enum(CHECKLIST_KINDS, { error: "expected recommendation, pre_deployment or post_deployment" }).optional(),
  text: ZText(1000).min(1, { error: "expected the text of the item" }).optional(),
});
export type TSaveChecklistItemInput = z.input<typeof ZSaveChecklistItemInput>;

type TItemRow = { kind: string; text: string; done: boolean };
const describe = (c: TItemRow) => ({ kind: c.kind, text: c.text, done: c.done });

/**
 * An editor adds an item to the recommendations or one of the checklists (no id), or rewords one (its id); an item
 * given another kind moves to the end of that list.
 */
export async function saveChecklistItem(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TSaveResult> {
  if (!mayEditPlan(actor)) return refuse(actor, EDIT_PLAN);
  const parsed = parseSave(ZSaveChecklistItemInput, input, ["kind", "text"]);
  if (!parsed.ok) return parsed;
  const { id, kind, text } = parsed.data;
  return deps.prisma.$transaction(async (tx): Promise<TSaveResult> => {
    await lockPlan(tx);
    const existing = id === undefined ? null : await tx.checklistItem.findUnique({ where: { id } });
    if (id !== undefined && !existing) return notFound("checklist item");
    const targetKind = kind ?? existing?.kind ?? "recommendation";
    const moves = !existing || existing.kind !== targetKind;
    const last = moves
      ? await tx.checklistItem.aggregate({ where: { kind: targetKind }, _max: { position: true } })
      : null;
    const position = last ? (last._max.position ?? -1) + 1 : undefined;
    if (!existing) {
      const row = await tx.checklistItem.create({
        data: { kind: targetKind, text: text ?? "", position: position ?? 0 },
      });
      await appendAudit(
        tx,
        {
          actor: auditActor(actor),
          action: "plan.checklist.create",
          entityType: "checklist_item",
          entityId: row.id,
          after: describe(row),
        },
        now,
      );
      return { ok: true, id: row.id, created: true };
    }
    const row = await tx.checklistItem.update({
      where: { id: existing.id },
      data: { kind: targetKind, text, position },
    });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "plan.checklist.update",
        entityType: "checklist_item",
        entityId: row.id,
        before: describe(existing),
        after: describe(row),
      },
      now,
    );
    return { ok: true, id: row.id, created: false };
  });
}
