import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { connection } from "next/server";
import { LatencyChart } from "@/components/charts/latency-chart";
import { Figure, LiveProvider, LiveRefresh } from "@/components/live/live-refresh";
import { LocalTime } from "@/components/ui/local-time";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { UptimeBar } from "@/components/uptime-bar";
import { UptimeValue } from "@/components/ui/uptime-value";
import { formatDuration, formatLatency } from "@/lib/format";
import { componentExists, DETAIL_WINDOWS, getComponentDetail, type DetailWindow } from "@/lib/queries/component-detail";
import { isWorkerReachable } from "@/lib/queries/live";
import { ProbeNowButton } from "./client";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ window?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).id };
}

const card = "rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";

async function ComponentPage({ params, searchParams }: Props) {
  await connection();
  await requireUser();
  const { id } = await params;
  // Checked before anything streams, so an unknown id answers with a real 404 status.
  if (!componentExists(id)) notFound();
  const requested = (await searchParams).window;
  const window: DetailWindow = requested && Object.hasOwn(DETAIL_WINDOWS, requested) ? (requested as DetailWindow) : "24h";
  return (
    <Suspense fallback={<DetailSkeleton />}>
      <ComponentDetailView id={id} window={window} />
    </Suspense>
  );
}

function DetailSkeleton() {
  return (
    <div className="animate-pulse space-y-4" aria-busy="true" aria-label="Loading component">
      <div className="h-8 w-64 rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-24 w-full rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-64 w-full rounded bg-slate-200 dark:bg-slate-800" />
    </div>
  );
}

// Its own guard: it reads the database after the page has started streaming.
const ComponentDetailView = withDatabasePage(async function ComponentDetailView({ id, window }: { id: string; window: DetailWindow }) {
  const [detail, workerReachable] = await Promise.all([getComponentDetail(id, window), isWorkerReachable()]);
  if (!detail) notFound();
  const { health, config } = detail;

  return (
    <LiveProvider renderedAt={detail.generatedAt} workerReachable={workerReachable}>
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/" className="underline">Overview</Link> <span aria-hidden="true">/</span> {health.name}
      </nav>
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <h1 className="text-2xl font-bold tracking-tight">
            {health.name} <span className="text-base font-normal text-slate-500 dark:text-slate-400">{health.service}</span>
          </h1>
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <StatusBadge status={health.status} />
            <span data-testid="in-state"><Figure>{health.inStateMs === null ? "no recent check vouches for a state" : `for ${formatDuration(health.inStateMs)}`}</Figure></span>
            {health.lastCheckedAt ? (
              <span className="text-slate-500 dark:text-slate-400">
                · last check <Figure><RelativeTime iso={health.lastCheckedAt} serverNow={detail.generatedAt} />: {health.lastDetail ?? health.lastError ?? "no reply"}</Figure>
              </span>
            ) : null}
          </p>
        </div>
        <div className="flex flex-col items-end gap-2">
          <LiveRefresh />
          <ProbeNowButton componentId={health.id} />
        </div>
      </header>

      <section aria-labelledby="uptime-heading" className={`${card} space-y-3`}>
        <h2 id="uptime-heading" className="font-semibold">Uptime</h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {(["24h", "7d", "30d", "90d"] as const).map((w) => (
            <div key={w}>
              <dt className="text-xs text-slate-500 dark:text-slate-400">{w}</dt>
              <dd className="text-lg font-semibold tabular-nums"><UptimeValue cell={health.uptime[w]} testId={`uptime-${w}`} /></dd>
            </div>
          ))}
        </dl>
        <UptimeBar days={detail.daily} />
        <p className="text-xs text-slate-500 dark:text-slate-400">Time-weighted from confirmed states; gaps and maintenance windows are left out.</p>
      </section>

      <section aria-labelledby="latency-heading" className={`${card} space-y-3`}>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="latency-heading" className="font-semibold">Latency</h2>
          <nav aria-label="Chart window" className="flex gap-1">
            {(Object.keys(DETAIL_WINDOWS) as DetailWindow[]).map((w) => (
              <Link
                key={w}
                href={`/components/${health.id}?window=${w}`}
                aria-current={w === window ? "page" : undefined}
                className={`rounded px-2 py-1 text-sm ${w === window ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
              >
                {w}
              </Link>
            ))}
          </nav>
        </div>
        <LatencyChart
          points={detail.series}
          windowMs={DETAIL_WINDOWS[window]}
          label={`p50, p95 and p99 latency of ${health.name} over the last ${window}, from rollups of successful checks`}
        />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="incidents-heading" className={`${card} space-y-2`}>
          <h2 id="incidents-heading" className="font-semibold">Incidents (90 days)</h2>
          {detail.incidents.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">No incidents: the component has not been down or degraded.</p>
          ) : (
            <table className="w-full text-left text-sm" data-testid="incidents">
              <thead className="text-xs text-slate-500 dark:text-slate-400">
                <tr><th scope="col">Status</th><th scope="col">Start</th><th scope="col">End</th><th scope="col">Duration</th></tr>
              </thead>
              <tbody>
                {detail.incidents.map((incident) => (
                  <tr key={incident.startedAt} className="border-t border-slate-100 dark:border-slate-800">
                    <td><StatusBadge status={incident.status} /></td>
                    <td><LocalTime iso={incident.startedAt} /></td>
                    <td>{incident.endedAt ? <LocalTime iso={incident.endedAt} /> : "ongoing"}</td>
                    <td className="tabular-nums"><Figure>{formatDuration(incident.durationMs)}</Figure></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <section aria-labelledby="config-heading" className={`${card} space-y-2`}>
          <h2 id="config-heading" className="font-semibold">Probe</h2>
          <p className="text-sm">
            every {formatDuration(config.intervalMs)}, timeout {formatDuration(config.timeoutMs)}, down after {config.failureThreshold} failures, up after{" "}
            {config.successThreshold} {config.successThreshold === 1 ? "success" : "successes"}
            {config.degradedAfterMs !== null ? `, degraded above ${formatDuration(config.degradedAfterMs)}` : ""}
          </p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-800" data-testid="probe-config">
            {JSON.stringify(config.probe, null, 2)}
          </pre>
        </section>
      </div>

      <section aria-labelledby="recent-heading" className={`${card} space-y-2`}>
        <h2 id="recent-heading" className="font-semibold">Recent checks</h2>
        {detail.recent.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">No checks yet. Is a worker running? Try “Probe now”.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="recent-checks">
              <thead className="text-xs text-slate-500 dark:text-slate-400">
                <tr><th scope="col">Time</th><th scope="col">Result</th><th scope="col">Latency</th><th scope="col">Reply</th></tr>
              </thead>
              <tbody>
                {detail.recent.map((check) => (
                  <tr key={check.checkedAt} className="border-t border-slate-100 align-top dark:border-slate-800">
                    <td className="whitespace-nowrap"><LocalTime iso={check.checkedAt} /></td>
                    <td><StatusBadge status={check.status as "up" | "down" | "degraded"} /></td>
                    <td className="tabular-nums"><Figure>{formatLatency(check.latencyMs)}</Figure></td>
                    <td className="break-words">
                      <span className="font-mono text-xs">{check.detail ?? ""}</span>
                      {check.error ? <div className="text-xs text-red-700 dark:text-red-300">{check.error}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
    </LiveProvider>
  );
});

export default withDatabasePage(ComponentPage);
