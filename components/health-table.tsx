import type { ComponentHealth } from "@/lib/queries/components";
import { formatAgo, formatLatency, formatPercent, formatSince } from "@/lib/format";
import { StatusBadge } from "./ui/status-badge";

/** Reference section 1.1: component health, one row per configured component. */
export function HealthTable({ components, now }: { components: ComponentHealth[]; now: Date }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full min-w-[52rem] text-left text-sm">
        <caption className="sr-only">Component health</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">Component</th>
            <th scope="col" className="px-3 py-2">Service</th>
            <th scope="col" className="px-3 py-2">Status</th>
            <th scope="col" className="px-3 py-2">In this state for</th>
            <th scope="col" className="px-3 py-2">
              <abbr title="Time-weighted over the last 24 hours, gaps and maintenance excluded">Uptime 24 h</abbr>
            </th>
            <th scope="col" className="px-3 py-2">
              <abbr title="95th percentile of successful checks over the last 24 hours">p95 24 h</abbr>
            </th>
            <th scope="col" className="px-3 py-2">Health check</th>
            <th scope="col" className="px-3 py-2">Last checked</th>
          </tr>
        </thead>
        <tbody>
          {components.map((c) => (
            <tr key={c.id} data-component={c.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <th scope="row" className="px-3 py-2 font-semibold">{c.name}</th>
              <td className="px-3 py-2">{c.service}</td>
              <td className="px-3 py-2">
                <StatusBadge status={c.status} />
                {c.observedStatus !== c.status && c.observedStatus !== "unknown" ? (
                  <div className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid="observed">
                    last check: {c.observedStatus}, confirming
                  </div>
                ) : null}
                {c.maintenance ? <div className="mt-1 text-xs text-sky-800 dark:text-sky-300">maintenance: {c.maintenance}</div> : null}
              </td>
              <td className="px-3 py-2 tabular-nums">{formatSince(c.since, now)}</td>
              <td className="px-3 py-2 tabular-nums">{formatPercent(c.uptime["24h"])}</td>
              <td className="px-3 py-2 tabular-nums">{formatLatency(c.latency24h.p95Ms)}</td>
              <td className="px-3 py-2">
                <span className="font-mono text-xs">{c.lastDetail ?? "no reply"}</span>
                <span className="text-slate-500 dark:text-slate-400"> · {formatLatency(c.lastLatencyMs)}</span>
                {c.lastError ? (
                  <div className="text-xs text-red-700 dark:text-red-300">{c.lastError}</div>
                ) : null}
              </td>
              <td className="px-3 py-2 tabular-nums">
                {c.lastCheckedAt ? <time dateTime={c.lastCheckedAt}>{formatAgo(c.lastCheckedAt, now)}</time> : "never"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
