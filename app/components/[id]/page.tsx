import type { Metadata } from "next";
import Link from "next/link";
import { CodeBlock } from "@/components/ui/code-block";
import { CHECK_COLUMNS, CODE, INCIDENT_COLUMNS } from "@/components/component-detail/columns";
import { getPrisma } from "@/lib/db/client";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { connection } from "next/server";
import { LatencySection } from "@/components/charts/latency-section";
import { UptimeSection } from "@/components/charts/uptime-section";
import { Figure, LiveProvider, LiveRefresh } from "@/components/live/live-refresh";
import { Card } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { formatDuration } from "@/lib/format";
import { componentExists, DETAIL_WINDOWS, getComponentDetail, type DetailWindow } from "@/lib/queries/component-detail";
import { isWorkerReachable } from "@/lib/queries/live";
import { ProbeNowButton } from "./client";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<{ window?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).id };
}

const muted = "text-slate-600 dark:text-slate-300";

async function ComponentPage({ params, searchParams }: Props) {
  await connection();
  const actor = await requireUser();
  const { id } = await params;
  // Checked before anything streams, so an unknown id answers with a real 404 status.
  if (!componentExists(id)) notFound();
  const requested = (await searchParams).window;
  const window: DetailWindow =
    requested && Object.hasOwn(DETAIL_WINDOWS, requested) ? (requested as DetailWindow) : "24h";
  return (
    <Suspense fallback={<DetailSkeleton />}>
      <ComponentDetailView id={id} window={window} canProbe={can(actor.role, "probe:run")} />
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

type TViewProps = { id: string; window: DetailWindow; canProbe: boolean };

// Its own guard: it reads the database after the page has started streaming.
const ComponentDetailView = withDatabasePage(
  async function ComponentDetailView({ id, window, canProbe }: TViewProps) {
    const [detail, workerReachable, first] = await Promise.all([
      getComponentDetail(id, window),
      isWorkerReachable(),
      // Since when it has been watched at all (up or down): a chart of the latency of successful checks must not read
      // "collecting" after an outage just because the failed checks have no latency.
      getPrisma().statePeriod.findFirst({
        where: { componentId: id },
        orderBy: { startedAt: "asc" },
        select: { startedAt: true },
      }),
    ]);
    if (!detail) notFound();
    const { health, config } = detail;
    const inState =
      health.inStateMs === null ? "no recent check vouches for a state" : `for ${formatDuration(health.inStateMs)}`;
    const table = { bare: true, captionHidden: true } as const;

    return (
      <LiveProvider renderedAt={detail.generatedAt} workerReachable={workerReachable}>
        <div className="space-y-6">
          <nav aria-label="Breadcrumb" className="text-sm">
            <Link href="/" className="underline">
              Overview
            </Link>{" "}
            <span aria-hidden="true">/</span> {health.name}
          </nav>
          <header className="flex flex-wrap items-start justify-between gap-3">
            <div className="min-w-0 space-y-1">
              <h1 className="text-2xl font-bold tracking-tight break-words">
                {health.name} <span className={`text-base font-normal ${muted}`}>{health.service}</span>
              </h1>
              <p className="flex flex-wrap items-center gap-2 text-sm">
                <StatusBadge status={health.status} />
                <span data-testid="in-state">
                  <Figure>{inState}</Figure>
                </span>
                {health.lastCheckedAt ? (
                  <span className={`min-w-0 break-words ${muted}`}>
                    · last check{" "}
                    <Figure>
                      <RelativeTime iso={health.lastCheckedAt} serverNow={detail.generatedAt} />:{" "}
                      {health.lastDetail ?? health.lastError ?? "no reply"}
                    </Figure>
                  </span>
                ) : null}
              </p>
            </div>
            <div className="flex flex-col items-end gap-2">
              <LiveRefresh />
              {canProbe ? <ProbeNowButton componentId={health.id} /> : null}
            </div>
          </header>

          <UptimeSection uptime={health.uptime} days={detail.daily} now={detail.generatedAt} />
          <LatencySection
            component={health}
            windows={DETAIL_WINDOWS}
            window={window}
            points={detail.series}
            firstObservedAt={first?.startedAt.toISOString() ?? null}
          />

          <div className="grid gap-6 lg:grid-cols-2">
            <Card id="incidents" title="Incidents (90 days)" className="space-y-2">
              {detail.incidents.length === 0 ? (
                <p className={`text-sm ${muted}`}>No incidents: the component has not been down or degraded.</p>
              ) : (
                <Table
                  {...table}
                  data-testid="incidents"
                  caption={`Incidents of ${health.name} in the last 90 days, newest first`}
                  columns={INCIDENT_COLUMNS}
                  rows={detail.incidents}
                  rowKey={(i) => i.startedAt}
                />
              )}
            </Card>

            <Card id="config" title="Probe" className="space-y-2">
              <p className="text-sm">
                every {formatDuration(config.intervalMs)}, timeout {formatDuration(config.timeoutMs)}, down after{" "}
                {config.failureThreshold} failures, up after {config.successThreshold}{" "}
                {config.successThreshold === 1 ? "success" : "successes"}
                {config.degradedAfterMs !== null ? `, degraded above ${formatDuration(config.degradedAfterMs)}` : ""}
              </p>
              <CodeBlock label="Probe configuration" className={CODE} data-testid="probe-config">
                {JSON.stringify(config.probe, null, 2)}
              </CodeBlock>
            </Card>
          </div>

          <Card id="recent" title="Recent checks" className="space-y-2">
            {detail.recent.length === 0 ? (
              <p className={`text-sm ${muted}`}>
                No checks yet. Is a worker running?{canProbe ? " Try “Probe now”." : ""}
              </p>
            ) : (
              <Table
                {...table}
                data-testid="recent-checks"
                caption={`The ${detail.recent.length} newest checks of ${health.name}`}
                columns={CHECK_COLUMNS}
                rows={detail.recent}
                rowKey={(c) => c.checkedAt}
              />
            )}
          </Card>
        </div>
      </LiveProvider>
    );
  },
  { shell: false },
);

export default withDatabasePage(ComponentPage);
