import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { withDatabasePage } from "@/components/outage/with-database";
import { CoverageSection } from "@/components/tests/coverage-section";
import { SuiteDetail, SuitesTable } from "@/components/tests/suite-parts";
import { Section } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getCoverageViews } from "@/lib/queries/artefacts";
import { getTestsView, TREND_RUNS } from "@/lib/queries/evidence";

export const metadata: Metadata = { title: "Tests" };

async function TestsPage() {
  await connection();
  await requireUser();
  const { config } = getConfig();
  const at = new Date();
  const [view, coverage] = await Promise.all([
    getTestsView(getPrisma(), config, at),
    getCoverageViews(getPrisma(), config, at),
  ]);
  const now = view.generatedAt;
  // Suite names may hold spaces and slashes: ids are by position.
  const anchor = new Map(view.suites.map((s, i) => [s.suite, `suite-${i + 1}`]));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Tests</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          JUnit reports pushed by CI or{" "}
          <Link href="/evidence" className="underline underline-offset-2">
            uploaded
          </Link>
          , per suite: the latest run judged against its scorecard threshold, the pass-rate trend of the last{" "}
          {TREND_RUNS} runs, tests that passed only on a retry, and the latest failures.
        </p>
      </div>

      {view.suites.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          No test results yet, and no <code className="font-mono">testSuite</code> check on the scorecard. Push a JUnit
          report from CI or{" "}
          <Link href="/evidence" className="underline underline-offset-2">
            upload one
          </Link>
          .
        </p>
      ) : (
        <Section id="suites" title="Suites" className="space-y-2">
          <SuitesTable suites={view.suites} anchor={anchor} now={now} />
        </Section>
      )}

      <CoverageSection views={coverage} now={now} />

      {view.suites
        .filter((s) => s.latest)
        .map((s) => (
          <SuiteDetail key={s.suite} s={s} id={anchor.get(s.suite) ?? ""} />
        ))}
    </div>
  );
}

export default withDatabasePage(TestsPage);
