"use server";

import { revalidatePath } from "next/cache";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getActor } from "@/lib/auth/session";
import { signOff } from "@/lib/services/signoff/sign";

export type TSignState = { status: "idle" } | { status: "ok"; message: string } | { status: "error"; error: string; fieldErrors: Record<string, string[]> };

export async function signAction(_previous: TSignState, form: FormData): Promise<TSignState> {
  const actor = await getActor();
  const result = await signOff({ prisma: getPrisma(), config: getConfig().config }, actor, {
    role: String(form.get("role") ?? ""),
    decision: String(form.get("decision") ?? ""),
    comment: String(form.get("comment") ?? ""),
    snapshotHash: String(form.get("snapshotHash") ?? ""),
  });
  if (!result.ok) return { status: "error", error: result.message, fieldErrors: result.fieldErrors };
  revalidatePath("/signoff");
  revalidatePath("/");
  return { status: "ok", message: `Signed against snapshot ${result.snapshotHash.slice(0, 12)}.` };
}
