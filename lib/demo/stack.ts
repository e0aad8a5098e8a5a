// The demo stack: eight loopback simulators playing x0tta6bl4's components, each switchable between healthy,
// down, failing and slow so a user can watch an outage appear on the dashboard and heal.
import type { Server } from "node:net";
import { createTemporaryDemoPki, type DemoPki } from "./demo-pki.js";
import { buildGatewayServer } from "./gateway-sim.js";
import { buildHttpServer } from "./http-sim.js";
import {
  createAlertmanagerRoutes,
  createApiRoutes,
  createGrafanaRoutes,
  createJaegerAdminRoutes,
} from "./http-services.js";
import { buildPostgresServer, handlePostgresModeChange } from "./postgres-sim.js";
import { createPrometheusRoutes } from "./prometheus-sim.js";
import { buildRedisServer } from "./redis-sim.js";
import { createSwitchableServer, type SimulatorContext, type SwitchableServer } from "./switchable-server.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORTS,
  DEMO_SERVICE_IDS,
  SERVICE_KINDS,
  SERVICE_NAMES,
  type DemoMode,
  type DemoServiceId,
  type DemoServiceKind,
  type ModeState,
  type PeerStatus,
  type SetModeOptions,
} from "./types.js";

export type DemoStackOptions = {
  readonly host?: string;
  /** Per-service ports; 0 picks an ephemeral port (tests). Wins over basePort. */
  readonly ports?: Partial<Record<DemoServiceId, number>>;
  /** Consecutive ports from here in DEMO_SERVICE_IDS order; 0 makes every port ephemeral. */
  readonly basePort?: number;
  /** Certificates of the mesh gateway; without them a throwaway PKI is made and removed on stop (tests). */
  readonly pki?: DemoPki;
};

export type DemoService = {
  readonly id: DemoServiceId;
  readonly name: string;
  readonly kind: DemoServiceKind;
  readonly port: number;
  /** Base URL for HTTP services, a connection URL for Postgres and Redis. */
  readonly url: string;
};

export type DemoServiceModes = Record<
  DemoServiceId,
  { readonly mode: DemoMode; readonly delayMs: number; readonly since: string }
>;

export type DemoStack = {
  readonly host: string;
  readonly services: readonly DemoService[];
  readonly setMode: (id: DemoServiceId, mode: DemoMode, options?: SetModeOptions) => Promise<void>;
  readonly getModes: () => DemoServiceModes;
  readonly stop: () => Promise<void>;
};

export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const host = options.host ?? DEFAULT_HOST;
  const { pki, remove: removePki } = options.pki
    ? { pki: options.pki, remove: async () => undefined }
    : await createTemporaryDemoPki();
  const simulators = new Map<DemoServiceId, SwitchableServer>();
  const getPeers = (): PeerStatus[] =>
    [...simulators].map(([id, sim]) => ({ id, host, port: sim.port(), state: sim.state() }));

  for (const [index, id] of DEMO_SERVICE_IDS.entries()) {
    const port = pickPort(id, index, options);
    simulators.set(id, createSwitchableServer({ host, port, ...buildSimulator(id, getPeers, pki) }));
  }

  const started: SwitchableServer[] = [];
  try {
    for (const [id, sim] of simulators) {
      await sim.listen().catch((err: unknown) => {
        throw new Error(
          `demo ${id} could not listen on ${host}:${sim.port()}: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err },
        );
      });
      started.push(sim);
    }
  } catch (err) {
    await Promise.all(started.map((sim) => sim.close()));
    await removePki();
    throw err;
  }

  const services = [...simulators].map(([id, sim]) => describeService(id, host, sim.port()));
  const lookup = (id: DemoServiceId): SwitchableServer => {
    const sim = simulators.get(id);
    if (sim === undefined) throw new Error(`unknown demo service "${id}"`);
    return sim;
  };

  return {
    host,
    services,
    setMode: (id, mode, modeOptions) => lookup(id).setMode(mode, modeOptions),
    getModes: () => {
      const entries = [...simulators].map(([id, sim]) => [id, renderMode(sim.state())] as const);
      return Object.fromEntries(entries) as DemoServiceModes;
    },
    stop: async () => {
      await Promise.all([...simulators.values()].map((sim) => sim.close()));
      await removePki();
    },
  };
}

type SimulatorParts = {
  readonly build: (ctx: SimulatorContext) => Server;
  readonly onModeChange?: (state: ModeState, ctx: SimulatorContext) => void;
};

function buildSimulator(id: DemoServiceId, getPeers: () => readonly PeerStatus[], pki: DemoPki): SimulatorParts {
  switch (id) {
    case "api":
      return { build: buildHttpServer(createApiRoutes()) };
    case "postgres":
      return { build: buildPostgresServer, onModeChange: handlePostgresModeChange };
    case "redis":
      return { build: buildRedisServer };
    case "prometheus":
      return { build: buildHttpServer(createPrometheusRoutes(getPeers)) };
    case "grafana":
      return { build: buildHttpServer(createGrafanaRoutes()) };
    case "alertmanager":
      return { build: buildHttpServer(createAlertmanagerRoutes(getPeers)) };
    case "jaeger":
      return { build: buildHttpServer(createJaegerAdminRoutes()) };
    case "gateway":
      return { build: buildGatewayServer(pki) };
  }
}

function pickPort(id: DemoServiceId, index: number, options: DemoStackOptions): number {
  const explicit = options.ports?.[id];
  if (explicit !== undefined) return explicit;
  if (options.basePort !== undefined) return options.basePort === 0 ? 0 : options.basePort + index;
  return DEFAULT_PORTS[id];
}

function describeService(id: DemoServiceId, host: string, port: number): DemoService {
  const kind = SERVICE_KINDS[id];
  const authority = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const url =
    kind === "postgres"
      ? `postgres://x0tta6bl4@${authority}/x0tta6bl4`
      : kind === "redis"
        ? `redis://${authority}`
        : `${kind}://${authority}`;
  return { id, name: SERVICE_NAMES[id], kind, port, url };
}

function renderMode(state: ModeState): DemoServiceModes[DemoServiceId] {
  return { mode: state.mode, delayMs: state.delayMs, since: state.since.toISOString() };
}
