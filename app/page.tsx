import { connection } from "next/server";
import { CARD } from "@/components/ui/card";
import { HealthTable } from "@/components/health-table";
import { Figure, LiveProvider, LiveRefresh } from "@/components/live/live-refresh";
import { Headline } from "@/components/headline";
import { ReadinessTrendChart } from "@/components/charts/readiness-trend-chart";
import { GoLiveCard } from "@/components/go-live-card";
import { ReadinessCard } from "@/components/readiness-card";
import { getPrisma } from "@/lib/db/client";
import { isWorkerReachable } from "@/lib/queries/live";
import { getShell } from "@/lib/queries/shell";
import { SignOffRequested } from "@/components/signoff-requested";
import { redirect } from "next/navigation";
import { judgeGate } from "@/lib/readiness/gate";
import { snapshotTrend } from "@/lib/readiness/snapshot";
import { describeTrend } from "@/lib/readiness/trend";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";
import { SloCards } from "@/components/slo/slo-card";
import { queryContext } from "@/lib/queries/context";
import { getSlos } from "@/lib/slo/read";

const TREND_DAYS = 30;

async function OverviewPage() {
  await connection();
  await requireUser();
  // The same read as the verdict line above the page (one per request): the two cannot disagree.
  const shell = await getShell();
  if (!shell) redirect("/login");
  const { health, readiness, signOff, requested } = shell;
  const ctx = queryContext(new Date(readiness.result.evaluatedAt));
  const [workerReachable, trend, slos] = await Promise.all([
    isWorkerReachable(),
    snapshotTrend(getPrisma(), new Date(Date.parse(readiness.result.evaluatedAt) - TREND_DAYS * 86_400_000)),
    getSlos(ctx, ctx.config.slos),
  ]);
  const trendText = describeTrend(trend, TREND_DAYS, readiness.gateMinPct);
  const { system } = health;
  return (
    <LiveProvider renderedAt={health.generatedAt} workerReachable={workerReachable}>
      <div className="space-y-6">
        <section aria-labelledby="system-heading" className="flex flex-wrap items-start justify-between gap-3">
          <div className="space-y-1">
            <h1 id="system-heading" className="text-2xl font-bold tracking-tight">
              {system.name}
            </h1>
            <p className="text-sm text-slate-600 dark:text-slate-300">
              {[system.environment, system.release ? `release ${system.release.name}` : null]
                .filter(Boolean)
                .join(" · ")}
            </p>
            {system.description ? (
              <p className="text-sm text-slate-500 dark:text-slate-400">{system.description}</p>
            ) : null}
          </div>
          <LiveRefresh />
        </section>

        {requested.length > 0 ? <SignOffRequested requested={requested} /> : null}

        <section aria-labelledby="health-heading" className="space-y-3">
          <h2 id="health-heading" className="text-lg font-semibold">
            Component health
          </h2>
          <Headline health={health} />
          {!health.worker.running ? (
            <p
              role="status"
              className="rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
            >
              No worker is checking: statuses turn unknown three intervals after the last check. Start one with{" "}
              <code className="font-mono">npm run worker</code>, or run the web server with the embedded worker.
            </p>
          ) : null}
          {health.worker.droppedResults > 0 || health.worker.bufferedResults > 100 ? (
            <p
              role="alert"
              className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100"
            >
              <Figure>
                {health.worker.bufferedResults} results are waiting for the database
                {health.worker.droppedResults > 0
                  ? `, and ${health.worker.droppedResults} were lost when the buffer overflowed`
                  : ""}
                .
              </Figure>
            </p>
          ) : null}
          <HealthTable components={health.components} now={health.generatedAt} />
        </section>

        <SloCards slos={slos} />

        <ReadinessCard
          configured={readiness.configured}
          result={readiness.result}
          gate={judgeGate(readiness.result, readiness.gateMinPct)}
        />

        <GoLiveCard release={signOff.release} goLive={signOff.goLive} configured={signOff.configured} />

        {readiness.configured ? (
          <section aria-labelledby="trend-heading" className={`space-y-1 ${CARD.default}`}>
            <h2 id="trend-heading" className="text-lg font-semibold">
              Readiness trend
            </h2>
            <p className="text-xs text-slate-600 dark:text-slate-300">
              <Figure>{trendText}</Figure> Source: stored readiness snapshots.
            </p>
            <ReadinessTrendChart points={trend} gateMinPct={readiness.gateMinPct} label={trendText} />
          </section>
        ) : null}
      </div>
    </LiveProvider>
  );
}

export default withDatabasePage(OverviewPage);
