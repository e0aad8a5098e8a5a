import Link from "next/link";
import type { ComponentHealth } from "@/lib/queries/components";
import { formatDuration, formatLatency } from "@/lib/format";
import { Sparkline } from "./charts/sparkline";
import { Figure } from "./live/live-refresh";
import { RelativeTime } from "./ui/relative-time";
import { StatusBadge } from "./ui/status-badge";
import { UptimeValue } from "./ui/uptime-value";
import { TABLE, TABLE_BOX, TD, TH, THEAD, TR } from "./ui/table";

const th = TH;
const wide = "hidden lg:table-cell";
const medium = "hidden sm:table-cell";

/**
 * Reference section 1.1: component health, one row per configured component. Secondary columns give way on narrow
 * screens. A down row is tinted red with a bar at its start, a degraded one amber: the pill alone is easy to miss.
 */
export function HealthTable({ components, now }: { components: ComponentHealth[]; now: string }) {
  return (
    <div className={TABLE_BOX}>
      <table className={TABLE}>
        <caption className="sr-only">
          Component health: status, uptime, latency and last check of every component
        </caption>
        <thead className={THEAD}>
          <tr>
            <th scope="col" className={th}>
              Component
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              Service
            </th>
            <th scope="col" className={th}>
              Status
            </th>
            <th scope="col" className={`${th} ${medium}`}>
              In this state for
            </th>
            <th scope="col" className={th}>
              <abbr title="Time-weighted over the window; unknown time and maintenance excluded">Uptime</abbr>
              <span className="sr-only"> 24 hours</span> <span aria-hidden="true">24 h</span>
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              7 d
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              30 d
            </th>
            <th scope="col" className={`${th} ${medium}`}>
              <abbr title="Latency of successful checks over the last 24 hours: 50th, 95th and 99th percentile">
                p50 / p95 / p99
              </abbr>
            </th>
            <th scope="col" className={`${th} ${wide}`}>
              p95 trend
            </th>
            <th scope="col" className={th}>
              Last check
            </th>
          </tr>
        </thead>
        <tbody>
          {components.map((c) => (
            <tr
              key={c.id}
              data-component={c.id}
              data-down={c.status === "down" ? "" : undefined}
              className={`${TR} ${c.status === "down" ? "bg-red-50 shadow-[inset_4px_0_0_0_var(--color-red-700)] dark:bg-red-950" : c.status === "degraded" ? "bg-amber-50 dark:bg-amber-950" : ""}`}
            >
              <th scope="row" className={`${TD} font-semibold`}>
                <Link href={`/components/${c.id}`} className="underline-offset-2 hover:underline">
                  {c.name}
                </Link>
                <div className="text-xs font-normal text-slate-500 lg:hidden dark:text-slate-400">{c.service}</div>
              </th>
              <td className={`${TD} ${wide}`}>{c.service}</td>
              <td className={TD}>
                <StatusBadge status={c.status} />
                {c.observedStatus !== c.status && c.observedStatus !== "unknown" ? (
                  <div className="mt-1 text-xs text-slate-600 dark:text-slate-300" data-testid="observed">
                    last check: {c.observedStatus}, confirming
                  </div>
                ) : null}
                {c.maintenance ? (
                  <div className="mt-1 text-xs text-sky-800 dark:text-sky-300">maintenance: {c.maintenance}</div>
                ) : null}
              </td>
              <td className={`${TD} tabular-nums ${medium}`} data-testid="in-state">
                <Figure>{c.inStateMs === null ? "—" : formatDuration(c.inStateMs)}</Figure>
              </td>
              <td className={`${TD} tabular-nums`} data-testid="uptime-24h">
                <UptimeValue cell={c.uptime["24h"]} />
              </td>
              <td className={`${TD} tabular-nums ${wide}`}>
                <UptimeValue cell={c.uptime["7d"]} />
              </td>
              <td className={`${TD} tabular-nums ${wide}`}>
                <UptimeValue cell={c.uptime["30d"]} />
              </td>
              <td className={`${TD} tabular-nums whitespace-nowrap ${medium}`}>
                <Figure>
                  {c.latency24h.count > 0
                    ? `${formatLatency(c.latency24h.p50Ms)} / ${formatLatency(c.latency24h.p95Ms)} / ${formatLatency(c.latency24h.p99Ms)}`
                    : "no data yet"}
                </Figure>
              </td>
              <td className={`${TD} text-sky-700 dark:text-sky-300 ${wide}`}>
                <Figure>
                  <Sparkline values={c.sparkline} label={`Hourly p95 latency of ${c.name} over 24 hours`} />
                </Figure>
              </td>
              <td className={`${TD} tabular-nums`}>
                <Figure>
                  <span className="font-mono text-xs">{c.lastDetail ?? "no reply"}</span>
                  <span className="text-slate-500 dark:text-slate-400"> · {formatLatency(c.lastLatencyMs)}</span>
                  {c.lastError ? (
                    <span className="block max-w-xs text-xs break-words text-red-700 dark:text-red-300">
                      {c.lastError}
                    </span>
                  ) : null}
                  <span className="block text-xs text-slate-500 dark:text-slate-400">
                    {c.lastCheckedAt ? <RelativeTime iso={c.lastCheckedAt} serverNow={now} /> : "never checked"}
                  </span>
                </Figure>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
