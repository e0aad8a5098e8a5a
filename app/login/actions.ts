"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { APIError } from "better-auth/api";
import { getAuth } from "@/lib/auth/auth";
import { safeNextPath } from "@/lib/auth/next-path";
import { getLogger } from "@/lib/logger";

export type TLoginState = { error: string | null; email: string };

/** The status of an error better-auth threw ("UNAUTHORIZED", "FORBIDDEN" …), by shape: its class may come from another bundle. */
function authErrorStatus(error: unknown): string | null {
  if (error instanceof APIError) return String(error.status);
  if (error && typeof error === "object" && "statusCode" in error && "status" in error)
    return String((error as { status: unknown }).status);
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
    // One warn line for the log (HTTP sign-ins are logged by the auth layer itself); the form says what happened.
    getLogger().warn({ component: "auth", status, account: email.slice(0, 254) }, "sign-in refused");
    const message =
      status === "TOO_MANY_REQUESTS"
        ? (error as Error).message
        : status === "FORBIDDEN"
          ? "this account is disabled"
          : "wrong email or password";
    return { error: message, email };
  }
  redirect(safeNextPath(form.get("next")));
}

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect("/login");
}
