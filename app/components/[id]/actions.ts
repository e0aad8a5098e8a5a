"use server";

import { revalidatePath } from "next/cache";
import { probeComponentNow } from "@/lib/services/component/probe-now";

export type ProbeNowState = { ok: boolean; message: string } | null;

export async function probeNowAction(componentId: string): Promise<ProbeNowState> {
  const result = await probeComponentNow(componentId);
  if (!result.ok) return { ok: false, message: result.error };
  revalidatePath(`/components/${componentId}`);
  const { outcome } = result;
  return { ok: outcome.ok, message: `${outcome.ok ? "Passed" : "Failed"}: ${outcome.detail ?? outcome.error ?? ""} in ${outcome.latencyMs.toFixed(1)} ms` };
}
