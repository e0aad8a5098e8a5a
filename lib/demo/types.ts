// Shared vocabulary of the demo stack: which services exist, how they can misbehave, and where they listen.

export const DEMO_SERVICE_IDS = [
  "api",
  "postgres",
  "redis",
  "prometheus",
  "grafana",
  "alertmanager",
  "jaeger",
  "gateway",
] as const;
export type DemoServiceId = (typeof DEMO_SERVICE_IDS)[number];

export const DEMO_MODES = ["healthy", "down", "failing", "slow"] as const;
export type DemoMode = (typeof DEMO_MODES)[number];

/** The wire protocol a service speaks, which decides the client a probe needs. */
export type DemoServiceKind = "http" | "https" | "postgres" | "redis";

export type ModeState = {
  readonly mode: DemoMode;
  /** Only non-zero in slow mode. */
  readonly delayMs: number;
  /** When the service entered this mode; alerts use it as their start time. */
  readonly since: Date;
};

export type SetModeOptions = { readonly delayMs?: number };

/** What one simulator knows about the others, so Prometheus and Alertmanager can tell the same story. */
export type PeerStatus = {
  readonly id: DemoServiceId;
  readonly host: string;
  readonly port: number;
  readonly state: ModeState;
};

export const DEFAULT_SLOW_DELAY_MS = 1500;
export const MAX_SLOW_DELAY_MS = 60_000;
export const DEFAULT_HOST = "127.0.0.1";

export const DEFAULT_PORTS: Readonly<Record<DemoServiceId, number>> = {
  api: 18000,
  postgres: 15432,
  redis: 16379,
  prometheus: 19090,
  grafana: 13000,
  alertmanager: 19093,
  jaeger: 14269,
  gateway: 18443,
};

export const SERVICE_NAMES: Readonly<Record<DemoServiceId, string>> = {
  api: "x0tta6bl4 API (FastAPI)",
  postgres: "PostgreSQL",
  redis: "Redis",
  prometheus: "Prometheus",
  grafana: "Grafana",
  alertmanager: "Alertmanager",
  jaeger: "Jaeger (admin)",
  gateway: "Mesh gateway (mTLS)",
};

export const SERVICE_KINDS: Readonly<Record<DemoServiceId, DemoServiceKind>> = {
  api: "http",
  postgres: "postgres",
  redis: "redis",
  prometheus: "http",
  grafana: "http",
  alertmanager: "http",
  jaeger: "http",
  gateway: "https",
};

export function isDemoServiceId(value: string): value is DemoServiceId {
  return (DEMO_SERVICE_IDS as readonly string[]).includes(value);
}
