import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ObservedAge } from "@/components/ui/provenance";
import { LocalTime } from "@/components/ui/local-time";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { getConfig } from "@/lib/config/current";
import { formatDuration } from "@/lib/format";
import { getPrisma } from "@/lib/db/client";
import { formatLatency, formatNumber } from "@/lib/format";
import { CHAOS_RUNS, getLoadChaosView, LOAD_RUNS, type TCheckJudgement, type TLoadRun } from "@/lib/queries/evidence";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Load & chaos" };

const th = "px-3 py-2";
const thead = "border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400";
const row = "border-b border-slate-100 align-top last:border-0 dark:border-slate-800";
const muted = "text-xs text-slate-600 dark:text-slate-300";

function Judgements({ checks, none }: { checks: TCheckJudgement[]; none: React.ReactNode }) {
  if (checks.length === 0) return <>{none}</>;
  return (
    <ul className="space-y-1">
      {checks.map((c) => (
        <li key={c.checkId}>
          <VerdictBadge verdict={c.verdict} />
          {c.critical ? <CriticalMark /> : null}
          <div className={muted}>{c.checkName}</div>
          {c.reason && c.verdict !== "passed" ? <div className={muted}>{c.reason}</div> : null}
        </li>
      ))}
    </ul>
  );
}

