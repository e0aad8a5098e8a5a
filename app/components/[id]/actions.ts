"use server";

import { formatLatency } from "@/lib/format";
import { revalidatePath } from "next/cache";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";
import { probeComponentNow } from "@/lib/services/component/probe-now";

export type ProbeNowState = { ok: boolean; message: string } | null;

export async function probeNowAction(componentId: string): Promise<ProbeNowState> {
  const actor = await getActor();
  if (!actor) return { ok: false, message: "sign in to probe" };
  if (!can(actor.role, "probe:run")) return { ok: false, message: `${actor.role}s may not run probes` };
  const result = await probeComponentNow(componentId);
  if (!result.ok) return { ok: false, message: result.message };
  revalidatePath(`/components/${componentId}`);
  const { outcome } = result;
  return {
    ok: outcome.ok,
    message: `${outcome.ok ? "Passed" : "Failed"}: ${outcome.detail ?? outcome.error ?? ""} in ${formatLatency(outcome.latencyMs)}`,
  };
}
