import type { TComponent, TConfig } from "../config/schema";
import { activeMaintenance, maintenanceIntervals } from "../monitor/maintenance";
import { effectiveStatus, type ComponentStatus } from "../monitor/status";
import { computeUptime, type UptimeSummary } from "../monitor/uptime";
import type { TQueryContext } from "./context";

// The one read of a component's state: its effective status (a state nobody has checked for three intervals is
// unknown, whatever the table says), since when, how long it has been up as far as confirmed checks show, and its
// uptime over any window with how much of that window was observed. The overview, the component page, readiness,
// snapshots, the report, /metrics and the API all call this; none reads component_state or state_period itself.

export type { TQueryContext } from "./context";

export const UPTIME_WINDOWS = {
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  "90d": 90 * 86_400_000,
} as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;

/** Uptime over one window, with its coverage: a figure from five minutes of a day says so. */
export type TUptimeFigure = {
  windowMs: number;
  /** (up + degraded) / observed time; null when nothing in the window is known. */
  pct: number | null;
  /** Time in the window that a check vouches for (up, degraded or down), maintenance excluded. */
  observedMs: number;
  /** The part of the window that could have been observed: the window less maintenance. */
  observableMs: number;
  /** observed / observable, 0..1. */
  coverage: number;
  downMs: number;
};

export type TComponentStatus = {
  id: string;
  /** Effective confirmed status: unknown when no check is recent enough to vouch for the stored one. */
  status: ComponentStatus;
  /** The latest check's own status, or unknown when it is stale. */
  observedStatus: ComponentStatus;
  stale: boolean;
  /** Start of the current confirmed status; null while unknown. */
  since: Date | null;
  /** From `since` to the last check that confirmed the status (never extrapolated to now); null while unknown. */
  inStateMs: number | null;
  lastCheckedAt: Date | null;
  storedAt: Date | null;
  /** Figures of the latest check, whenever it was: shown beside `lastCheckedAt`, never as current. */
  lastLatencyMs: number | null;
  lastDetail: string | null;
  lastError: string | null;
  maintenance: string | null;
  /** Uptime per requested window, keyed by the window in ms. */
  uptime: Map<number, TUptimeFigure>;
};

export function toUptimeFigure(summary: UptimeSummary): TUptimeFigure {
  const observedMs = summary.upMs + summary.degradedMs + summary.downMs;
  const observableMs = Math.max(0, summary.windowMs - summary.maintenanceMs);
  return {
    windowMs: summary.windowMs,
    pct: summary.uptimePct,
    observedMs,
    observableMs,
    coverage: observableMs > 0 ? Math.min(1, observedMs / observableMs) : 0,
    downMs: summary.downMs,
  };
}

/** A window is "fully observed" at this coverage: a few seconds between checks do not need a footnote. */
export const FULLY_OBSERVED = 0.99;

/**
 * Component status for the configured components (or `ids`), with uptime over `windows` (ms; default 24 h, 7 d,
 * 30 d and 90 d). Reads only the latest-state table and the status periods: never raw history.
 */
export async function getComponentStatuses(
  { prisma, config, now }: TQueryContext,
  { ids, windows = Object.values(UPTIME_WINDOWS) }: { ids?: string[]; windows?: number[] } = {},
): Promise<Map<string, TComponentStatus>> {
  const components = ids ? config.components.filter((c) => ids.includes(c.id)) : config.components;
  const wanted = components.map((c) => c.id);
  const longest = Math.max(0, ...windows);
  const [states, periods] = await Promise.all([
    prisma.componentState.findMany({ where: { componentId: { in: wanted } } }),
    windows.length === 0
      ? Promise.resolve([])
      : prisma.statePeriod.findMany({
          where: {
            componentId: { in: wanted },
            OR: [{ endedAt: null }, { endedAt: { gt: new Date(now.getTime() - longest) } }],
          },
          orderBy: { startedAt: "asc" },
        }),
  ]);
  const stateById = new Map(states.map((s) => [s.componentId, s]));
  const out = new Map<string, TComponentStatus>();
  for (const component of components) {
    const own = periods.filter((p) => p.componentId === component.id);
    out.set(component.id, statusOf(component, stateById.get(component.id) ?? null, own, windows, config, now));
  }
  return out;
}

