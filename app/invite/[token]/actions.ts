"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth/auth";
import { getPrisma } from "@/lib/db/client";
import { acceptInvitation } from "@/lib/services/users/accept-invitation";

// Public: the invitation link itself is the credential, checked (open: not used, revoked or expired) by the service.

export type TAcceptState = { error: string | null; fieldErrors: Record<string, string[]> };

export async function acceptInvitationAction(_previous: TAcceptState, form: FormData): Promise<TAcceptState> {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  const password = field("password");
  if (password !== field("confirm"))
    return { error: "the passwords differ", fieldErrors: { confirm: ["does not match the password"] } };
  const result = await acceptInvitation(getPrisma(), { token: field("token"), password });
  if (!result.ok) return { error: result.message, fieldErrors: result.fieldErrors };
  try {
    await getAuth().api.signInEmail({ body: { email: result.value.email, password }, headers: await headers() });
  } catch (error) {
    // The account exists either way; a refused sign-in (throttled, say) is for the login page to explain.
    if (!(error instanceof APIError)) throw error;
    redirect(`/login?next=${encodeURIComponent("/")}`);
  }
  redirect("/");
}
