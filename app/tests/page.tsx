import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Sparkline } from "@/components/charts/sparkline";
import { ObservedAge } from "@/components/ui/provenance";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { getConfig } from "@/lib/config/current";
import { formatDuration } from "@/lib/config/duration";
import { getPrisma } from "@/lib/db/client";
import { FLAKY_WINDOW_RUNS, getTestsView, TREND_RUNS, type TSuiteView } from "@/lib/queries/evidence";
import { COVERAGE_TREND_RUNS, getCoverageViews, type TCoverageView } from "@/lib/queries/artefacts";
import { ArtefactChecks, ArtefactSource } from "@/components/artefacts/artefact-parts";
import { requireUser } from "@/lib/auth/session";
import { formatPercent } from "@/lib/format";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Tests" };

const pct = (n: number | null) => (n === null ? "no cases" : formatPercent(n));

function trendSummary(s: TSuiteView): string {
  const rates = s.trend.map((t) => t.passRatePct).filter((v): v is number => v !== null);
  if (rates.length === 0) return "no runs with test cases";
  return `pass rate over the last ${s.trend.length} run${s.trend.length === 1 ? "" : "s"}: from ${pct(rates[0] ?? null)} to ${pct(rates.at(-1) ?? null)}, lowest ${pct(Math.min(...rates))}`;
}

function SuiteThreshold({ s }: { s: TSuiteView }) {
  if (s.checks.length === 0) return <span className="text-slate-500 dark:text-slate-400">not on the scorecard</span>;
  return (
    <ul className="space-y-1">
      {s.checks.map((c) => (
        <li key={c.checkId}>
          <VerdictBadge verdict={c.verdict} /> <span className="whitespace-nowrap">{c.threshold}</span>
          {c.critical ? <CriticalMark /> : null}
          <div className="text-xs text-slate-600 dark:text-slate-300">
            {c.checkName}
            {c.maxAgeMs !== null ? ` · counts for ${formatDuration(c.maxAgeMs)}` : ""}
            {c.stale ? <strong className="text-amber-900 dark:text-amber-200"> · stale</strong> : null}
          </div>
          {c.reason && c.verdict !== "passed" ? <div className="text-xs text-slate-600 dark:text-slate-300">{c.reason}</div> : null}
        </li>
      ))}
    </ul>
  );
}

function coverageTrend(v: TCoverageView): string {
  const rates = v.trend.map((t) => t.lineRatePct).filter((r): r is number => r !== null);
  if (rates.length === 0) return "no report with lines to cover";
  return `line coverage over the last ${v.trend.length} report${v.trend.length === 1 ? "" : "s"}: from ${pct(rates[0] ?? null)} to ${pct(rates.at(-1) ?? null)}`;
}

