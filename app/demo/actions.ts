"use server";

import { revalidatePath } from "next/cache";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";
import { setDemoMode } from "@/lib/services/demo/set-mode";

export type TDemoModeState = { ok: true } | { ok: false; error: string };

export async function setDemoModeAction(_previous: TDemoModeState | null, form: FormData): Promise<TDemoModeState> {
  const actor = await getActor();
  if (!actor || !can(actor.role, "probe:run"))
    return {
      ok: false,
      error: actor ? `${actor.role}s may not change the demo services` : "sign in to change the demo services",
    };
  const result = await setDemoMode({ serviceId: form.get("serviceId"), mode: form.get("mode") });
  if (!result.ok) return { ok: false, error: result.message };
  revalidatePath("/demo");
  return { ok: true };
}
