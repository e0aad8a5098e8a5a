import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { createSwrCache } from "../cache/stale-while-revalidate";
import { getDayOverview, type WindowStats } from "../history/series";
import { activeMaintenance } from "../monitor/maintenance";
import { effectiveStatus, type ComponentStatus } from "../monitor/status";
import { getUptimeByComponent, type UptimeWindow } from "./uptime";
import { getWorkerSummary, type WorkerSummary } from "./workers";

export type ComponentHealth = {
  id: string;
  name: string;
  service: string;
  probeType: string;
  intervalMs: number;
  /** Confirmed status (after failure and success thresholds); unknown when no worker is checking. */
  status: ComponentStatus;
  /** What the latest check alone showed. */
  observedStatus: ComponentStatus;
  /** Start of the current status; null while unknown. */
  since: string | null;
  lastCheckedAt: string | null;
  /** When the latest state was written to the database. */
  storedAt: string | null;
  lastLatencyMs: number | null;
  lastDetail: string | null;
  lastError: string | null;
  /** Name of the maintenance window the component is in now, if any. */
  maintenance: string | null;
  /** Time-weighted uptime % per window; null where nothing in the window is known. */
  uptime: Record<UptimeWindow, number | null>;
  latency24h: WindowStats;
  /** Hourly p95 over the last 24 h, oldest first. */
  sparkline: (number | null)[];
};


export type Incident = { componentId: string; componentName: string; startedAt: string; endedAt: string | null; durationMs: number };

export type SystemHealth = {
  system: { name: string; description: string | null; environment: string | null; release: { name: string; targetDate: string | null } | null };
  components: ComponentHealth[];
  operational: number;
  total: number;
  worker: WorkerSummary;
  /** The most recent down period of any component, ongoing or not. */
  lastIncident: Incident | null;
  generatedAt: string;
};

const globalForCache = globalThis as unknown as { preflightDayOverview?: ReturnType<typeof createSwrCache<Awaited<ReturnType<typeof getDayOverview>>>> };
const dayOverviewCache = (globalForCache.preflightDayOverview ??= createSwrCache({ freshMs: 15_000, maxStaleMs: 5 * 60_000 }));

/**
 * Every configured component with its state, uptime and 24 h latency. Reads only the latest-state table,
 * the status periods and the rollups: never raw history.
 */
export async function getSystemHealth(now = new Date(), only?: string): Promise<SystemHealth> {
  const { config: full } = getConfig();
  // One component's page needs its own row only: its uptime and 24 h figures are not computed for the rest.
  const config = only ? { ...full, components: full.components.filter((c) => c.id === only) } : full;
  const prisma = getPrisma();
  const ids = config.components.map((c) => c.id);
  const [states, uptime, day, worker, incident] = await Promise.all([
    prisma.componentState.findMany({ where: { componentId: { in: ids } } }),
    getUptimeByComponent(prisma, config, now),
    // Rollups change every ~15 s: the 24 h figures are recomputed at most that often, in the background.
    dayOverviewCache.get(ids.join(","), () => getDayOverview(prisma, ids, now)),
    getWorkerSummary(prisma, now),
    prisma.statePeriod.findFirst({ where: { componentId: { in: ids }, status: "down" }, orderBy: { startedAt: "desc" } }),
  ]);
  const byId = new Map(states.map((s) => [s.componentId, s]));
  const components = config.components.map((component): ComponentHealth => {
    const state = byId.get(component.id) ?? null;
    const status = effectiveStatus(state, component.interval, now);
    const fresh = status !== "unknown";
    const windows = uptime.get(component.id);
    const latency = day.get(component.id);
    return {
      id: component.id,
      name: component.name,
      service: component.service,
      probeType: component.probe.type,
      intervalMs: component.interval,
      status,
      observedStatus: fresh && state ? state.observedStatus : "unknown",
      since: fresh && state ? state.since.toISOString() : null,
      lastCheckedAt: state?.lastCheckedAt?.toISOString() ?? null,
      storedAt: state?.updatedAt.toISOString() ?? null,
      lastLatencyMs: state?.lastLatencyMs ?? null,
      lastDetail: state?.lastDetail ?? null,
      lastError: state?.lastError ?? null,
      maintenance: activeMaintenance(config.maintenance, component.id, now)?.name ?? null,
      uptime: {
        "24h": windows?.["24h"].uptimePct ?? null,
        "7d": windows?.["7d"].uptimePct ?? null,
        "30d": windows?.["30d"].uptimePct ?? null,
        "90d": windows?.["90d"].uptimePct ?? null,
      },
      latency24h: latency?.stats ?? { count: 0, failures: 0, p50Ms: null, p95Ms: null, p99Ms: null, avgMs: null },
      sparkline: latency?.sparkline ?? Array.from({ length: 24 }, () => null),
    };
  });
  const { system } = config;
  return {
    system: {
      name: system.name,
      description: system.description ?? null,
      environment: system.environment ?? null,
      release: system.release ? { name: system.release.name, targetDate: system.release.targetDate ?? null } : null,
    },
    components,
    operational: components.filter((c) => c.status === "up" || c.status === "degraded").length,
    total: components.length,
    worker,
    lastIncident: incident
      ? {
          componentId: incident.componentId,
          componentName: config.components.find((c) => c.id === incident.componentId)?.name ?? incident.componentId,
          startedAt: incident.startedAt.toISOString(),
          endedAt: incident.endedAt?.toISOString() ?? null,
          durationMs: (incident.endedAt ?? now).getTime() - incident.startedAt.getTime(),
        }
      : null,
    generatedAt: now.toISOString(),
  };
}
