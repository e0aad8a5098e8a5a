"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { APIError } from "better-auth/api";
import { getAuth } from "@/lib/auth/auth";

export type TLoginState = { error: string | null; email: string };

/** Only same-site paths: a crafted ?next= must not send a person elsewhere after signing in. */
function safeNext(next: FormDataEntryValue | null): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

export async function signIn(_previous: TLoginState, form: FormData): Promise<TLoginState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!email || !password) return { error: "enter your email and password", email };
  try {
    await getAuth().api.signInEmail({ body: { email, password }, headers: await headers() });
  } catch (error) {
    if (error instanceof APIError) {
      const message = error.status === "TOO_MANY_REQUESTS" ? error.message : error.status === "FORBIDDEN" ? "this account is disabled" : "wrong email or password";
      return { error: message, email };
    }
    throw error;
  }
  redirect(safeNext(form.get("next")));
}

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect("/login");
}
