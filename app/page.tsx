import { connection } from "next/server";
import { HealthTable } from "@/components/health-table";
import { getSystemHealth } from "@/lib/queries/components";
import { AutoRefresh } from "./client";

export default async function OverviewPage() {
  await connection();
  const health = await getSystemHealth();
  const now = new Date(health.generatedAt);
  const { system } = health;
  const allUp = health.operational === health.total;
  return (
    <div className="space-y-6">
      <section aria-labelledby="system-heading" className="space-y-1">
        <h1 id="system-heading" className="text-2xl font-bold tracking-tight">
          {system.name}
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          {[system.environment, system.release ? `${system.release.name}${system.release.targetDate ? `, target ${system.release.targetDate}` : ""}` : null]
            .filter(Boolean)
            .join(" · ")}
        </p>
        {system.description ? <p className="text-sm text-slate-500 dark:text-slate-400">{system.description}</p> : null}
      </section>

      <section aria-labelledby="health-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="health-heading" className="text-lg font-semibold">
            Component health
          </h2>
          <AutoRefresh intervalMs={3_000} generatedAt={health.generatedAt} />
        </div>
        <p data-testid="health-summary" className={`font-medium ${allUp ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}>
          <span aria-hidden="true">{allUp ? "✓ " : "✕ "}</span>
          {health.operational}/{health.total} services operational
        </p>
        {!health.worker.running ? (
          <p role="status" className="rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
            No worker is checking: statuses turn unknown three intervals after the last check. Start one with{" "}
            <code className="font-mono">npm run worker</code>, or run the web server with the embedded worker.
          </p>
        ) : null}
        {health.worker.droppedResults > 0 || health.worker.bufferedResults > 100 ? (
          <p role="alert" className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100">
            {health.worker.bufferedResults} results are waiting for the database
            {health.worker.droppedResults > 0 ? `, and ${health.worker.droppedResults} were lost when the buffer overflowed` : ""}.
          </p>
        ) : null}
        <HealthTable components={health.components} now={now} />
      </section>
    </div>
  );
}
