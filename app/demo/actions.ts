"use server";

import { revalidatePath } from "next/cache";
import { setDemoMode, type SetDemoModeResult } from "@/lib/services/demo/set-mode";

export async function setDemoModeAction(_previous: SetDemoModeResult | null, form: FormData): Promise<SetDemoModeResult> {
  const result = await setDemoMode({ serviceId: form.get("serviceId"), mode: form.get("mode") });
  if (result.ok) revalidatePath("/demo");
  return result;
}
