import type { TConfig } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import { maintenanceIntervals } from "../monitor/maintenance";
import { computeUptime, type UptimeSummary } from "../monitor/uptime";

export const UPTIME_WINDOWS = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, "90d": 90 * 86_400_000 } as const;
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;

/**
 * Time-weighted uptime of every component over 24 h / 7 d / 30 d / 90 d, from the status periods (a few rows
 * per component, never raw results); unknown time and maintenance are left out.
 */
export async function getUptimeByComponent(
  prisma: PrismaClient,
  config: TConfig,
  now = new Date(),
): Promise<Map<string, Record<UptimeWindow, UptimeSummary>>> {
  const from = new Date(now.getTime() - UPTIME_WINDOWS["90d"]);
  const periods = await prisma.statePeriod.findMany({
    where: { componentId: { in: config.components.map((c) => c.id) }, OR: [{ endedAt: null }, { endedAt: { gt: from } }] },
    orderBy: { startedAt: "asc" },
  });
  const out = new Map<string, Record<UptimeWindow, UptimeSummary>>();
  for (const component of config.components) {
    const own = periods.filter((p) => p.componentId === component.id);
    const entries = Object.entries(UPTIME_WINDOWS).map(([name, ms]) => {
      const window = { start: now.getTime() - ms, end: now.getTime() };
      const maintenance = maintenanceIntervals(config.maintenance, component.id, window, { uptimeOnly: true });
      return [name, computeUptime(own, window, maintenance, now)] as const;
    });
    out.set(component.id, Object.fromEntries(entries) as Record<UptimeWindow, UptimeSummary>);
  }
  return out;
}
