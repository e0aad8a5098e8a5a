import type { Metadata } from "next";
import Link from "next/link";
import { redirect, unstable_rethrow } from "next/navigation";
import { connection } from "next/server";
import { LocalTime } from "@/components/ui/local-time";
import { OutageRecovery } from "@/components/outage/outage-recovery";
import { safeNextPath } from "@/lib/auth/next-path";
import { getActor } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { confirmDatabaseOutage, explainFailure, type TDatabaseOutage } from "@/lib/db/outage";
import { LoginForm } from "./client";

export const metadata: Metadata = { title: "Sign in" };

type TState = { outage: TDatabaseOutage } | { outage: null; noUsers: boolean };

/** Who is here and whether anyone has an account; or, with the database down, the outage (the form still shows). */
async function readState(next: string | undefined): Promise<TState> {
  const known = await confirmDatabaseOutage();
  if (known) return { outage: known };
  try {
    if (await getActor()) redirect(safeNextPath(next));
    return { outage: null, noUsers: (await getPrisma().user.count()) === 0 };
  } catch (error) {
    unstable_rethrow(error);
    const outage = await explainFailure();
    if (!outage) throw error;
    return { outage };
  }
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await connection();
  const { next } = await searchParams;
  const state = await readState(next);
  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Sign in to Preflight</h1>
      {state.outage ? (
        <div
          role="alert"
          data-testid="signin-unavailable"
          className="space-y-1 rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100"
        >
          <p>
            Sign-in is unavailable: Preflight&apos;s database is unreachable since{" "}
            <LocalTime iso={state.outage.since} />, and accounts and sessions live there.
          </p>
          <OutageRecovery />
        </div>
      ) : state.noUsers ? (
        <p
          role="status"
          className="rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
        >
          No one has an account yet.{" "}
          <Link href="/setup" className="underline">
            Create the first administrator
          </Link>
          , or run{" "}
          <code className="font-mono">
            npm run user:create -- --email you@example.com --name &quot;Your Name&quot; --admin
          </code>
          .
        </p>
      ) : null}
      <LoginForm next={safeNextPath(next)} unavailable={state.outage !== null} />
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Accounts are created by invitation from an administrator.
      </p>
    </div>
  );
}
