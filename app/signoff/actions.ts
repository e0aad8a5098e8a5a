"use server";

import { revalidatePath } from "next/cache";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getActor } from "@/lib/auth/session";
import { signOff } from "@/lib/services/signoff/sign";
import type { TDecision } from "@/lib/signoff/status";

/** A decision as the closed form shows it right after signing, before the page's own data catches up. */
export type TSignedDecision = { decision: TDecision; signedAt: string; snapshotHash: string; comment: string };

export type TSignState =
  | { status: "idle" }
  | { status: "ok"; message: string; signed: TSignedDecision }
  | { status: "error"; error: string; fieldErrors: Record<string, string[]> };

export async function signAction(_previous: TSignState, form: FormData): Promise<TSignState> {
  const actor = await getActor();
  const input = {
    role: String(form.get("role") ?? ""),
    decision: String(form.get("decision") ?? ""),
    comment: String(form.get("comment") ?? ""),
    snapshotHash: String(form.get("snapshotHash") ?? ""),
    // Sent only by the confirmation that lists the closed gate and the critical blockers; the service requires it.
    confirmedBelowGate: String(form.get("confirmedBelowGate") ?? ""),
  };
  const result = await signOff({ prisma: getPrisma(), config: getConfig().config }, actor, input);
  if (!result.ok) return { status: "error", error: result.message, fieldErrors: result.fieldErrors };
  revalidatePath("/signoff");
  // The nav badge and the overview prompt of every page say whose sign-off is requested.
  revalidatePath("/", "layout");
  return {
    status: "ok",
    message: `Signed against snapshot ${result.snapshotHash.slice(0, 12)}.`,
    signed: {
      decision: result.decision,
      signedAt: result.signedAt.toISOString(),
      snapshotHash: result.snapshotHash,
      comment: result.comment,
    },
  };
}
