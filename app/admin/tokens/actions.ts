"use server";

import { revalidatePath } from "next/cache";
import { getActor } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { createApiToken } from "@/lib/services/tokens/create-token";
import { revokeApiToken } from "@/lib/services/tokens/revoke-token";

// The tokens page's forms. The services check the permission themselves (null actor: 401, non-admin: 403).

type TFailure = { status: "error"; error: string; fieldErrors: Record<string, string[]>; at: number };

/** `round` counts created tokens: the form remounts empty after each one and keeps its values after an error. */
export type TCreateTokenState = (
  | { status: "idle" }
  | { status: "ok"; name: string; scopes: string[]; token: string; at: number }
  | TFailure
) & { round: number };

export type TRevokeTokenState = { status: "idle" } | { status: "ok"; message: string; at: number } | TFailure;

export async function createTokenAction(previous: TCreateTokenState, form: FormData): Promise<TCreateTokenState> {
  const actor = await getActor();
  const name = form.get("name");
  const scopes = form.getAll("scopes").filter((v): v is string => typeof v === "string");
  const result = await createApiToken({ prisma: getPrisma() }, actor, {
    name: typeof name === "string" ? name : "",
    scopes,
  });
  if (!result.ok)
    return {
      status: "error",
      error: result.message,
      fieldErrors: result.fieldErrors,
      at: Date.now(),
      round: previous.round,
    };
  revalidatePath("/admin/tokens");
  return {
    status: "ok",
    name: result.row.name,
    scopes: result.row.scopes,
    token: result.token,
    at: Date.now(),
    round: previous.round + 1,
  };
}

export async function revokeTokenAction(_previous: TRevokeTokenState, form: FormData): Promise<TRevokeTokenState> {
  const actor = await getActor();
  const name = form.get("name");
  const result = await revokeApiToken({ prisma: getPrisma() }, actor, { name: typeof name === "string" ? name : "" });
  if (!result.ok) return { status: "error", error: result.message, fieldErrors: result.fieldErrors, at: Date.now() };
  revalidatePath("/admin/tokens");
  return {
    status: "ok",
    message: `Revoked "${result.row.name}": requests bearing it are refused from now on.`,
    at: Date.now(),
  };
}
