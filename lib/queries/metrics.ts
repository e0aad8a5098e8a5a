import { getMetrics } from "../metrics";
import { latestSnapshot } from "../readiness/snapshot";
import { getComponentStatuses } from "./component-status";
import { queryContext } from "./context";
import { getWorkerSummary } from "./workers";

const STATUSES = ["up", "degraded", "down", "unknown"] as const;

/** Prometheus exposition: this process's own metrics plus every component's state, read at scrape time. */
export async function renderMetrics(now = new Date()): Promise<{ body: string; contentType: string }> {
  const metrics = getMetrics();
  const ctx = queryContext(now);
  const { config, prisma } = ctx;
  const [statuses, workers, snapshot] = await Promise.all([
    getComponentStatuses(ctx, { windows: [] }),
    getWorkerSummary(prisma, now),
    latestSnapshot(prisma),
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
  return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}
