import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { safeNextPath } from "@/lib/auth/next-path";
import { getActor } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { LoginForm } from "./client";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await connection();
  const { next } = await searchParams;
  if (await getActor()) redirect(safeNextPath(next));
  const noUsers = (await getPrisma().user.count()) === 0;
  return (
    <div className="mx-auto max-w-sm space-y-6 py-8">
      <h1 className="text-2xl font-bold tracking-tight">Sign in to Preflight</h1>
      {noUsers ? (
        <p role="status" className="rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
          No one has an account yet. <Link href="/setup" className="underline">Create the first administrator</Link>, or run{" "}
          <code className="font-mono">npm run user:create -- --email you@example.com --name &quot;Your Name&quot; --admin</code>.
        </p>
      ) : null}
      <LoginForm next={safeNextPath(next)} />
      <p className="text-xs text-slate-600 dark:text-slate-300">Accounts are created by invitation from an administrator.</p>
    </div>
  );
}
