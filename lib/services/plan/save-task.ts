import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import {
  asDay,
  EDIT_PLAN,
  mayEditPlan,
  dayOf,
  definedOnly,
  invalidField,
  lockPlan,
  notFound,
  parseSave,
  TASK_STATUSES,
  ZFlag,
  ZOptionalDay,
  ZOptionalRef,
  ZSaveId,
  ZText,
  ZTitle,
  type TSaveResult,
} from "./schema";

export const ZSaveTaskInput = z.strictObject({
  id: ZSaveId("task"),
  title: ZTitle.optional(),
  owner: ZText(200).optional(),
  dueDate: ZOptionalDay,
  status: z.enum(TASK_STATUSES, { error: "expected todo, in_progress, done or blocked" }).optional(),
  criticalPath: ZFlag.optional(),
  phaseId: ZOptionalRef("phase"),
  notes: ZText(2000).optional(),
});
export type TSaveTaskInput = z.input<typeof ZSaveTaskInput>;

type TTaskRow = {
  title: string;
  owner: string;
  dueDate: Date | null;
  status: string;
  criticalPath: boolean;
  phaseId: string | null;
  notes: string;
};
const describe = (t: TTaskRow) => ({
  title: t.title,
  owner: t.owner,
  dueDate: dayOf(t.dueDate),
  status: t.status,
  criticalPath: t.criticalPath,
  phaseId: t.phaseId,
  notes: t.notes,
});

/** An editor adds a task (no id) or changes one (its id; fields left out stay as they are). */
export async function saveTask(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TSaveResult> {
  if (!mayEditPlan(actor)) return refuse(actor, EDIT_PLAN);
  const parsed = parseSave(ZSaveTaskInput, input, ["title"]);
  if (!parsed.ok) return parsed;
  const { id, dueDate, ...fields } = parsed.data;
  const data = definedOnly({ ...fields, dueDate: dueDate === undefined ? undefined : asDay(dueDate) });
  return deps.prisma.$transaction(async (tx): Promise<TSaveResult> => {
    await lockPlan(tx);
    if (fields.phaseId && !(await tx.planPhase.findUnique({ where: { id: fields.phaseId }, select: { id: true } })))
      return invalidField("phaseId", "no such phase");
    if (id === undefined) {
      const last = await tx.planTask.aggregate({ _max: { position: true } });
      const row = await tx.planTask.create({
        data: { ...data, title: fields.title ?? "", position: (last._max.position ?? -1) + 1 },
      });
      await appendAudit(
        tx,
        {
          actor: auditActor(actor),
          action: "plan.task.create",
          entityType: "plan_task",
          entityId: row.id,
          after: describe(row),
        },
        now,
      );
      return { ok: true, id: row.id, created: true };
    }
    const existing = await tx.planTask.findUnique({ where: { id } });
    if (!existing) return notFound("task");
    const row = await tx.planTask.update({ where: { id }, data });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "plan.task.update",
        entityType: "plan_task",
        entityId: id,
        before: describe(existing),
        after: describe(row),
      },
      now,
    );
    return { ok: true, id, created: false };
  });
}
