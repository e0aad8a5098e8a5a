import type { Metadata } from "next";
import { connection } from "next/server";
import { LiveProvider, LiveRefresh } from "@/components/live/live-refresh";
import { BaselineTable, ResourceTable } from "@/components/baselines/baseline-tables";
import { Section } from "@/components/ui/card";
import { formatPercent } from "@/lib/format";
import { getBaselines } from "@/lib/queries/baselines";
import { isWorkerReachable } from "@/lib/queries/live";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Performance baselines" };

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
            <p className="text-sm text-slate-600 dark:text-slate-300">
              Each figure is measured now, with its source and window; none is typed in.
            </p>
          </div>
          <LiveRefresh />
        </div>

        {view.rows.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
            No baselines declared. Add a <code className="font-mono">baselines:</code> section to the configuration:
            each baseline names a source (a component&apos;s probe history or PromQL queries) and targets such as{" "}
            <code className="font-mono">p95Ms: 200</code>.
          </p>
        ) : (
          <BaselineTable rows={view.rows} />
        )}

        {view.resources ? (
          <Section id="resources" title="Resource utilisation" className="space-y-2">
            <p className="text-xs text-slate-600 dark:text-slate-300">
              Usage against limits per container, now, from {view.resources.source}; above{" "}
              {formatPercent(view.resources.maxUtilisationPct)} of a limit fails.
            </p>
            {view.resources.error ? (
              <p role="status" className="text-sm text-amber-900 dark:text-amber-200">
                No data: {view.resources.error}
              </p>
            ) : null}
            {view.resources.rows.length > 0 ? <ResourceTable rows={view.resources.rows} /> : null}
          </Section>
        ) : null}
      </div>
    </LiveProvider>
  );
}

export default withDatabasePage(BaselinesPage);
