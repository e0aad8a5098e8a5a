import type { Metadata } from "next";
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { Suspense } from "react";
import { NavMenu, type TNavItem } from "@/components/shell/nav-menu";
import { readShell } from "@/components/shell/shell";
import { UserMenu } from "@/components/user-menu";
import { ZoneProvider } from "@/components/ui/zone-context";
import { ZoneSync } from "@/components/zone-sync";
import type { TActor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/session";
import { explainFailure, knownDatabaseOutage } from "@/lib/db/outage";
import { can, type TPermission } from "@/lib/auth/permissions";
import { getEnv } from "@/lib/env";
import { getViewerZone } from "@/lib/viewer/zone";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Preflight", template: "%s · Preflight" },
  description: "Production readiness, measured.",
};

const NAV: [href: string, label: string, permission?: TPermission][] = [
  ["/", "Overview"],
  ["/slos", "SLOs"],
  ["/baselines", "Baselines"],
  ["/scorecard", "Scorecard"],
  ["/criteria", "Criteria"],
  ["/tests", "Tests"],
  ["/load-chaos", "Load & chaos"],
  ["/security", "Security"],
  ["/infrastructure", "Infrastructure"],
  ["/evidence", "Evidence", "evidence:write"],
  ["/plan", "Plan"],
  ["/risks", "Risks"],
  ["/signoff", "Sign-off"],
  ["/report", "Report"],
];

const ACCOUNT_UNAVAILABLE = (
  <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="account-unavailable">
    Account unavailable: the database does not answer
  </span>
);

/** The person of this request; during a database outage the reason no one can be looked up. */
async function readActor(): Promise<{ actor: TActor | null; unavailable: boolean }> {
  try {
    const actor = await getActor();
    if (!actor && (await knownDatabaseOutage())) return { actor: null, unavailable: true };
    return { actor, unavailable: false };
  } catch (error) {
    unstable_rethrow(error);
    if (await explainFailure()) return { actor: null, unavailable: true };
    throw error;
  }
}

/**
 * The navigation and the signed-in person's menu, streamed in after the header so the session lookup does not hold
 * the page back. It lists only the pages the person's role may open. While the database is down no session can be
 * read: it says so, rather than "Sign in" or the framework's error page (this is the root layout: an error here
 * would take every page down with it).
 */
async function SessionNav({ demo }: { demo: boolean }) {
  const { actor, unavailable } = await readActor();
  const items: TNavItem[] = actor
    ? NAV.filter(([, , permission]) => !permission || can(actor.role, permission)).map(([href, label]) => ({
        href,
        label,
        badge:
          href === "/signoff" ? (
            <Suspense fallback={null}>
              <SignOffBadge />
            </Suspense>
          ) : undefined,
      }))
    : [];
  if (actor && demo) items.push({ href: "/demo", label: "Demo controls" });
  return <NavMenu items={items}>{unavailable ? ACCOUNT_UNAVAILABLE : <UserMenu actor={actor} />}</NavMenu>;
}

/** "Your sign-off is requested", as a count on the nav's Sign-off entry. */
async function SignOffBadge() {
  const shell = await readShell();
  const count = shell && shell !== "failed" ? shell.requested.length : 0;
  if (count === 0) return null;
  return (
    <span
      data-testid="signoff-badge"
      className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-red-700 px-1.5 text-xs font-semibold text-white"
    >
      {count}
      <span className="sr-only"> {count === 1 ? "sign-off is" : "sign-offs are"} requested of you</span>
    </span>
  );
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const demo = Boolean(getEnv().PREFLIGHT_DEMO_CONTROL_URL);
  const zone = await getViewerZone();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <a
          href="#main"
          className="sr-only rounded bg-slate-900 px-3 py-2 text-sm font-semibold text-white focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 dark:bg-white dark:text-slate-900"
        >
          Skip to content
        </a>
        <ZoneSync serverZone={zone} />
        <ZoneProvider zone={zone}>
          <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            {demo ? (
              <div role="note" className="bg-amber-300 px-4 py-1 text-center text-sm font-medium text-amber-950">
                Demo: the services below are simulators on this machine.{" "}
                <Link href="/demo" className="underline">
                  Make one fail
                </Link>{" "}
                to watch an outage appear and heal.
              </div>
            ) : null}
            <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
              <Link href="/" className="text-lg font-semibold tracking-tight">
                Preflight
              </Link>
              <Suspense fallback={null}>
                <SessionNav demo={demo} />
              </Suspense>
            </nav>
          </header>
          <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 focus:outline-none">
            {children}
          </main>
        </ZoneProvider>
      </body>
    </html>
  );
}
