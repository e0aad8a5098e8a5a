import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { getMetrics } from "../metrics";
import { effectiveStatus } from "../monitor/status";

const STATUSES = ["up", "degraded", "down", "unknown"] as const;

/** Prometheus exposition: this process's own metrics plus every component's state, read at scrape time. */
export async function renderMetrics(now = new Date()): Promise<{ body: string; contentType: string }> {
  const metrics = getMetrics();
  const { config } = getConfig();
  const prisma = getPrisma();
  const [states, beats] = await Promise.all([prisma.componentState.findMany(), prisma.workerHeartbeat.findMany()]);
  const byId = new Map(states.map((s) => [s.componentId, s]));
  metrics.componentUp.reset();
  metrics.componentStatus.reset();
  metrics.componentLatency.reset();
  for (const component of config.components) {
    const state = byId.get(component.id) ?? null;
    const status = effectiveStatus(state, component.interval, now);
    for (const s of STATUSES) metrics.componentStatus.set({ component: component.id, status: s }, s === status ? 1 : 0);
    if (status !== "unknown") metrics.componentUp.set({ component: component.id }, status === "down" ? 0 : 1);
    if (state?.lastLatencyMs != null) metrics.componentLatency.set({ component: component.id }, state.lastLatencyMs / 1000);
  }
  const freshest = beats.reduce<Date | null>((latest, b) => (!latest || b.beatAt > latest ? b.beatAt : latest), null);
  if (freshest) metrics.workerHeartbeatAge.set(Math.max(0, now.getTime() - freshest.getTime()) / 1000);
  // The buffer and the losses of every worker, as their heartbeats report them (a standalone worker is
  // another process: its counters reach the web process only this way).
  metrics.bufferDepth.set(beats.reduce((sum, b) => sum + b.bufferDepth, 0));
  metrics.droppedResults.set(beats.reduce((sum, b) => sum + Number(b.droppedResults), 0));
  return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}
