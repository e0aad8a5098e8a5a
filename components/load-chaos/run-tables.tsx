import Link from "next/link";
import type { ReactNode } from "react";
import { LocalTime } from "@/components/ui/local-time";
import { ObservedAge } from "@/components/ui/provenance";
import { Table } from "@/components/ui/table";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { formatDuration, formatLatency, formatNumber } from "@/lib/format";
import type { getLoadChaosView, TCheckJudgement, TLoadRun } from "@/lib/queries/evidence";

// The load & chaos page's tables: the k6 runs of one load test, and the chaos experiments.

type TChaosRun = Awaited<ReturnType<typeof getLoadChaosView>>["chaosRuns"][number];

export const muted = "text-xs text-slate-600 dark:text-slate-300";
const ms = (v: number | null) => formatLatency(v);
const nowrap = "md:whitespace-nowrap tabular-nums";

export function Judgements({ checks, none }: { checks: TCheckJudgement[]; none: ReactNode }) {
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
    <span
      className={`font-semibold ${run.allThresholdsPassed ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}
    >
      <span aria-hidden="true">{run.allThresholdsPassed ? "✓ " : "✕ "}</span>
      {run.allThresholdsPassed ? "all thresholds passed" : "thresholds failed"}
    </span>
  );
}

export function LoadRunsTable({ test, runs, now }: { test: string; runs: TLoadRun[]; now: string }) {
  return (
    <Table
      caption={`k6 runs of ${test}: latency, error rate, throughput, checks and each threshold's verdict`}
      captionHidden
      rows={runs}
      rowKey={(r) => String(r.id)}
      rowProps={(r) => ({ "data-run": r.id })}
      columns={[
        {
          key: "run",
          header: "Run",
          primary: true,
          className: "font-normal",
          cell: (r) => (
            <>
              <span className="font-medium">#{r.id}</span>
              <div className={muted}>
                <ObservedAge at={r.receivedAt} now={now} verb="received" />
              </div>
              <div className={muted}>
                {r.source} · {r.shape}
                {r.durationS !== null ? ` · ran ${formatDuration(r.durationS * 1000)}` : ""}
              </div>
            </>
          ),
        },
        {
          key: "latency",
          header: <abbr title="http_req_duration percentiles: 50th, 90th, 95th, 99th">p50 / p90 / p95 / p99</abbr>,
          label: "p50 / p90 / p95 / p99",
          className: nowrap,
          cell: (r) => (
            <>
              {ms(r.p50Ms)} / {ms(r.p90Ms)} / {ms(r.p95Ms)} /{" "}
              {r.p99Ms === null ? <abbr title="this summary shape carries no p99">—</abbr> : ms(r.p99Ms)}
            </>
          ),
        },
        { key: "avg", header: "Avg / max", className: nowrap, cell: (r) => `${ms(r.avgMs)} / ${ms(r.maxMs)}` },
        {
          key: "errors",
          header: "Errors",
          className: "tabular-nums",
          cell: (r) => (r.errorRatePct === null ? "—" : `${formatNumber(r.errorRatePct)} %`),
        },
        {
          key: "rate",
          header: "Rate",
          className: nowrap,
          cell: (r) => (r.requestRatePerS === null ? "—" : `${formatNumber(r.requestRatePerS)} req/s`),
        },
        {
          key: "checks",
          header: "Checks",
          className: nowrap,
          cell: (r) =>
            r.checksPassed === null && r.checksFailed === null
              ? "—"
              : `${r.checksPassed ?? 0} passed, ${r.checksFailed ?? 0} failed`,
        },
        {
          key: "thresholds",
          header: "Thresholds",
          cell: (r) => (
            <>
              <OwnVerdict run={r} />
              {r.thresholds.length > 0 ? (
                <ul className="mt-1 space-y-0.5 text-xs">
                  {r.thresholds.map((t) => (
                    <li
                      key={`${t.metric}-${t.name}`}
                      data-threshold-passed={t.passed}
                      className={`relative ${t.passed ? "" : "font-semibold text-red-800 dark:text-red-300"}`}
                    >
                      <span aria-hidden="true">{t.passed ? "✓" : "✕"} </span>
                      <span className="sr-only">{t.passed ? "passed: " : "failed: "}</span>
                      <span className="font-mono">{t.metric}</span> <span className="font-mono">{t.name}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ),
        },
        {
          key: "scorecard",
          header: "Scorecard",
          cell: (r) => <Judgements checks={r.checks} none={<span className={muted}>not on the scorecard</span>} />,
        },
      ]}
    />
  );
}

export function ChaosRunsTable({ runs, now }: { runs: TChaosRun[]; now: string }) {
  return (
    <Table
      data-testid="chaos-runs"
      caption="Chaos experiments: fault, target, measured recovery time, bound and verdict"
      captionHidden
      rows={runs}
      rowKey={(r) => String(r.id)}
      rowProps={(r) => ({ "data-run": r.id, "data-experiment": r.name })}
      columns={[
        {
          key: "experiment",
          header: "Experiment",
          primary: true,
          className: "font-medium",
          cell: (r) => (
            <>
              {r.name}
              <div className={`${muted} font-normal`}>
                #{r.id} from {r.source}
                {r.toolVerdict ? ` · Litmus verdict ${r.toolVerdict}` : ""}
              </div>
            </>
          ),
        },
        {
          key: "fault",
          header: "Fault",
          cell: (r) => (
            <>
              {r.fault} on{" "}
              <Link href={`/components/${r.target}`} className="underline underline-offset-2">
                {r.targetName}
              </Link>
            </>
          ),
        },
        {
          key: "window",
          header: "Fault window",
          className: "text-xs",
          cell: (r) => (
            <>
              <LocalTime iso={r.startedAt} /> for {formatDuration(r.faultDurationS * 1000)}
              <div className="text-slate-600 dark:text-slate-300">
                <ObservedAge at={r.endedAt} now={now} verb="ended" />
              </div>
            </>
          ),
        },
        {
          key: "recovery",
          header: "Measured recovery",
          className: "tabular-nums",
          cell: (r) => (
            <div data-testid="recovery">
              {r.recoverySeconds === null ? (
                <>
                  <span className="font-semibold">not recovered</span>
                  <div className={muted}>no confirmed-up check since the fault ended</div>
                </>
              ) : (
                <>
                  <span className="font-semibold">{formatDuration(r.recoverySeconds * 1000)}</span>
                  {r.recoveredAt ? (
                    <div className={muted}>
                      up at <LocalTime iso={r.recoveredAt} />
                    </div>
                  ) : null}
                </>
              )}
              <div className={muted}>from probe history of {r.targetName}</div>
              {r.expectedRecoveryS !== null ? (
                <div className={muted}>team expected {formatDuration(r.expectedRecoveryS * 1000)}</div>
              ) : null}
            </div>
          ),
        },
        {
          key: "bound",
          header: "Bound",
          className: "md:whitespace-nowrap",
          cell: (r) =>
            r.checks.length === 0 ? (
              <span className={muted}>none: not on the scorecard</span>
            ) : (
              r.checks.map((c) => <div key={c.checkId}>≤ {formatDuration(c.maxRecoveryMs)}</div>)
            ),
        },
        {
          key: "verdict",
          header: "Verdict",
          cell: (r) => <Judgements checks={r.checks} none={<span className={muted}>no bound to judge against</span>} />,
        },
      ]}
    />
  );
}
