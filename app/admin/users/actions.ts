"use server";

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getPublicBaseUrl } from "@/lib/public-url";
import { inviteUser } from "@/lib/services/users/invite-user";
import { revokeInvitation } from "@/lib/services/users/revoke-invitation";
import { updateUser } from "@/lib/services/users/update-user";

// The users page's forms. Each is a public endpoint: the services check the session's permission themselves
// (a null actor is answered 401, a non-admin 403), so nothing here decides who may do what.

type TFailure = { status: "error"; error: string; fieldErrors: Record<string, string[]>; at: number };

export type TUpdateUserState = { status: "idle" } | { status: "ok"; message: string; at: number } | TFailure;

/** `round` counts successful invitations: the form remounts empty after each one and keeps its values after an error. */
export type TInviteState = (
  | { status: "idle" }
  | { status: "ok"; name: string; email: string; link: string; expiresAt: string; at: number }
  | TFailure
) & { round: number };

export type TRevokeInvitationState = { status: "idle" } | { status: "ok"; message: string; at: number } | TFailure;

const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};
const texts = (form: FormData, name: string): string[] =>
  form.getAll(name).filter((v): v is string => typeof v === "string");

export async function updateUserAction(_previous: TUpdateUserState, form: FormData): Promise<TUpdateUserState> {
  const actor = await getActor();
  const input = {
    userId: text(form, "userId"),
    role: text(form, "role"),
    signOffRoles: texts(form, "signOffRoles"),
    disabled: form.get("disabled") === "on",
  };
  const result = await updateUser({ prisma: getPrisma(), config: getConfig().config }, actor, input);
  if (!result.ok) return { status: "error", error: result.message, fieldErrors: result.fieldErrors, at: Date.now() };
  revalidatePath("/admin/users");
  return { status: "ok", message: `Saved: ${input.role}${input.disabled ? ", disabled" : ""}.`, at: Date.now() };
}

export async function inviteUserAction(previous: TInviteState, form: FormData): Promise<TInviteState> {
  const actor = await getActor();
  const input = {
    name: text(form, "name"),
    email: text(form, "email"),
    role: text(form, "role"),
    signOffRoles: texts(form, "signOffRoles"),
  };
  // The link's address comes from the configuration, never from this request's Host headers.
  const result = await inviteUser(
    { prisma: getPrisma(), config: getConfig().config, publicBase: getPublicBaseUrl(getEnv()) },
    actor,
    input,
  );
  if (!result.ok)
    return {
      status: "error",
      error: result.message,
      fieldErrors: result.fieldErrors,
      at: Date.now(),
      round: previous.round,
    };
  revalidatePath("/admin/users");
  return {
    status: "ok",
    name: input.name.trim(),
    email: input.email.trim().toLowerCase(),
    link: result.value.link,
    expiresAt: result.value.expiresAt.toISOString(),
    at: Date.now(),
    round: previous.round + 1,
  };
}

export async function revokeInvitationAction(
  _previous: TRevokeInvitationState,
  form: FormData,
): Promise<TRevokeInvitationState> {
  const actor = await getActor();
  const result = await revokeInvitation({ prisma: getPrisma() }, actor, { invitationId: text(form, "invitationId") });
  if (!result.ok) return { status: "error", error: result.message, fieldErrors: result.fieldErrors, at: Date.now() };
  revalidatePath("/admin/users");
  return { status: "ok", message: `Revoked: the link for ${result.value.email} no longer works.`, at: Date.now() };
}
