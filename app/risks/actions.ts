"use server";

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { deleteRisk } from "@/lib/services/plan/delete-risk";
import { saveRisk } from "@/lib/services/plan/save-risk";
import type { TDoneResult, TSaveResult } from "@/lib/services/plan/schema";
import type { TPlanFormState } from "../plan/actions";

// The risks page's forms. Each is a public endpoint: the services check the session's permission themselves (a null
// actor is answered 401, a viewer or approver 403), so nothing here decides who may do what.

const field = (form: FormData, name: string): string | undefined => {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
};

function answer(previous: TPlanFormState, result: TSaveResult | TDoneResult, message: string): TPlanFormState {
  if (!result.ok)
    return {
      status: "error",
      error: result.message,
      fieldErrors: result.fieldErrors,
      at: Date.now(),
      round: previous.round,
    };
  revalidatePath("/risks");
  revalidatePath("/plan");
  return { status: "ok", message, at: Date.now(), round: previous.round + 1 };
}

export async function saveRiskAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const input = {
    id: field(form, "id"),
    title: field(form, "title"),
    area: field(form, "area"),
    probability: field(form, "probability"),
    impact: field(form, "impact"),
    mitigation: field(form, "mitigation"),
    owner: field(form, "owner"),
    status: field(form, "status"),
  };
  const result = await saveRisk({ prisma: getPrisma() }, await getActor(), input);
  return answer(
    previous,
    result,
    result.ok && result.created ? `Added the risk “${input.title?.trim()}”.` : "Risk saved.",
  );
}

export async function deleteRiskAction(previous: TPlanFormState, form: FormData): Promise<TPlanFormState> {
  const result = await deleteRisk({ prisma: getPrisma() }, await getActor(), { id: field(form, "id") });
  return answer(previous, result, "Risk deleted.");
}
