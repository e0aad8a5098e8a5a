"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { APIError } from "better-auth/api";
import { getAuth } from "@/lib/auth/auth";
import { safeNextPath } from "@/lib/auth/next-path";

export type TLoginState = { error: string | null; email: string };

/** The status of an error better-auth threw ("UNAUTHORIZED", "FORBIDDEN" …), by shape: its class may come from another bundle. */
function authErrorStatus(error: unknown): string | null {
  if (error instanceof APIError) return String(error.status);
  if (error && typeof error === "object" && "statusCode" in error && "status" in error) return String((error as { status: unknown }).status);
  return null;
}

export async function signIn(_previous: TLoginState, form: FormData): Promise<TLoginState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "enter your email and password", email };
  try {
    await getAuth().api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (error) {
    const status = authErrorStatus(error);
    if (status === null) throw error;
    // The auth hooks have logged one warn line for it; the form says what happened, never a stack.
    const message =
      status === "TOO_MANY_REQUESTS" ? (error as Error).message : status === "FORBIDDEN" ? "this account is disabled" : "wrong email or password";
    return { error: message, email };
  }
  redirect(safeNextPath(form.get("next")));
}

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect("/login");
}
