import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getPrisma } from "@/lib/db/client";
import { SetupForm } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Set up" };

/** The one-time setup page: creates the first administrator, and refuses once anyone has an account. */
async function SetupPage() {
  await connection();
  const users = await getPrisma().user.count();
  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Set up Preflight</h1>
      {users > 0 ? (
        <p role="status" data-testid="setup-closed" className="rounded border border-slate-300 px-3 py-2 text-sm">
          Setup is done: an administrator already exists.{" "}
          <Link href="/login" className="underline">
            Sign in
          </Link>
          , or ask an administrator for an invitation.
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-300">
            No one has an account yet. The first account is an administrator, who then invites everyone else.
          </p>
          <SetupForm />
        </>
      )}
    </div>
  );
}

export default withDatabasePage(SetupPage);
