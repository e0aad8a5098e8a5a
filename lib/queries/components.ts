import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { effectiveStatus, type ComponentStatus } from "../monitor/status";

export type ComponentHealth = {
  id: string;
  name: string;
  service: string;
  probeType: string;
  intervalMs: number;
  status: ComponentStatus;
  /** Start of the current status; null while unknown. */
  since: string | null;
  lastCheckedAt: string | null;
  lastLatencyMs: number | null;
  lastDetail: string | null;
  lastError: string | null;
};

export type SystemHealth = {
  system: { name: string; description: string | null; environment: string | null; release: { name: string; targetDate: string | null } | null };
  components: ComponentHealth[];
  operational: number;
  total: number;
  generatedAt: string;
};

/** Every configured component with its latest state, read from the latest-state table only. */
export async function getSystemHealth(now = new Date()): Promise<SystemHealth> {
  const { config } = getConfig();
  const states = await getPrisma().componentState.findMany({
    where: { componentId: { in: config.components.map((c) => c.id) } },
  });
  const byId = new Map(states.map((s) => [s.componentId, s]));
  const components = config.components.map((component): ComponentHealth => {
    const state = byId.get(component.id) ?? null;
    const status = effectiveStatus(state, component.interval, now);
    return {
      id: component.id,
      name: component.name,
      service: component.service,
      probeType: component.probe.type,
      intervalMs: component.interval,
      status,
      since: status === "unknown" || !state ? null : state.since.toISOString(),
      lastCheckedAt: state?.lastCheckedAt?.toISOString() ?? null,
      lastLatencyMs: state?.lastLatencyMs ?? null,
      lastDetail: state?.lastDetail ?? null,
      lastError: state?.lastError ?? null,
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
    generatedAt: now.toISOString(),
  };
}
