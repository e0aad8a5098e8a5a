"use server";

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { deleteLimitation } from "@/lib/services/plan/delete-limitation";
import { deleteTask } from "@/lib/services/plan/delete-task";
import { saveChecklistItem } from "@/lib/services/plan/save-checklist-item";
import { saveLimitation } from "@/lib/services/plan/save-limitation";
import { savePhase } from "@/lib/services/plan/save-phase";
import { saveTask } from "@/lib/services/plan/save-task";
import type { TDoneResult, TSaveResult } from "@/lib/services/plan/schema";
import { toggleChecklistItem } from "@/lib/services/plan/toggle-checklist-item";

// The plan page's forms. Each is a public endpoint: the services check the session's permission themselves (a null
// actor is answered 401, a viewer or approver 403), so nothing here decides who may do what. A field the form does
// not have is left out, and a save leaves it as it was.

/** `round` counts successes: an add form remounts empty after each one and keeps what was typed after an error. */
export type TPlanFormState = (
  | { status: "idle" }
  | { status: "ok"; message: string; at: number }
  | { status: "error"; error: string; fieldErrors: Record<string, string[]>; at: number }
) & {
  round: number;
};

const field = (form: FormData, name: string): string | undefined => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};
/** A checkbox after a hidden "off" of the same name: absent from the form is undefined, unticked is false. */
const flag = (form: FormData, name: string): boolean | undefined => {
  const values = form.getAll(name);
  return values.length === 0 ? undefined : values.includes("on");
};

function answer(
  previous: TPlanFormState,
  result: TSaveResult | TDoneResult,
  message: (created: boolean) => string,
): TPlanFormState {
  if (!result.ok)
    return {
      status: "error",
      error: result.message,
      fieldErrors: result.fieldErrors,
      at: Date.now(),
      round: previous.round,
    };
  revalidatePath("/plan");
  return {
    status: "ok",
    message: message("created" in result && result.created),
    at: Date.now(),
    round: previous.round + 1,
  };
}

export async function saveTaskAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const input = {
    id: field(form, "id"),
    title: field(form, "title"),
    owner: field(form, "owner"),
    dueDate: field(form, "dueDate"),
    status: field(form, "status"),
    criticalPath: flag(form, "criticalPath"),
    phaseId: field(form, "phaseId"),
    notes: field(form, "notes"),
  };
  const result = await saveTask({ prisma: getPrisma() }, await getActor(), input);
  return answer(previous, result, (created) => (created ? `Added the task “${input.title?.trim()}”.` : "Task saved."));
}

export async function deleteTaskAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const result = await deleteTask({ prisma: getPrisma() }, await getActor(), { id: field(form, "id") });
  return answer(previous, result, () => "Task deleted.");
}

export async function savePhaseAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const input = {
    id: field(form, "id"),
    name: field(form, "name"),
    start: field(form, "start"),
    end: field(form, "end"),
    expectedReadinessPct: field(form, "expectedReadinessPct"),
    goal: field(form, "goal"),
  };
  const result = await savePhase({ prisma: getPrisma() }, await getActor(), input);
  return answer(previous, result, (created) => (created ? `Added the phase “${input.name?.trim()}”.` : "Phase saved."));
}

export async function saveLimitationAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const input = {
    id: field(form, "id"),
    title: field(form, "title"),
    impact: field(form, "impact"),
    mitigation: field(form, "mitigation"),
    timeline: field(form, "timeline"),
    blocking: flag(form, "blocking"),
    resolved: flag(form, "resolved"),
  };
  const result = await saveLimitation({ prisma: getPrisma() }, await getActor(), input);
  return answer(previous, result, (created) => (created ? `Added “${input.title?.trim()}”.` : "Saved."));
}

export async function deleteLimitationAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const result = await deleteLimitation({ prisma: getPrisma() }, await getActor(), { id: field(form, "id") });
  return answer(previous, result, () => "Deleted.");
}

export async function saveChecklistItemAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const input = { id: field(form, "id"), kind: field(form, "kind"), text: field(form, "text") };
  const result = await saveChecklistItem({ prisma: getPrisma() }, await getActor(), input);
  return answer(previous, result, (created) => (created ? "Item added." : "Item saved."));
}

export async function toggleChecklistItemAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const done = field(form, "done");
  const result = await toggleChecklistItem({ prisma: getPrisma() }, await getActor(), {
    id: field(form, "id"),
    done: done === "true" ? true : done === "false" ? false : done,
  });
  return answer(previous, result, () => (done === "true" ? "Marked done." : "Marked not done."));
}
