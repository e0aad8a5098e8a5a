import { getMetrics } from "../metrics";
import { latestSnapshot } from "../readiness/snapshot";
import { getComponentStatuses } from "./component-status";
import { queryContext } from "./context";
import { getWorkerSummary } from "./workers";
import { getSlos } from "../slo/read";

const STATUSES = ["up", "degraded", "down", "unknown"] as const;

/** Prometheus exposition: this process's own metrics plus every component's state, read at scrape time. */
export async function renderMetrics(now = new Date()): Promise<{ body: string; contentType: string }> {
  const metrics = getMetrics();
  const ctx = queryContext(now);
  const { config, prisma } = ctx;
  // SLOs from probe history only: a ratio SLO would make every scrape query Prometheus (which may be the scraper).
  const measured = config.slos.filter((slo) => slo.sli.kind !== "ratio").map((slo) => slo.id);
  const [statuses, workers, snapshot, slos] = await Promise.all([
    getComponentStatuses(ctx, { windows: [] }),
    getWorkerSummary(prisma, now),
    latestSnapshot(prisma),
    measured.length > 0 ? getSlos(ctx, config.slos, { ids: measured }) : Promise.resolve([]),
  ]);
  metrics.componentUp.reset();
  metrics.componentStatus.reset();
  metrics.componentLatency.reset();
  for (const component of config.components) {
    const state = statuses.get(component.id);
    const status = state?.status ?? "unknown";
    for (const s of STATUSES) metrics.componentStatus.set({ component: component.id, status: s }, s === status ? 1 : 0);
    // An unknown component exports no up and no latency: a stale reading must not look current to an alert rule.
    if (status !== "unknown") metrics.componentUp.set({ component: component.id }, status === "down" ? 0 : 1);
    if (status !== "unknown" && state?.lastLatencyMs != null)
      metrics.componentLatency.set({ component: component.id }, state.lastLatencyMs / 1000);
  }
  if (workers.heartbeatAgeMs !== null) metrics.workerHeartbeatAge.set(workers.heartbeatAgeMs / 1000);
  // The buffer and the losses of every worker, as their heartbeats report them (a standalone worker is
  // another process: its counters reach the web process only this way).
  metrics.bufferDepth.set(workers.bufferedResults);
  metrics.droppedResults.set(workers.droppedResults);
  // Readiness from the latest snapshot (the worker stores one a minute at most after any change): a scrape
  // never pays for a full evaluation with its PromQL queries.
  metrics.readinessScore.reset();
  metrics.readinessBlockers.reset();
  metrics.readinessSnapshotAge.reset();
  if (snapshot) {
    if (snapshot.overallPct !== null) metrics.readinessScore.set(snapshot.overallPct);
    metrics.readinessBlockers.set(snapshot.blockers);
    metrics.readinessSnapshotAge.set(Math.max(0, now.getTime() - Date.parse(snapshot.takenAt)) / 1000);
  }
  for (const gauge of [
    metrics.sloSli,
    metrics.sloObjective,
    metrics.sloBudgetRemaining,
    metrics.sloBurnRate,
    metrics.sloAlert,
  ])
    gauge.reset();
  for (const slo of slos) {
    metrics.sloObjective.set({ slo: slo.id }, slo.objective);
    // Nothing known: no SLI and no budget, rather than a 100 % nobody measured.
    if (slo.sli !== null) metrics.sloSli.set({ slo: slo.id }, slo.sli);
    if (slo.budget.remainingPct !== null) metrics.sloBudgetRemaining.set({ slo: slo.id }, slo.budget.remainingPct);
    for (const [window, rate] of Object.entries(slo.burn))
      if (rate !== null) metrics.sloBurnRate.set({ slo: slo.id, window }, rate);
    metrics.sloAlert.set({ slo: slo.id, severity: "fast" }, slo.alert === "fast burn" ? 1 : 0);
    metrics.sloAlert.set({ slo: slo.id, severity: "slow" }, slo.alert === "slow burn" ? 1 : 0);
  }
  return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}
