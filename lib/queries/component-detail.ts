import type { TComponent } from "../config/schema";
import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { getLatencySeries, type SeriesPoint } from "../history/series";
import { maintenanceIntervals } from "../monitor/maintenance";
import { computeUptime } from "../monitor/uptime";
import { maskUrl, redactSecrets } from "../redact";
import { getSystemHealth, type ComponentHealth } from "./components";

export const DETAIL_WINDOWS = {
  "1h": 3_600_000,
  "24h": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
} as const;
export type DetailWindow = keyof typeof DETAIL_WINDOWS;

export type DailyUptime = {
  day: string;
  uptimePct: number | null;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
};
export type IncidentRow = {
  status: "down" | "degraded";
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
};
export type RawCheck = {
  checkedAt: string;
  status: string;
  ok: boolean;
  latencyMs: number;
  detail: string | null;
  error: string | null;
};

export type ComponentDetail = {
  health: ComponentHealth;
  config: {
    intervalMs: number;
    timeoutMs: number;
    failureThreshold: number;
    successThreshold: number;
    degradedAfterMs: number | null;
    probe: unknown;
  };
  window: DetailWindow;
  series: SeriesPoint[];
  daily: DailyUptime[];
  incidents: IncidentRow[];
  recent: RawCheck[];
  generatedAt: string;
};

const DAY_MS = 86_400_000;
const SECRET_KEYS = /^(password|key|cert|ca|body)$/i;
/** Header values shown as they are; every other header's value may be a credential and is masked. */
const PLAIN_HEADERS = new Set(["accept", "accept-language", "content-type", "user-agent", "cache-control"]);

/** The probe's configuration as a page may show it: passwords, secrets from the environment and key material masked. */
export function maskProbeConfig(value: unknown, secrets: Set<string>, key = ""): unknown {
  if (typeof value === "string") {
    if (SECRET_KEYS.test(key)) return "****";
    const redacted = redactSecrets(value, secrets);
    return /url$/i.test(key) ? maskUrl(redacted) : redacted;
  }
  if (Array.isArray(value)) return value.map((item) => maskProbeConfig(item, secrets));
  if (value && typeof value === "object") {
    if (key === "headers") {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          PLAIN_HEADERS.has(k.toLowerCase()) ? maskProbeConfig(v, secrets) : "****",
        ]),
      );
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskProbeConfig(v, secrets, k)]));
  }
  return value;
}

function configOf(component: TComponent, secrets: Set<string>): ComponentDetail["config"] {
  return {
    intervalMs: component.interval,
    timeoutMs: component.timeout,
    failureThreshold: component.failureThreshold,
    successThreshold: component.successThreshold,
    degradedAfterMs: component.degradedAfter ?? null,
    probe: maskProbeConfig(component.probe, secrets),
  };
}

export function componentExists(id: string): boolean {
  return getConfig().config.components.some((c) => c.id === id);
}

/** Everything the component page shows; null for an id the configuration does not have. */
export async function getComponentDetail(
  id: string,
  window: DetailWindow,
  now = new Date(),
): Promise<ComponentDetail | null> {
  const { config, secrets } = getConfig();
  const component = config.components.find((c) => c.id === id);
  if (!component) return null;
  const prisma = getPrisma();
  const from90 = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - 89 * DAY_MS);
  const [system, series, periods, recent] = await Promise.all([
    getSystemHealth({ prisma, config, now }, { only: id }),
    getLatencySeries(prisma, id, new Date(now.getTime() - DETAIL_WINDOWS[window]), now),
    prisma.statePeriod.findMany({
      where: { componentId: id, OR: [{ endedAt: null }, { endedAt: { gt: from90 } }] },
      orderBy: { startedAt: "asc" },
    }),
    // The newest raw checks: an index scan of the newest partition, bounded by LIMIT.
    prisma.probeResult.findMany({ where: { componentId: id }, orderBy: { checkedAt: "desc" }, take: 30 }),
  ]);
  const health = system.components.find((c) => c.id === id);
  if (!health) return null;
  const daily: DailyUptime[] = Array.from({ length: 90 }, (_, i) => {
    const start = from90.getTime() + i * DAY_MS;
    const range = { start, end: Math.min(start + DAY_MS, now.getTime()) };
    const u = computeUptime(
      periods,
      range,
      maintenanceIntervals(config.maintenance, id, range, { uptimeOnly: true }),
      now,
    );
    return {
      day: new Date(start).toISOString().slice(0, 10),
      uptimePct: u.uptimePct,
      downMs: u.downMs,
      unknownMs: u.unknownMs,
      maintenanceMs: u.maintenanceMs,
    };
  });
  const incidents = periods
    .filter((p) => p.status === "down" || p.status === "degraded")
    .reverse()
    .slice(0, 50)
    .map((p) => ({
      status: p.status as "down" | "degraded",
      startedAt: p.startedAt.toISOString(),
      endedAt: p.endedAt?.toISOString() ?? null,
      durationMs: (p.endedAt ?? now).getTime() - p.startedAt.getTime(),
    }));
  return {
    health,
    config: configOf(component, secrets),
    window,
    series,
    daily,
    incidents,
    recent: recent.map((r) => ({
      checkedAt: r.checkedAt.toISOString(),
      status: r.status,
      ok: r.ok,
      latencyMs: r.latencyMs,
      detail: r.detail,
      error: r.error,
    })),
    generatedAt: now.toISOString(),
  };
}
