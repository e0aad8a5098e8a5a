import type { Metadata } from "next";
import { connection } from "next/server";
import { Figure, LiveProvider, LiveRefresh } from "@/components/live/live-refresh";
import { LocalTime } from "@/components/ui/local-time";
import { formatMeasure, formatNumber, formatPercent } from "@/lib/format";
import { getBaselines } from "@/lib/queries/baselines";
import { isWorkerReachable } from "@/lib/queries/live";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Performance baselines" };

const VERDICT_STYLE = {
  pass: { icon: "✓", text: "Pass", className: "text-emerald-800 dark:text-emerald-300" },
  fail: { icon: "✕", text: "Fail", className: "text-red-800 dark:text-red-300" },
  "no data": { icon: "?", text: "No data", className: "text-slate-600 dark:text-slate-300" },
} as const;

function VerdictCell({ verdict }: { verdict: keyof typeof VERDICT_STYLE }) {
  const style = VERDICT_STYLE[verdict];
  return (
    <span data-verdict={verdict} className={`font-semibold ${style.className}`}>
      <span aria-hidden="true">{style.icon} </span>
      {style.text}
    </span>
  );
}

async function BaselinesPage() {
  await connection();
  await requireUser();
  const readAt = new Date().toISOString();
  const [view, workerReachable] = await Promise.all([getBaselines(), isWorkerReachable()]);
  return (
    <LiveProvider renderedAt={readAt} workerReachable={workerReachable} pollMs={15_000}>
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Performance baselines</h1>
          <p className="text-sm text-slate-600 dark:text-slate-300">Each figure is measured now, with its source and window; none is typed in.</p>
        </div>
        <LiveRefresh />
      </div>

      {view.rows.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          No baselines declared. Add a <code className="font-mono">baselines:</code> section to the configuration: each baseline names a source (a
          component&apos;s probe history or PromQL queries) and targets such as <code className="font-mono">p95Ms: 200</code>.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="baselines">
            <caption className="sr-only">Performance baselines: measured value, target and verdict</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-3 py-2">Baseline</th>
                <th scope="col" className="px-3 py-2">Figure</th>
                <th scope="col" className="px-3 py-2">Measured</th>
                <th scope="col" className="px-3 py-2">Target</th>
                <th scope="col" className="px-3 py-2">Verdict</th>
                <th scope="col" className="hidden px-3 py-2 md:table-cell">Window · source</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row) => (
                <tr key={`${row.baselineId}-${row.metric}`} data-baseline={row.baselineId} data-metric={row.metric} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
                  <th scope="row" className="px-3 py-2 font-medium">{row.baseline}</th>
                  <td className="px-3 py-2">{row.label}</td>
                  <td className="px-3 py-2 tabular-nums">
                    <Figure>
                      {row.measured === null ? <span className="text-slate-500 dark:text-slate-400">no data: {row.reason}</span> : <span data-testid="measured">{row.display}</span>}
                    </Figure>
                  </td>
                  <td className="px-3 py-2 tabular-nums">{row.target}</td>
                  <td className="px-3 py-2"><Figure><VerdictCell verdict={row.verdict} /></Figure></td>
                  <td className="hidden px-3 py-2 text-xs text-slate-600 md:table-cell dark:text-slate-300">
                    {row.window} · {row.source}
                    {row.observedAt ? <> · read <LocalTime iso={row.observedAt} /></> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {view.resources ? (
        <section aria-labelledby="resources-heading" className="space-y-2">
          <h2 id="resources-heading" className="text-lg font-semibold">Resource utilisation</h2>
          <p className="text-xs text-slate-600 dark:text-slate-300">
            Usage against limits per container, now, from {view.resources.source}; above {formatPercent(view.resources.maxUtilisationPct)} of a limit fails.
          </p>
          {view.resources.error ? (
            <p role="status" className="text-sm text-amber-900 dark:text-amber-200">No data: {view.resources.error}</p>
          ) : null}
          {view.resources.rows.length > 0 ? (
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
              <table className="w-full text-left text-sm" data-testid="resources">
                <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
                  <tr>
                    <th scope="col" className="px-3 py-2">Container</th>
                    <th scope="col" className="px-3 py-2">Resource</th>
                    <th scope="col" className="px-3 py-2">Used of limit</th>
                    <th scope="col" className="px-3 py-2">Utilisation</th>
                    <th scope="col" className="px-3 py-2">Headroom</th>
                    <th scope="col" className="px-3 py-2">Verdict</th>
                  </tr>
                </thead>
                <tbody>
                  {view.resources.rows.map((r) => (
                    <tr key={`${r.container}-${r.resource}`} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                      <th scope="row" className="px-3 py-2 font-medium">{r.container}</th>
                      <td className="px-3 py-2">{r.resource === "cpu" ? "CPU" : "Memory"}</td>
                      <td className="px-3 py-2 tabular-nums">
                        <Figure>{formatMeasure(r.usage, r.unit)} of {formatMeasure(r.limit, r.unit)}</Figure>
                      </td>
                      <td className="px-3 py-2 tabular-nums"><Figure>{formatPercent(r.utilisationPct)}</Figure></td>
                      <td className="px-3 py-2 tabular-nums">
                        <Figure>{formatMeasure(r.headroom, r.unit)} ({formatNumber(r.limit / Math.max(r.usage, 1e-9))}× current use)</Figure>
                      </td>
                      <td className="px-3 py-2"><Figure><VerdictCell verdict={r.verdict} /></Figure></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
    </LiveProvider>
  );
}

export default withDatabasePage(BaselinesPage);
