import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ReadinessTrendChart } from "@/components/charts/readiness-trend-chart";
import { ObservedAge, Source } from "@/components/ui/provenance";
import { LocalTime } from "@/components/ui/local-time";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatScore, ScoreBar } from "@/components/ui/score";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import type { CheckResult } from "@/lib/readiness/evaluate";
import { describeFigures, judgeGate } from "@/lib/readiness/gate";
import { formatPoints } from "@/lib/format";
import { snapshotTrend } from "@/lib/readiness/snapshot";
import { describeTrend } from "@/lib/readiness/trend";
import { refreshReadiness } from "@/lib/services/readiness/refresh";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Scorecard" };

const TREND_DAYS = 30;
const KIND_LABEL: Record<CheckResult["kind"], string> = {
  componentUp: "probe",
  uptime: "uptime",
  baseline: "baseline",
  testSuite: "JUnit",
  loadTest: "k6",
  coverage: "coverage",
  scan: "SARIF",
  vulnerabilities: "vulnerabilities",
  sbom: "SBOM",
  manifests: "manifests",
  compose: "compose",
  chaos: "chaos",
  promql: "PromQL",
  attestation: "attestation",
  check: "check",
};

function NotConfigured() {
  return (
    <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
      No scorecard is configured. Add a <code className="font-mono">scorecard:</code> section to the configuration (categories with weights, each with
      checks of the kinds {Object.keys(KIND_LABEL).map((kind, i, all) => (
        <span key={kind}>
          <code className="font-mono">{kind}</code>
          {i < all.length - 2 ? ", " : i === all.length - 2 ? " or " : ""}
        </span>
      ))}
      ; docs/configuration.md describes each); the shipped <code className="font-mono">preflight.config.yaml</code> has
      one to start from.
    </p>
  );
}