function OwnVerdict({ run }: { run: TLoadRun }) {
  if (run.allThresholdsPassed === null) return <span className={muted}>no threshold verdict in the summary</span>;
  return (
    <span className={`font-semibold ${run.allThresholdsPassed ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}>
      <span aria-hidden="true">{run.allThresholdsPassed ? "✓ " : "✕ "}</span>
      {run.allThresholdsPassed ? "all thresholds passed" : "thresholds failed"}
    </span>
  );
}

const ms = (v: number | null) => formatLatency(v);

async function LoadChaosPage() {
  await connection();
  await requireUser();
  const { config } = getConfig();
  const view = await getLoadChaosView(getPrisma(), config, new Date());
  const now = view.generatedAt;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Load &amp; chaos</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          k6 summaries judged against their own thresholds, and chaos experiments whose recovery time is measured from Preflight&apos;s probe history (the
          first confirmed-up check after the fault ended), not taken from the chaos tool. Evaluated <LocalTime iso={now} />.
        </p>
      </div>

      <section aria-labelledby="load-heading" className="space-y-4">
        <h2 id="load-heading" className="text-lg font-semibold">Load tests</h2>
        {view.loadTests.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
            No k6 summary received yet, and no <code className="font-mono">loadTest</code> check on the scorecard. Push one from CI or{" "}
            <Link href="/evidence" className="underline underline-offset-2">upload it</Link>.
          </p>
        ) : null}
        {view.loadTests.map((test, index) => (
          <section key={test.test} aria-labelledby={`load-${index}`} className="space-y-2" data-load-test={test.test}>
            <h3 id={`load-${index}`} className="font-semibold">
              {test.test}{" "}
              <span className="font-normal text-slate-600 dark:text-slate-300">
                · {test.runs.length === 0 ? "no run received" : `last ${test.runs.length} of up to ${LOAD_RUNS} runs, newest first`}
                {test.configured ? "" : " · not on the scorecard"}
              </span>
            </h3>
            {test.runs.length === 0 ? (
              <p className="text-sm">
                <VerdictBadge verdict="pending" /> The scorecard names this test, but no summary has been received.
              </p>
            ) : (
              <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">k6 runs of {test.test}: latency, error rate, throughput, checks and each threshold&apos;s verdict</caption>
                  <thead className={thead}>
                    <tr>
                      <th scope="col" className={th}>Run</th>
                      <th scope="col" className={th}>
                        <abbr title="http_req_duration percentiles: 50th, 90th, 95th, 99th">p50 / p90 / p95 / p99</abbr>
                      </th>
                      <th scope="col" className={th}>Avg / max</th>
                      <th scope="col" className={th}>Errors</th>
                      <th scope="col" className={th}>Rate</th>
                      <th scope="col" className={th}>Checks</th>
                      <th scope="col" className={th}>Thresholds</th>
                      <th scope="col" className={th}>Scorecard</th>
                    </tr>
                  </thead>
                  <tbody>
                    {test.runs.map((r) => (
                      <tr key={r.id} data-run={r.id} className={row}>
                        <th scope="row" className={`${th} font-normal`}>
                          <span className="font-medium">#{r.id}</span>
                          <div className={muted}>
                            <ObservedAge at={r.receivedAt} now={now} verb="received" />
                          </div>
                          <div className={muted}>
                            {r.source} · {r.shape}
                            {r.durationS !== null ? ` · ran ${formatDuration(r.durationS * 1000)}` : ""}
                          </div>
                        </th>
                        <td className={`${th} whitespace-nowrap tabular-nums`}>
                          {ms(r.p50Ms)} / {ms(r.p90Ms)} / {ms(r.p95Ms)} / {r.p99Ms === null ? <abbr title="this summary shape carries no p99">—</abbr> : ms(r.p99Ms)}
                        </td>
                        <td className={`${th} whitespace-nowrap tabular-nums`}>{ms(r.avgMs)} / {ms(r.maxMs)}</td>
                        <td className={`${th} tabular-nums`}>{r.errorRatePct === null ? "—" : `${formatNumber(r.errorRatePct)} %`}</td>
                        <td className={`${th} whitespace-nowrap tabular-nums`}>{r.requestRatePerS === null ? "—" : `${formatNumber(r.requestRatePerS)} req/s`}</td>
                        <td className={`${th} whitespace-nowrap tabular-nums`}>
                          {r.checksPassed === null && r.checksFailed === null ? "—" : `${r.checksPassed ?? 0} passed, ${r.checksFailed ?? 0} failed`}
                        </td>
                        <td className={th}>
                          <OwnVerdict run={r} />
                          {r.thresholds.length > 0 ? (
                            <ul className="mt-1 space-y-0.5 text-xs">
                              {r.thresholds.map((t) => (
                                <li key={`${t.metric}-${t.name}`} data-threshold-passed={t.passed} className={t.passed ? "" : "font-semibold text-red-800 dark:text-red-300"}>
                                  <span aria-hidden="true">{t.passed ? "✓" : "✕"} </span>
                                  <span className="sr-only">{t.passed ? "passed: " : "failed: "}</span>
                                  <span className="font-mono">{t.metric}</span> <span className="font-mono">{t.name}</span>
                                </li>
                              ))}
                            </ul>
                          ) : null}
                        </td>
                        <td className={th}>
                          <Judgements checks={r.checks} none={<span className={muted}>not on the scorecard</span>} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))}
      </section>

      <section aria-labelledby="chaos-heading" className="space-y-3">
        <h2 id="chaos-heading" className="text-lg font-semibold">Chaos experiments</h2>
        <p className={muted}>The last {CHAOS_RUNS} runs, newest first. Recovery: from the end of the fault to the first time the target was confirmed up again.</p>
        {view.chaosRuns.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
            No chaos experiment received yet. Push one from CI or <Link href="/evidence" className="underline underline-offset-2">record it</Link>.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-left text-sm" data-testid="chaos-runs">
              <caption className="sr-only">Chaos experiments: fault, target, measured recovery time, bound and verdict</caption>
              <thead className={thead}>
                <tr>
                  <th scope="col" className={th}>Experiment</th>
                  <th scope="col" className={th}>Fault</th>
                  <th scope="col" className={th}>Fault window</th>
                  <th scope="col" className={th}>Measured recovery</th>
                  <th scope="col" className={th}>Bound</th>
                  <th scope="col" className={th}>Verdict</th>
                </tr>
              </thead>
              <tbody>
                {view.chaosRuns.map((r) => (
                  <tr key={r.id} data-run={r.id} data-experiment={r.name} className={row}>
                    <th scope="row" className={`${th} font-medium`}>
                      {r.name}
                      <div className={`${muted} font-normal`}>
                        #{r.id} from {r.source}
                        {r.toolVerdict ? ` · Litmus verdict ${r.toolVerdict}` : ""}
                      </div>
                    </th>
                    <td className={th}>
                      {r.fault} on <Link href={`/components/${r.target}`} className="underline underline-offset-2">{r.targetName}</Link>
                    </td>
                    <td className={`${th} text-xs`}>
                      <LocalTime iso={r.startedAt} /> for {formatDuration(r.faultDurationS * 1000)}
                      <div className="text-slate-600 dark:text-slate-300">
                        <ObservedAge at={r.endedAt} now={now} verb="ended" />
                      </div>
                    </td>
                    <td className={`${th} tabular-nums`} data-testid="recovery">
                      {r.recoverySeconds === null ? (
                        <>
                          <span className="font-semibold">not recovered</span>
                          <div className={muted}>no confirmed-up check since the fault ended</div>
                        </>
                      ) : (
                        <>
                          <span className="font-semibold">{formatDuration(r.recoverySeconds * 1000)}</span>
                          {r.recoveredAt ? <div className={muted}>up at <LocalTime iso={r.recoveredAt} /></div> : null}
                        </>
                      )}
                      <div className={muted}>from probe history of {r.targetName}</div>
                      {r.expectedRecoveryS !== null ? <div className={muted}>team expected {formatDuration(r.expectedRecoveryS * 1000)}</div> : null}
                    </td>
                    <td className={`${th} whitespace-nowrap`}>
                      {r.checks.length === 0 ? <span className={muted}>none: not on the scorecard</span> : r.checks.map((c) => <div key={c.checkId}>≤ {formatDuration(c.maxRecoveryMs)}</div>)}
                    </td>
                    <td className={th}>
                      <Judgements checks={r.checks} none={<span className={muted}>no bound to judge against</span>} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {view.chaosPending.length > 0 ? (
          <div className="space-y-1">
            <h3 className="text-sm font-semibold">Experiments the scorecard needs that have never run</h3>
            <ul className="space-y-1 text-sm" data-testid="chaos-pending">
              {view.chaosPending.map((p) => (
                <li key={p.checkId} className="flex flex-wrap items-baseline gap-2">
                  <VerdictBadge verdict="pending" />
                  <span className="font-mono">{p.experiment}</span>
                  <span className={muted}>
                    for {p.checkName}, bound ≤ {formatDuration(p.maxRecoveryMs)}
                  </span>
                  {p.critical ? <CriticalMark /> : null}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
    </div>
  );
}

export default withDatabasePage(LoadChaosPage);