function CoverageSection({ views, now }: { views: TCoverageView[]; now: string }) {
  return (
    <section aria-labelledby="coverage-heading" className="space-y-3">
      <h2 id="coverage-heading" className="text-lg font-semibold">Coverage</h2>
      {views.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          No coverage reports yet, and no <code className="font-mono">coverage</code> check on the scorecard. CI pushes Cobertura XML or LCOV to{" "}
          <code className="font-mono">/api/v1/evidence/coverage?project=NAME</code>.
        </p>
      ) : null}
      {views.map((v, i) => (
        <article key={v.project} aria-labelledby={`coverage-${i}`} data-testid="coverage-project" data-project={v.project} className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
          <h3 id={`coverage-${i}`} className="font-semibold">{v.project}</h3>
          <ArtefactSource view={v} what="coverage report" now={now} />
          {v.latest ? (
            <p className="text-sm tabular-nums" data-testid="coverage-figures">
              lines <strong>{pct(v.latest.lineRatePct)}</strong> ({v.latest.lines.covered} of {v.latest.lines.valid})
              {v.latest.branchRatePct !== null ? (
                <>
                  , branches <strong>{pct(v.latest.branchRatePct)}</strong> ({v.latest.branches.covered} of {v.latest.branches.valid})
                </>
              ) : null}{" "}
              · {v.latest.format}, {v.latest.files} files
            </p>
          ) : null}
          <ArtefactChecks checks={v.checks} />
          {v.latest && v.latest.packages.length > 0 ? (
            <details className="text-sm">
              <summary className="cursor-pointer">Per package (the {v.latest.packages.length} largest)</summary>
              <ul className="mt-1 space-y-0.5 text-xs tabular-nums" data-testid="coverage-packages">
                {v.latest.packages.map((p) => (
                  <li key={p.name} className="[overflow-wrap:anywhere]">
                    <span className="font-mono">{p.name}</span>: {pct(p.lineRatePct)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {/* Two points make a line that says nothing about a trend: the chart waits for a third report. */}
          {v.trend.length >= 3 ? (
            <div className="text-sky-700 dark:text-sky-300">
              <Sparkline values={v.trend.map((t) => t.lineRatePct)} label={`${v.project}: ${coverageTrend(v)}`} />
            </div>
          ) : null}
          {v.trend.length > 0 ? <div className="text-xs text-slate-600 dark:text-slate-300">{coverageTrend(v)} (up to {COVERAGE_TREND_RUNS})</div> : null}
        </article>
      ))}
    </section>
  );
}

async function TestsPage() {
  await connection();
  await requireUser();
  const { config } = getConfig();
  const at = new Date();
  const [view, coverage] = await Promise.all([getTestsView(getPrisma(), config, at), getCoverageViews(getPrisma(), config, at)]);
  const now = view.generatedAt;
  // Suite names may hold spaces and slashes: ids are by position.
  const anchor = new Map(view.suites.map((s, i) => [s.suite, `suite-${i + 1}`]));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Tests</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          JUnit reports pushed by CI or <Link href="/evidence" className="underline underline-offset-2">uploaded</Link>, per suite: the latest run judged
          against its scorecard threshold, the pass-rate trend of the last {TREND_RUNS} runs, tests that passed only on a retry, and the latest failures.
        </p>
      </div>

      {view.suites.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          No test results yet, and no <code className="font-mono">testSuite</code> check on the scorecard. Push a JUnit report from CI or{" "}
          <Link href="/evidence" className="underline underline-offset-2">upload one</Link>.
        </p>
      ) : (
        <section aria-labelledby="suites-heading" className="space-y-2">
          <h2 id="suites-heading" className="text-lg font-semibold">Suites</h2>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-left text-sm" data-testid="suites">
              <caption className="sr-only">Test suites: latest run, pass rate against the scorecard threshold, and trend</caption>
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-3 py-2">Suite</th>
                  <th scope="col" className="px-3 py-2">Latest run</th>
                  <th scope="col" className="px-3 py-2">Tests</th>
                  <th scope="col" className="px-3 py-2">Pass rate</th>
                  <th scope="col" className="px-3 py-2">Scorecard threshold</th>
                  <th scope="col" className="px-3 py-2">Trend</th>
                </tr>
              </thead>
              <tbody>
                {view.suites.map((s) => (
                  <tr key={s.suite} data-suite={s.suite} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
                    <th scope="row" className="px-3 py-2 font-medium">
                      <a href={`#${anchor.get(s.suite)}`} className="underline-offset-2 hover:underline">{s.suite}</a>
                      {s.latest ? <div className="text-xs font-normal text-slate-500 dark:text-slate-400">{s.latest.kind}</div> : null}
                    </th>
                    <td className="px-3 py-2 text-xs text-slate-600 dark:text-slate-300">
                      {s.latest ? (
                        <>
                          <div>run #{s.latest.id} from {s.latest.source}</div>
                          <ObservedAge at={s.latest.receivedAt} now={now} verb="received" />
                          {s.latest.durationS !== null ? <div>took {formatDuration(s.latest.durationS * 1000)}</div> : null}
                        </>
                      ) : (
                        <span>no run received</span>
                      )}
                    </td>
                    <td className="px-3 py-2 tabular-nums">
                      {s.latest ? (
                        <>
                          {s.latest.tests}
                          <div className="text-xs text-slate-600 dark:text-slate-300">
                            {s.latest.passed} passed, {s.latest.failed} failed, {s.latest.errors} errors, {s.latest.skipped} skipped, {s.latest.flaky} flaky
                          </div>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="px-3 py-2 font-semibold tabular-nums" data-testid="pass-rate">
                      {s.latest ? pct(s.latest.passRatePct) : <span className="font-normal text-slate-500 dark:text-slate-400">no evidence</span>}
                    </td>
                    <td className="px-3 py-2"><SuiteThreshold s={s} /></td>
                    <td className="px-3 py-2 text-sky-700 dark:text-sky-300">
                      <Sparkline values={s.trend.map((t) => t.passRatePct)} label={`${s.suite}: ${trendSummary(s)}`} />
                      <div className="text-xs text-slate-600 dark:text-slate-300">{s.trend.length} run{s.trend.length === 1 ? "" : "s"}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <CoverageSection views={coverage} now={now} />

      {view.suites
        .filter((s) => s.latest)
        .map((s) => (
          <section key={s.suite} aria-labelledby={anchor.get(s.suite)} className="space-y-3">
            <h2 id={anchor.get(s.suite)} className="text-lg font-semibold">Suite {s.suite}</h2>
            <p className="text-xs text-slate-600 dark:text-slate-300">{trendSummary(s)}.</p>

            <div className="grid gap-4 lg:grid-cols-2">
              <div className="space-y-1">
                <h3 className="text-sm font-semibold">Flaky tests (last {s.flakyWindowRuns} of up to {FLAKY_WINDOW_RUNS} runs)</h3>
                {s.flakyTests.length === 0 ? (
                  <p className="text-sm">None: no test passed only on a retry.</p>
                ) : (
                  <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
                    <table className="w-full text-left text-sm" data-testid="flaky">
                      <caption className="sr-only">Flaky tests of suite {s.suite} over its last {s.flakyWindowRuns} runs</caption>
                      <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
                        <tr>
                          <th scope="col" className="px-3 py-2">Test</th>
                          <th scope="col" className="px-3 py-2">Flaky in</th>
                        </tr>
                      </thead>
                      <tbody>
                        {s.flakyTests.map((f) => (
                          <tr key={f.name} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                            <th scope="row" className="px-3 py-1.5 font-mono text-xs font-normal break-all">{f.name}</th>
                            <td className="px-3 py-1.5 whitespace-nowrap tabular-nums">{f.runs} of {s.flakyWindowRuns} runs</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </div>

              <div className="space-y-1">
                <h3 className="text-sm font-semibold">
                  Failures of the latest run ({(s.latest?.failed ?? 0) + (s.latest?.errors ?? 0)})
                </h3>
                {s.failures.length === 0 ? (
                  <p className="text-sm">None: the latest run had no failed or errored test.</p>
                ) : (
                  <ul className="space-y-1 text-sm" data-testid="failures">
                    {s.failures.map((f, i) => (
                      <li key={`${f.name}-${i}`} className="rounded border border-red-200 bg-white p-2 dark:border-red-900 dark:bg-slate-900">
                        <span aria-hidden="true" className="text-red-700 dark:text-red-300">✕ </span>
                        <span className="font-mono text-xs break-all">{f.name}</span>
                        {f.message ? <pre className="mt-1 max-h-32 overflow-auto text-xs whitespace-pre-wrap text-slate-700 dark:text-slate-300">{f.message}</pre> : null}
                      </li>
                    ))}
                  </ul>
                )}
                {s.latest && s.failures.length < s.latest.failed + s.latest.errors ? (
                  <p className="text-xs text-slate-600 dark:text-slate-300">The first {s.failures.length} are stored; the report had more.</p>
                ) : null}
              </div>
            </div>
          </section>
        ))}
    </div>
  );
}

export default withDatabasePage(TestsPage);
