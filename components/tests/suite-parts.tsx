import { CodeBlock } from "@/components/ui/code-block";
import { Sparkline } from "@/components/charts/sparkline";
import { ObservedAge } from "@/components/ui/provenance";
import { Table } from "@/components/ui/table";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { formatDuration } from "@/lib/config/duration";
import { formatPercent } from "@/lib/format";
import { FLAKY_WINDOW_RUNS, type TSuiteView } from "@/lib/queries/evidence";

// The tests page's suites: the table of every suite, and one section per suite with its flaky tests and failures.

export const pct = (n: number | null) => (n === null ? "no cases" : formatPercent(n));
const muted = "text-xs text-slate-600 dark:text-slate-300";

export function trendSummary(s: TSuiteView): string {
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
          <VerdictBadge verdict={c.verdict} /> <span className="md:whitespace-nowrap">{c.threshold}</span>
          {c.critical ? <CriticalMark /> : null}
          <div className={muted}>
            {c.checkName}
            {c.maxAgeMs !== null ? ` · counts for ${formatDuration(c.maxAgeMs)}` : ""}
            {c.stale ? <strong className="text-amber-900 dark:text-amber-200"> · stale</strong> : null}
          </div>
          {c.reason && c.verdict !== "passed" ? <div className={muted}>{c.reason}</div> : null}
        </li>
      ))}
    </ul>
  );
}

export function SuitesTable({
  suites,
  anchor,
  now,
}: {
  suites: TSuiteView[];
  anchor: Map<string, string>;
  now: string;
}) {
  return (
    <Table
      data-testid="suites"
      caption="Test suites: latest run, pass rate against the scorecard threshold, and trend"
      captionHidden
      rows={suites}
      rowKey={(s) => s.suite}
      rowProps={(s) => ({ "data-suite": s.suite })}
      columns={[
        {
          key: "suite",
          header: "Suite",
          primary: true,
          className: "font-medium",
          cell: (s) => (
            <>
              <a href={`#${anchor.get(s.suite)}`} className="underline-offset-2 hover:underline">
                {s.suite}
              </a>
              {s.latest ? (
                <div className="text-xs font-normal text-slate-500 dark:text-slate-400">{s.latest.kind}</div>
              ) : null}
            </>
          ),
        },
        {
          key: "latest",
          header: "Latest run",
          className: muted,
          cell: (s) =>
            s.latest ? (
              <>
                <div>
                  run #{s.latest.id} from {s.latest.source}
                </div>
                <ObservedAge at={s.latest.receivedAt} now={now} verb="received" />
                {s.latest.durationS !== null ? <div>took {formatDuration(s.latest.durationS * 1000)}</div> : null}
              </>
            ) : (
              <span>no run received</span>
            ),
        },
        {
          key: "tests",
          header: "Tests",
          className: "tabular-nums",
          cell: (s) =>
            s.latest ? (
              <>
                {s.latest.tests}
                <div className={muted}>
                  {s.latest.passed} passed, {s.latest.failed} failed, {s.latest.errors} errors, {s.latest.skipped}{" "}
                  skipped, {s.latest.flaky} flaky
                </div>
              </>
            ) : (
              "—"
            ),
        },
        {
          key: "pass-rate",
          header: "Pass rate",
          className: "font-semibold tabular-nums",
          cell: (s) => (
            <span data-testid="pass-rate">
              {s.latest ? (
                pct(s.latest.passRatePct)
              ) : (
                <span className="font-normal text-slate-500 dark:text-slate-400">no evidence</span>
              )}
            </span>
          ),
        },
        { key: "threshold", header: "Scorecard threshold", cell: (s) => <SuiteThreshold s={s} /> },
        {
          key: "trend",
          header: "Trend",
          className: "text-sky-700 dark:text-sky-300",
          cell: (s) => (
            <>
              <Sparkline values={s.trend.map((t) => t.passRatePct)} label={`${s.suite}: ${trendSummary(s)}`} />
              <div className={muted}>
                {s.trend.length} run{s.trend.length === 1 ? "" : "s"}
              </div>
            </>
          ),
        },
      ]}
    />
  );
}

export function SuiteDetail({ s, id }: { s: TSuiteView; id: string }) {
  const failed = (s.latest?.failed ?? 0) + (s.latest?.errors ?? 0);
  return (
    <section aria-labelledby={id} className="min-w-0 space-y-3">
      <h2 id={id} className="text-lg font-semibold">
        Suite {s.suite}
      </h2>
      <p className={muted}>{trendSummary(s)}.</p>

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="min-w-0 space-y-1">
          <h3 className="text-sm font-semibold">
            Flaky tests (last {s.flakyWindowRuns} of up to {FLAKY_WINDOW_RUNS} runs)
          </h3>
          {s.flakyTests.length === 0 ? (
            <p className="text-sm">None: no test passed only on a retry.</p>
          ) : (
            <Table
              data-testid="flaky"
              caption={`Flaky tests of suite ${s.suite} over its last ${s.flakyWindowRuns} runs`}
              captionHidden
              rows={s.flakyTests}
              rowKey={(f) => f.name}
              columns={[
                {
                  key: "test",
                  header: "Test",
                  primary: true,
                  className: "font-mono text-xs font-normal break-all",
                  cell: (f) => f.name,
                },
                {
                  key: "runs",
                  header: "Flaky in",
                  className: "md:whitespace-nowrap tabular-nums",
                  cell: (f) => `${f.runs} of ${s.flakyWindowRuns} runs`,
                },
              ]}
            />
          )}
        </div>

        <div className="min-w-0 space-y-1">
          <h3 className="text-sm font-semibold">Failures of the latest run ({failed})</h3>
          {s.failures.length === 0 ? (
            <p className="text-sm">None: the latest run had no failed or errored test.</p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="failures">
              {s.failures.map((f, i) => (
                <li
                  key={`${f.name}-${i}`}
                  className="rounded border border-red-200 bg-white p-2 dark:border-red-900 dark:bg-slate-900"
                >
                  <span aria-hidden="true" className="text-red-700 dark:text-red-300">
                    ✕{" "}
                  </span>
                  <span className="font-mono text-xs break-all">{f.name}</span>
                  {f.message ? (
                    <CodeBlock
                      label={`Failure message of ${f.name}`}
                      className="mt-1 max-h-32 overflow-auto text-xs whitespace-pre-wrap text-slate-700 dark:text-slate-300"
                    >
                      {f.message}
                    </CodeBlock>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {s.latest && s.failures.length < s.latest.failed + s.latest.errors ? (
            <p className={muted}>The first {s.failures.length} are stored; the report had more.</p>
          ) : null}
        </div>
      </div>
    </section>
  );
}
