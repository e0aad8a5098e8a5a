import type { Metadata } from "next";
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import { Suspense } from "react";
import { UserMenu } from "@/components/user-menu";
import { ZoneProvider } from "@/components/ui/zone-context";
import { ZoneSync } from "@/components/zone-sync";
import type { TActor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/session";
import { explainFailure, knownDatabaseOutage } from "@/lib/db/outage";
import { getEnv } from "@/lib/env";
import { getViewerZone } from "@/lib/viewer/zone";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Preflight", template: "%s · Preflight" },
  description: "Production readiness, measured.",
};

const NAV_LINK = "text-sm text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white";
const NAV: [href: string, label: string][] = [
  ["/", "Overview"],
  ["/baselines", "Baselines"],
  ["/scorecard", "Scorecard"],
  ["/criteria", "Criteria"],
  ["/tests", "Tests"],
  ["/load-chaos", "Load & chaos"],
  ["/security", "Security"],
  ["/infrastructure", "Infrastructure"],
  ["/evidence", "Evidence"],
  ["/plan", "Plan"],
  ["/risks", "Risks"],
  ["/signoff", "Sign-off"],
  ["/report", "Report"],
];

const ACCOUNT_UNAVAILABLE = (
  <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="account-unavailable">
    Account unavailable: the database does not answer
  </span>
);

/**
 * The signed-in person's menu, streamed in after the nav so the session lookup does not hold the page back. While
 * the database is down no session can be read: it says so, rather than "Sign in" or the framework's error page
 * (this is the root layout: an error here would take every page down with it).
 */
async function SessionMenu() {
  let actor: TActor | null;
  try {
    actor = await getActor();
  } catch (error) {
    unstable_rethrow(error);
    if (await explainFailure()) return ACCOUNT_UNAVAILABLE;
    throw error;
  }
  if (!actor && (await knownDatabaseOutage())) return ACCOUNT_UNAVAILABLE;
  return <UserMenu actor={actor} />;
}

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  const demo = Boolean(getEnv().PREFLIGHT_DEMO_CONTROL_URL);
  const zone = await getViewerZone();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <ZoneSync serverZone={zone} />
        <ZoneProvider zone={zone}>
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
            {NAV.map(([href, label]) => (
              <Link key={href} href={href} className={NAV_LINK}>
                {label}
              </Link>
            ))}
            {demo ? (
              <Link href="/demo" className={NAV_LINK}>
                Demo controls
              </Link>
            ) : null}
            <div className="ml-auto">
              {/* Streams in after the nav: the session lookup does not hold the page back. */}
              <Suspense fallback={null}>
                <SessionMenu />
              </Suspense>
            </div>
          </nav>
        </header>
        <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
        </ZoneProvider>
      </body>
    </html>
  );
}
