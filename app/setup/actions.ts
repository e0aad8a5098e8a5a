"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth/auth";
import { getPrisma } from "@/lib/db/client";
import { createFirstAdmin } from "@/lib/services/users/create-first-admin";

export type TSetupState = {
  error: string | null;
  fieldErrors: Record<string, string[]>;
  values: { email: string; name: string };
};

/** The one-time setup: works only while there are no users (the service checks under a lock). */
export async function setupAdmin(_previous: TSetupState, form: FormData): Promise<TSetupState> {
  const values = { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? "") };
  const password = String(form.get("password") ?? "");
  if (password !== String(form.get("confirm") ?? ""))
    return { error: "the passwords differ", fieldErrors: { confirm: ["does not match the password"] }, values };
  const result = await createFirstAdmin(
    getPrisma(),
    { ...values, password },
    { type: "system", id: null, name: "setup page" },
    { onlyIfNoUsers: true },
  );
  if (!result.ok) return { error: result.message, fieldErrors: result.fieldErrors, values };
  await getAuth().api.signInEmail({ body: { email: result.user.email, password }, headers: await headers() });
  redirect("/");
}
