"use server";

import { revalidatePath } from "next/cache";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";
import { setDemoMode, type SetDemoModeResult } from "@/lib/services/demo/set-mode";

export async function setDemoModeAction(_previous: SetDemoModeResult | null, form: FormData): Promise<SetDemoModeResult> {
  const actor = await getActor();
  if (!actor || !can(actor.role, "probe:run")) return { ok: false, error: actor ? `${actor.role}s may not change the demo services` : "sign in to change the demo services" };
  const result = await setDemoMode({ serviceId: form.get("serviceId"), mode: form.get("mode") });
  if (result.ok) revalidatePath("/demo");
  return result;
}
