import { z } from "zod";
import { auditActor, refuse, type TActor } from "../../auth/actor";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import {
  asDay,
  dayOf,
  definedOnly,
  EDIT_PLAN,
  invalidField,
  lockPlan,
  mayEditPlan,
  notFound,
  parseSave,
  ZOptionalDay,
  ZOptionalPct,
  ZSaveId,
  ZText,
  type TSaveResult,
} from "./schema";

export const ZSavePhaseInput = z.strictObject({
  id: ZSaveId("phase"),
  name: ZText(200).min(1, { error: "expected a name" }).optional(),
  start: ZOptionalDay,
  end: ZOptionalDay,
  expectedReadinessPct: ZOptionalPct,
  goal: ZText(2000).optional(),
});
export type TSavePhaseInput = z.input<typeof ZSavePhaseInput>;

type TPhaseRow = {
  name: string;
  startDate: Date | null;
  endDate: Date | null;
  expectedReadinessPct: number | null;
  goal: string;
};
const describe = (p: TPhaseRow) => ({
  name: p.name,
  start: dayOf(p.startDate),
  end: dayOf(p.endDate),
  expectedReadinessPct: p.expectedReadinessPct,
  goal: p.goal,
});

/** An editor adds a deployment phase (no id) or changes one (its id; fields left out stay as they are). */
export async function savePhase(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TSaveResult> {
  if (!mayEditPlan(actor)) return refuse(actor, EDIT_PLAN);
  const parsed = parseSave(ZSavePhaseInput, input, ["name"]);
  if (!parsed.ok) return parsed;
  const { id, start, end, ...fields } = parsed.data;
  const data = definedOnly({
    ...fields,
    startDate: start === undefined ? undefined : asDay(start),
    endDate: end === undefined ? undefined : asDay(end),
  });
  return deps.prisma.$transaction(async (tx): Promise<TSaveResult> => {
    await lockPlan(tx);
    const existing = id === undefined ? null : await tx.planPhase.findUnique({ where: { id } });
    if (id !== undefined && !existing) return notFound("phase");
    // Judged on the dates the phase will have, so changing only one of them is checked against the other.
    const startDay = start === undefined ? dayOf(existing?.startDate ?? null) : start;
    const endDay = end === undefined ? dayOf(existing?.endDate ?? null) : end;
    if (startDay !== null && endDay !== null && endDay < startDay)
      return invalidField("end", `expected an end on or after the start (${startDay})`);
    if (!existing) {
      const last = await tx.planPhase.aggregate({ _max: { position: true } });
      const row = await tx.planPhase.create({
        data: { ...data, name: fields.name ?? "", position: (last._max.position ?? -1) + 1 },
      });
      await appendAudit(
        tx,
        {
          actor: auditActor(actor),
          action: "plan.phase.create",
          entityType: "plan_phase",
          entityId: row.id,
          after: describe(row),
        },
        now,
      );
      return { ok: true, id: row.id, created: true };
    }
    const row = await tx.planPhase.update({ where: { id: existing.id }, data });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "plan.phase.update",
        entityType: "plan_phase",
        entityId: row.id,
        before: describe(existing),
        after: describe(row),
      },
      now,
    );
    return { ok: true, id: row.id, created: false };
  });
}
