import { z } from "zod";
import { fail, failFields } from "../result";
import type { TActor, TRefusal } from "../../auth/actor";
import { can } from "../../auth/permissions";
import { IMPACT_LABELS, PROBABILITY_LABELS } from "../../config/plan-schema";
import type { Prisma } from "../../generated/prisma/client";
import { keptText } from "../text";
import { fieldErrors } from "../users/schema";

// What the plan's services share: the field schemas (forms send strings, so numbers and empty dates are read from
// them here), the refusals, and the lock that serialises plan edits. Saves create without an id and update with
// one; on update a field left out stays as it is.

export const TASK_STATUSES = ["todo", "in_progress", "done", "blocked"] as const;
export const TASK_STATUS_LABELS: Record<(typeof TASK_STATUSES)[number], string> = {
  todo: "To do",
  in_progress: "In progress",
  done: "Done",
  blocked: "Blocked",
};
export const RISK_STATUSES = ["open", "mitigated", "accepted", "closed"] as const;
export const RISK_STATUS_LABELS: Record<(typeof RISK_STATUSES)[number], string> = {
  open: "Open",
  mitigated: "Mitigated",
  accepted: "Accepted",
  closed: "Closed",
};
export const CHECKLIST_KINDS = ["recommendation", "pre_deployment", "post_deployment"] as const;
export const CHECKLIST_KIND_LABELS: Record<(typeof CHECKLIST_KINDS)[number], string> = {
  recommendation: "Recommendations",
  pre_deployment: "Pre-deployment checklist",
  post_deployment: "Post-deployment monitoring",
};

export type TSaveResult = { ok: true; id: string; created: boolean } | TRefusal;
export type TDoneResult = { ok: true; id: string } | TRefusal;

const DATE_ERROR = "expected a date such as 2026-01-21";
const blankToNull = (v: unknown) =>
  typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.trim() : v;

export const ZId = (what: string) => z.uuid({ error: `expected the id of a ${what}` });

/** The id of the row a save updates; none (or an empty form field) creates one. */
export const ZSaveId = (what: string) =>
  z.preprocess((v) => (v === "" || v === null ? undefined : v), ZId(what).optional());

/** A reference that may be cleared: an empty form field is none. */
export const ZOptionalRef = (what: string) => z.preprocess(blankToNull, ZId(what).nullable()).optional();

/** A calendar day, YYYY-MM-DD, that exists: zod's pattern knows month lengths and leap years (2026-02-30 fails). */
export const ZDay = z.iso.date({ error: DATE_ERROR });

/** A day, or none: an empty form field clears it. */
export const ZOptionalDay = z.preprocess(blankToNull, ZDay.nullable()).optional();

export const ZTitle = keptText(
  z
    .string({ error: "expected a title" })
    .trim()
    .min(1, { error: "expected a title" })
    .max(500, { error: "expected at most 500 characters" }),
);

export const ZText = (max: number) =>
  keptText(
    z
      .string({ error: "expected text" })
      .trim()
      .max(max, { error: `expected at most ${max} characters` }),
  );

export const ZFlag = z.boolean({ error: "expected true or false" });

/** 1-5 as a number, a form's "3", or its word ("likely", "major"). */
export const ZScale = (labels: readonly string[], what: string) => {
  const error = `expected ${what} from 1 (${labels[0]}) to 5 (${labels.at(-1)})`;
  return z.preprocess(
    (v) =>
      typeof v === "string" && v.trim() !== ""
        ? labels.includes(v.trim())
          ? labels.indexOf(v.trim()) + 1
          : Number(v)
        : v,
    z.number({ error }).int({ error }).min(1, { error }).max(5, { error }),
  );
};
export const ZProbability = ZScale(PROBABILITY_LABELS, "a probability");
export const ZImpact = ZScale(IMPACT_LABELS, "an impact");

/** A percentage 0-100, or none. */
export const ZOptionalPct = z
  .preprocess((v) => {
    const blank = blankToNull(v);
    return typeof blank === "string" ? Number(blank) : blank;
  }, z
    .number({ error: "expected a percentage from 0 to 100" })
    .min(0, { error: "expected a percentage from 0 to 100" })
    .max(100, { error: "expected a percentage from 0 to 100" })
    .nullable())
  .optional();

/** Whether the caller may edit the plan; when not, `refuse(actor, EDIT_PLAN)` answers 401 or 403. */
export function mayEditPlan(actor: TActor | null): actor is TActor {
  return actor !== null && can(actor.role, "plan:edit");
}
export const EDIT_PLAN = "edit the plan";

export function invalid(error: z.ZodError): TRefusal {
  const errors = fieldErrors(error);
  return failFields(422, errors);
}

export function invalidField(field: string, message: string): TRefusal {
  return failFields(422, { [field]: [message] }, `${field}: ${message}`);
}

export function notFound(what: string): TRefusal {
  return fail(404, `no such ${what}: it may have been deleted meanwhile`);
}

/** Parses a save's input, and on create also demands the fields a new row cannot do without. */
export function parseSave<T extends { id?: string }>(
  schema: z.ZodType<T>,
  input: unknown,
  required: (keyof T & string)[],
): { ok: true; data: T } | TRefusal {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error);
  if (parsed.data.id === undefined) {
    const missing = required.filter((key) => parsed.data[key] === undefined || parsed.data[key] === null);
    if (missing.length > 0) {
      const errors = Object.fromEntries(missing.map((key) => [key, [`expected a ${key} for a new entry`]]));
      return failFields(422, errors);
    }
  }
  return { ok: true, data: parsed.data };
}

/** One plan edit at a time: positions are counted and before-images read without a race. */
export async function lockPlan(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preflight.plan'))`;
}

export const asDay = (d: string | null) => (d === null ? null : new Date(`${d}T00:00:00Z`));
export const dayOf = (d: Date | null) => (d === null ? null : d.toISOString().slice(0, 10));

/** The fields of `patch` that are set: an update leaves the others alone. */
export function definedOnly<T extends Record<string, unknown>>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
