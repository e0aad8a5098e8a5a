import type { Metadata } from "next";
import Link from "next/link";
import { getEnv } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Preflight", template: "%s · Preflight" },
  description: "Production readiness, measured.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  const demo = Boolean(getEnv().PREFLIGHT_DEMO_CONTROL_URL);
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        {demo ? (
          <div role="note" className="bg-amber-300 px-4 py-1 text-center text-sm font-medium text-amber-950">
            Demo: the services below are simulators on this machine.{" "}
            <Link href="/demo" className="underline">
              Make one fail
            </Link>{" "}
            to watch an outage appear and heal.
          </div>
        ) : null}
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
            <Link href="/" className="text-lg font-semibold tracking-tight">
              Preflight
            </Link>
            <Link href="/" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
              Overview
            </Link>
            <Link href="/baselines" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
              Baselines
            </Link>
            <Link href="/scorecard" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
              Scorecard
            </Link>
            <Link href="/criteria" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
              Criteria
            </Link>
            <Link href="/tests" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
              Tests
            </Link>
            <Link href="/load-chaos" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
              Load &amp; chaos
            </Link>
            <Link href="/evidence" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
              Evidence
            </Link>
            {demo ? (
              <Link href="/demo" className="text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white">
                Demo controls
              </Link>
            ) : null}
          </nav>
        </header>
        <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
