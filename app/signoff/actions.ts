"use server";

import { revalidatePath } from "next/cache";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getActor } from "@/lib/auth/session";
import { getLogger } from "@/lib/logger";
import { signOff } from "@/lib/services/signoff/sign";
import { issueStatement } from "@/lib/services/statement/issue";
import { markDeployed } from "@/lib/services/release/mark-deployed";
import { requirePermission } from "@/lib/auth/session";
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
  const deps = { prisma: getPrisma(), config: getConfig().config };
  const result = await signOff(deps, actor, input);
  if (!result.ok) return { status: "error", error: result.message, fieldErrors: result.fieldErrors };
  // The approval that opens go-live issues the readiness statement for the artefacts CI has named (if any).
  if (result.decision === "approve" && actor) {
    await issueStatement(deps, { type: "user", id: actor.id, name: actor.name }).catch((error: unknown) =>
      getLogger().error({ err: (error as Error).message }, "could not issue the readiness statement"),
    );
  }
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

export type TMarkDeployedState =
  | { status: "idle" }
  | { status: "ok"; message: string }
  | { status: "error"; error: string };

/** An editor marks the current release deployed: from now, its postDeployment criteria are watched. */
export async function markDeployedAction(_previous: TMarkDeployedState, form: FormData): Promise<TMarkDeployedState> {
  const actor = await requirePermission("evidence:write");
  const config = getConfig().config;
  const release = String(form.get("release") ?? "");
  const result = await markDeployed(
    { prisma: getPrisma(), config },
    { type: "user", id: actor.id, name: `${actor.name} <${actor.email}>` },
    release,
    {},
  );
  if (!result.ok) return { status: "error", error: result.message };
  revalidatePath("/signoff");
  return {
    status: "ok",
    message: result.value.created
      ? `${release} marked deployed at ${result.value.deployedAt.toISOString()}: its criteria are watched from now.`
      : `${release} was already marked deployed at ${result.value.deployedAt.toISOString()}.`,
  };
}