type TStateRow = {
  status: ComponentStatus;
  observedStatus: ComponentStatus;
  since: Date;
  lastCheckedAt: Date | null;
  updatedAt: Date;
  lastLatencyMs: number | null;
  lastDetail: string | null;
  lastError: string | null;
};
type TPeriodRow = Parameters<typeof computeUptime>[0][number];

function statusOf(
  component: TComponent,
  state: TStateRow | null,
  periods: TPeriodRow[],
  windows: number[],
  config: TConfig,
  now: Date,
): TComponentStatus {
  const status = effectiveStatus(state, component.interval, now);
  const fresh = status !== "unknown" && state !== null;
  const uptime = new Map<number, TUptimeFigure>();
  for (const windowMs of windows) {
    const window = { start: now.getTime() - windowMs, end: now.getTime() };
    const maintenance = maintenanceIntervals(config.maintenance, component.id, window, { uptimeOnly: true });
    uptime.set(windowMs, toUptimeFigure(computeUptime(periods, window, maintenance, now)));
  }
  return {
    id: component.id,
    status,
    observedStatus: fresh ? state.observedStatus : "unknown",
    stale: state !== null && status === "unknown" && state.status !== "unknown",
    since: fresh ? state.since : null,
    inStateMs: fresh && state.lastCheckedAt ? Math.max(0, state.lastCheckedAt.getTime() - state.since.getTime()) : null,
    lastCheckedAt: state?.lastCheckedAt ?? null,
    storedAt: state?.updatedAt ?? null,
    lastLatencyMs: state?.lastLatencyMs ?? null,
    lastDetail: state?.lastDetail ?? null,
    lastError: state?.lastError ?? null,
    maintenance: activeMaintenance(config.maintenance, component.id, now)?.name ?? null,
    uptime,
  };
}

/** The most recent down period of any of the components, ongoing or not. */
export async function getLastIncident({ prisma, config, now }: TQueryContext, { ids }: { ids?: string[] } = {}) {
  const wanted = ids ?? config.components.map((c) => c.id);
  const incident = await prisma.statePeriod.findFirst({
    where: { componentId: { in: wanted }, status: "down" },
    orderBy: { startedAt: "desc" },
  });
  if (!incident) return null;
  return {
    componentId: incident.componentId,
    componentName: config.components.find((c) => c.id === incident.componentId)?.name ?? incident.componentId,
    startedAt: incident.startedAt.toISOString(),
    endedAt: incident.endedAt?.toISOString() ?? null,
    durationMs: (incident.endedAt ?? now).getTime() - incident.startedAt.getTime(),
  };
}

/** How long a recovery is announced after it (the operator's banner, the tab title). */
export const RECOVERY_ANNOUNCED_MS = 10 * 60_000;

/**
 * Down periods that ended within `withinMs` of now, newest first, for components that are not down again: what the
 * operator's banner announces as "recovered". One indexed read of the status periods.
 */
export async function getRecentRecoveries({ prisma, config, now }: TQueryContext, withinMs = RECOVERY_ANNOUNCED_MS) {
  const wanted = config.components.map((c) => c.id);
  const rows = await prisma.statePeriod.findMany({
    where: {
      componentId: { in: wanted },
      status: "down",
      endedAt: { gte: new Date(now.getTime() - withinMs), lte: now },
    },
    orderBy: { endedAt: "desc" },
    take: 50,
  });
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    if (seen.has(row.componentId) || row.endedAt === null) return [];
    seen.add(row.componentId);
    return [
      {
        componentId: row.componentId,
        componentName: config.components.find((c) => c.id === row.componentId)?.name ?? row.componentId,
        startedAt: row.startedAt.toISOString(),
        endedAt: row.endedAt.toISOString(),
        durationMs: row.endedAt.getTime() - row.startedAt.getTime(),
      },
    ];
  });
}
