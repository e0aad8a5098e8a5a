import { createSwrCache } from "../cache/stale-while-revalidate";
import { getDayOverview, type WindowStats } from "../history/series";
import type { ComponentStatus } from "../monitor/status";
import {
  getComponentStatuses,
  getLastIncident,
  UPTIME_WINDOWS,
  type TQueryContext,
  type TUptimeFigure,
  type UptimeWindow,
} from "./component-status";
import { getWorkerSummary, type WorkerSummary } from "./workers";

export type { UptimeWindow } from "./component-status";

/** Uptime over a window as a page shows it: the figure and how much of the window was observed. */
export type UptimeCell = Pick<TUptimeFigure, "pct" | "observedMs" | "windowMs" | "coverage">;

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
  /** From `since` to the last confirming check; null while unknown. */
  inStateMs: number | null;
  lastCheckedAt: string | null;
  /** When the latest state was written to the database. */
  storedAt: string | null;
  lastLatencyMs: number | null;
  lastDetail: string | null;
  lastError: string | null;
  /** Name of the maintenance window the component is in now, if any. */
  maintenance: string | null;
  /** Time-weighted uptime per window with its coverage. */
  uptime: Record<UptimeWindow, UptimeCell>;
  latency24h: WindowStats;
  /** Hourly p95 over the last 24 h, oldest first. */
  sparkline: (number | null)[];
};

export type Incident = {
  componentId: string;
  componentName: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
};

export type SystemHealth = {
  system: {
    name: string;
    description: string | null;
    environment: string | null;
    release: { name: string; targetDate: string | null } | null;
  };
  components: ComponentHealth[];
  operational: number;
  total: number;
  worker: WorkerSummary;
  /** The most recent down period of any component, ongoing or not. */
  lastIncident: Incident | null;
  generatedAt: string;
};

const globalForCache = globalThis as unknown as {
  preflightDayOverview?: ReturnType<typeof createSwrCache<Awaited<ReturnType<typeof getDayOverview>>>>;
};
const dayOverviewCache = (globalForCache.preflightDayOverview ??= createSwrCache({
  freshMs: 15_000,
  maxStaleMs: 5 * 60_000,
}));

const EMPTY_UPTIME = (windowMs: number): UptimeCell => ({ pct: null, observedMs: 0, windowMs, coverage: 0 });

/**
 * Every configured component (or only one) with its status, uptime and 24 h latency, from the one status read
 * (`getComponentStatuses`) and the rollups: never raw history.
 */
export async function getSystemHealth(ctx: TQueryContext, { only }: { only?: string } = {}): Promise<SystemHealth> {
  const { prisma, now } = ctx;
  const config = only ? { ...ctx.config, components: ctx.config.components.filter((c) => c.id === only) } : ctx.config;
  const ids = config.components.map((c) => c.id);
  const [statuses, day, worker, lastIncident] = await Promise.all([
    getComponentStatuses({ ...ctx, config }),
    // Rollups change every ~15 s: the 24 h figures are recomputed at most that often, in the background.
    dayOverviewCache.get(ids.join(","), () => getDayOverview(prisma, ids, now)),
    getWorkerSummary(prisma, now),
    getLastIncident({ ...ctx, config }),
  ]);
  const components = config.components.map((component): ComponentHealth => {
    const s = statuses.get(component.id);
    const latency = day.get(component.id);
    const cell = (w: UptimeWindow): UptimeCell => {
      const f = s?.uptime.get(UPTIME_WINDOWS[w]);
      return f
        ? { pct: f.pct, observedMs: f.observedMs, windowMs: f.windowMs, coverage: f.coverage }
        : EMPTY_UPTIME(UPTIME_WINDOWS[w]);
    };
    return {
      id: component.id,
      name: component.name,
      service: component.service,
      probeType: component.probe.type,
      intervalMs: component.interval,
      status: s?.status ?? "unknown",
      observedStatus: s?.observedStatus ?? "unknown",
      since: s?.since?.toISOString() ?? null,
      inStateMs: s?.inStateMs ?? null,
      lastCheckedAt: s?.lastCheckedAt?.toISOString() ?? null,
      storedAt: s?.storedAt?.toISOString() ?? null,
      lastLatencyMs: s?.lastLatencyMs ?? null,
      lastDetail: s?.lastDetail ?? null,
      lastError: s?.lastError ?? null,
      maintenance: s?.maintenance ?? null,
      uptime: { "24h": cell("24h"), "7d": cell("7d"), "30d": cell("30d"), "90d": cell("90d") },
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
    lastIncident,
    generatedAt: now.toISOString(),
  };
}