function ChecksTable({ name, checks, now }: { name: string; checks: CheckResult[]; now: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Checks of {name}: verdict, measured value, threshold, source and age</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">Verdict</th>
            <th scope="col" className="px-3 py-2">Check</th>
            <th scope="col" className="px-3 py-2">Measured</th>
            <th scope="col" className="px-3 py-2">Threshold</th>
            <th scope="col" className="px-3 py-2">Source · age</th>
          </tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={c.id} id={`check-${c.id}`} data-check={c.id} data-verdict={c.verdict} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
              <td className="px-3 py-2"><VerdictBadge verdict={c.verdict} /></td>
              <th scope="row" className="px-3 py-2 font-medium">
                {c.name}
                {c.critical ? <CriticalMark /> : null}
                <div className="text-xs font-normal text-slate-500 dark:text-slate-400">
                  {KIND_LABEL[c.kind]} · weight {c.weight}
                </div>
                {c.reason ? (
                  <div className={`mt-1 text-xs font-normal ${c.verdict === "failed" ? "text-red-800 dark:text-red-300" : "text-slate-600 dark:text-slate-300"}`}>
                    {c.verdict === "waived" ? "" : "Why: "}
                    {c.reason}
                  </div>
                ) : null}
              </th>
              <td className="px-3 py-2 tabular-nums" data-testid="check-measured">{c.measured ?? <span className="text-slate-500 dark:text-slate-400">no evidence</span>}</td>
              <td className="px-3 py-2">{c.threshold}</td>
              <td className="max-w-sm min-w-48 px-3 py-2 text-xs text-slate-600 dark:text-slate-300">
                <Source source={c.source} evidenceUrl={c.evidenceUrl} />
                <div><ObservedAge at={c.observedAt} now={now} /></div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

async function ScorecardPage() {
  await connection();
  await requireUser();
  const prisma = getPrisma();
  const { config } = getConfig();
  const now = new Date();
  // Evaluating here also stores a snapshot when a verdict changed (or an hour passed), so the hash shown below
  // is the one that stands for the verdicts on this page.
  const view = await refreshReadiness({ prisma, config }, now);
  const trend = await snapshotTrend(prisma, new Date(now.getTime() - TREND_DAYS * 86_400_000));
  const { result } = view;
  const nowIso = result.evaluatedAt;

  if (!view.configured) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-bold tracking-tight">Scorecard</h1>
        <NotConfigured />
      </div>
    );
  }

  const gate = judgeGate(result, view.gateMinPct);
  const trendText = describeTrend(trend, TREND_DAYS, view.gateMinPct);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Scorecard</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Evaluated <LocalTime iso={nowIso} /> from live probes and CI evidence. Each category scores the weighted share of its passed checks (waived ones
          leave the count, pending ones stay in it); every verdict shows the value it was judged on, its source and its age.
        </p>
      </div>

      <section aria-labelledby="overall-heading" className="grid gap-4 md:grid-cols-[minmax(0,16rem)_1fr]">
        <div className={`rounded-lg border p-4 ${gate.passed ? "border-emerald-300 bg-emerald-50 dark:border-emerald-800 dark:bg-emerald-950" : "border-red-300 bg-red-50 dark:border-red-800 dark:bg-red-950"}`}>
          <h2 id="overall-heading" className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-300">Overall readiness</h2>
          <p className="text-4xl font-bold tabular-nums" data-testid="overall-score">{formatScore(result.overallPct)}</p>
          <p className="mt-1 font-semibold" data-testid="gate-verdict">
            <span aria-hidden="true">{gate.passed ? "✓ " : "✕ "}</span>
            {gate.passed ? "Ready for the gate" : "Blocked at the gate"}
          </p>
          <p className="text-xs text-slate-600 dark:text-slate-300">The gate needs {gate.minScorePct} % and every critical check passed.</p>
        </div>
        <div className="space-y-3">
          {gate.reasons.length > 0 ? (
            <div>
              <h3 className="text-sm font-semibold">What blocks the gate</h3>
              <ul className="list-disc space-y-0.5 pl-5 text-sm" data-testid="gate-reasons">
                {gate.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-sm">The score reaches the minimum and no critical check or criterion is failed or pending.</p>
          )}
          <div>
            <h3 className="text-sm font-semibold">Blockers ({result.blockers.length})</h3>
            {result.blockers.length === 0 ? (
              <p className="text-sm">None: every critical check and criterion has passed (or is waived).</p>
            ) : (
              <ul className="space-y-1 text-sm" data-testid="blockers">
                {result.blockers.map((b) => (
                  <li key={`${b.category ?? "criterion"}-${b.id}`} className="flex flex-wrap items-baseline gap-2">
                    <VerdictBadge verdict={b.verdict} />
                    {b.category === null ? (
                      <Link href="/criteria" className="underline underline-offset-2">{b.name}</Link>
                    ) : (
                      <a href={`#check-${b.id}`} className="underline underline-offset-2">{b.name}</a>
                    )}
                    <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="blocker-figures">{b.category === null ? "criterion" : "check"}: {describeFigures(b)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="snapshot">
            {view.snapshot ? (
              <>
                Snapshot <code className="font-mono" title={view.snapshot.hash}>{view.snapshot.hash.slice(0, 12)}</code> (SHA-256 of the result as stored), taken{" "}
                <RelativeTime iso={view.snapshot.takenAt} serverNow={nowIso} />
                {view.stored ? ", by this visit" : ""}: stored when a verdict changes and at least hourly.
              </>
            ) : (
              "No snapshot stored yet."
            )}
          </p>
        </div>
      </section>

      <section aria-labelledby="categories-heading" className="space-y-3">
        <h2 id="categories-heading" className="text-lg font-semibold">Categories</h2>
        <ul className="grid gap-2 sm:grid-cols-2" data-testid="category-bars">
          {result.categories.map((c) => (
            <li key={c.id} className="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
              <div className="flex items-baseline justify-between gap-2 text-sm">
                <a href={`#category-${c.id}`} className="font-medium underline-offset-2 hover:underline">{c.name}</a>
                <span className="font-semibold tabular-nums">{formatScore(c.scorePct)}</span>
              </div>
              <ScoreBar pct={c.scorePct} gatePct={view.gateMinPct} />
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">
                {c.passed} of {c.counted} checks passed · weight {c.weight}
              </p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="gaps-heading" className="space-y-2">
        <h2 id="gaps-heading" className="text-lg font-semibold">What keeps this from 100 %</h2>
        {result.gaps.length === 0 ? (
          <p className="text-sm">Nothing: every counted check has passed.</p>
        ) : (
          <ol className="space-y-1 text-sm" data-testid="gaps">
            {result.gaps.map((g) => (
              <li key={`${g.check.category}-${g.check.id}`} className="flex flex-wrap items-baseline gap-2">
                <span className="w-24 shrink-0 font-semibold tabular-nums">−{formatPoints(g.pointsPct)}</span>
                <VerdictBadge verdict={g.check.verdict} />
                <a href={`#check-${g.check.id}`} className="underline underline-offset-2">{g.check.name}</a>
                {g.check.critical ? <CriticalMark /> : null}
                <span className="text-xs text-slate-600 dark:text-slate-300">{describeFigures(g.check)}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="trend-heading" className="space-y-2">
        <h2 id="trend-heading" className="text-lg font-semibold">Trend</h2>
        <p className="text-xs text-slate-600 dark:text-slate-300">{trendText} Source: stored readiness snapshots.</p>
        <div className="rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
          <ReadinessTrendChart points={trend} gateMinPct={view.gateMinPct} label={trendText} />
        </div>
      </section>

      <section aria-labelledby="checks-heading" className="space-y-6">
        <h2 id="checks-heading" className="text-lg font-semibold">Checks by category</h2>
        {result.categories.map((category) => (
          <section key={category.id} aria-labelledby={`category-${category.id}`} className="space-y-2">
            <h3 id={`category-${category.id}`} className="font-semibold">
              {category.name} <span className="font-normal text-slate-600 dark:text-slate-300">· {formatScore(category.scorePct)} · {category.passed}/{category.counted} passed · weight {category.weight}</span>
            </h3>
            <ChecksTable name={category.name} checks={result.checks.filter((c) => c.category === category.id)} now={nowIso} />
          </section>
        ))}
      </section>
    </div>
  );
}

export default withDatabasePage(ScorecardPage);
