// The "TSDB" behind the Prometheus simulator: plausible live numbers derived from the other simulators' modes,
// so a dashboard watching metrics sees the same outage that its direct probes see.
import { DEMO_SERVICE_IDS, type DemoServiceId, type PeerStatus } from "./types.js";

export type Labels = Readonly<Record<string, string>>;
export type Sample = { readonly labels: Labels; readonly value: number };
export type QueryContext = { readonly peers: readonly PeerStatus[]; readonly timeSeconds: number };

/** Prometheus' default scrape timeout: a slower target counts as down. */
export const SCRAPE_TIMEOUT_MS = 10_000;

type ResourceProfile = { cpuLimit: number; memoryLimit: number; cpu: number; memory: number };
const MiB = 1024 * 1024;
const PROFILES: Readonly<Record<DemoServiceId, ResourceProfile>> = {
  api: { cpuLimit: 1, memoryLimit: 512 * MiB, cpu: 0.18, memory: 212 * MiB },
  postgres: { cpuLimit: 2, memoryLimit: 1024 * MiB, cpu: 0.12, memory: 384 * MiB },
  redis: { cpuLimit: 0.5, memoryLimit: 256 * MiB, cpu: 0.03, memory: 46 * MiB },
  prometheus: { cpuLimit: 1, memoryLimit: 1024 * MiB, cpu: 0.09, memory: 418 * MiB },
  grafana: { cpuLimit: 0.5, memoryLimit: 512 * MiB, cpu: 0.04, memory: 148 * MiB },
  alertmanager: { cpuLimit: 0.25, memoryLimit: 128 * MiB, cpu: 0.01, memory: 31 * MiB },
  jaeger: { cpuLimit: 0.5, memoryLimit: 512 * MiB, cpu: 0.05, memory: 122 * MiB },
  // An Envoy-sized ingress: TLS handshakes cost it a little CPU, it holds little memory.
  gateway: { cpuLimit: 0.5, memoryLimit: 256 * MiB, cpu: 0.07, memory: 64 * MiB },
};

export type ContainerUsage = {
  readonly container: DemoServiceId;
  readonly cpuCores: number;
  readonly cpuLimitCores: number;
  readonly memoryBytes: number;
  readonly memoryLimitBytes: number;
};

export type ApiTraffic = {
  readonly requestRate: number;
  readonly errorRate: number;
  readonly latencySeconds: (quantile: number) => number;
};

/** A slow drift plus a faster ripple, deterministic in time so neighbouring queries agree. */
function wobble(timeSeconds: number, seed: number, amplitude = 0.08): number {
  return 1 + amplitude * Math.sin(timeSeconds / 37 + seed) + (amplitude / 2) * Math.sin(timeSeconds / 11 + seed * 2.3);
}

export function isScrapeUp(peer: PeerStatus): boolean {
  return peer.state.mode === "healthy" || (peer.state.mode === "slow" && peer.state.delayMs < SCRAPE_TIMEOUT_MS);
}

export function measureContainers(ctx: QueryContext): ContainerUsage[] {
  return ctx.peers
    .filter((peer) => peer.state.mode !== "down")
    .map((peer) => {
      const profile = PROFILES[peer.id];
      const seed = DEMO_SERVICE_IDS.indexOf(peer.id);
      const mode = peer.state.mode;
      // Slow is told as CPU throttling and memory pressure; failing as an idle process erroring out fast.
      const cpu = mode === "slow" ? profile.cpuLimit * 0.93 : profile.cpu * (mode === "failing" ? 0.35 : 1);
      const memory = mode === "slow" ? Math.min(profile.memory * 1.7, profile.memoryLimit * 0.94) : profile.memory;
      return {
        container: peer.id,
        cpuCores: Math.min(cpu * wobble(ctx.timeSeconds, seed, 0.05), profile.cpuLimit),
        cpuLimitCores: profile.cpuLimit,
        memoryBytes: Math.round(Math.min(memory * wobble(ctx.timeSeconds, seed, 0.02), profile.memoryLimit)),
        memoryLimitBytes: profile.memoryLimit,
      };
    });
}

/** Traffic served by the API; null while the API is down, because its series go stale and vanish. */
export function measureApiTraffic(ctx: QueryContext): ApiTraffic | null {
  const api = ctx.peers.find((peer) => peer.id === "api");
  if (api === undefined || api.state.mode === "down") return null;
  const mode = api.state.mode;
  const requestRate = (mode === "slow" ? 21.4 : 48.7) * wobble(ctx.timeSeconds, 1);
  const errorRatio = mode === "failing" ? 0.94 : mode === "slow" ? 0.031 : 0.0042 * wobble(ctx.timeSeconds, 4, 0.3);
  const baseLatency = mode === "failing" ? 0.011 : 0.043 + api.state.delayMs / 1000;
  return {
    requestRate,
    errorRate: requestRate * errorRatio,
    // A log-normal-ish tail: p50 near the base, p99 roughly three times it.
    latencySeconds: (q) => baseLatency * (1 + 2.2 * q ** 6) * wobble(ctx.timeSeconds, 7, 0.1),
  };
}

export function listSeries(ctx: QueryContext): Sample[] {
  const ups = ctx.peers.map((peer) => ({
    labels: { __name__: "up", instance: `${peer.host}:${peer.port}`, job: peer.id },
    value: isScrapeUp(peer) ? 1 : 0,
  }));
  const containers = measureContainers(ctx).flatMap((usage): Sample[] => {
    const base = { container: usage.container, namespace: "x0tta6bl4", pod: `x0tta6bl4-${usage.container}-0` };
    return [
      {
        labels: { __name__: "container_cpu_usage_seconds_total", ...base },
        value: usage.cpuCores * (ctx.timeSeconds % 86_400),
      },
      { labels: { __name__: "container_memory_working_set_bytes", ...base }, value: usage.memoryBytes },
      { labels: { __name__: "container_spec_memory_limit_bytes", ...base }, value: usage.memoryLimitBytes },
      {
        labels: { __name__: "kube_pod_container_resource_limits", ...base, resource: "cpu", unit: "core" },
        value: usage.cpuLimitCores,
      },
      {
        labels: { __name__: "kube_pod_container_resource_limits", ...base, resource: "memory", unit: "byte" },
        value: usage.memoryLimitBytes,
      },
    ];
  });
  return [...ups, ...containers];
}

type Matcher = { name: string; op: "=" | "!=" | "=~" | "!~"; value: string };

/** Evaluates a bare selector like `up{job="redis"}`; null when the expression is anything more than that. */
export function selectSeries(expression: string, ctx: QueryContext): Sample[] | null {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?(?:\{(.*)\})?$/.exec(expression);
  if (match === null || (match[1] === undefined && match[2] === undefined)) return null;
  const matchers = parseMatchers(match[2] ?? "");
  if (matchers === null) return null;
  if (match[1] !== undefined) matchers.push({ name: "__name__", op: "=", value: match[1] });
  const tests = matchers.map((m) => compileMatcher(m));
  if (tests.some((test) => test === null)) return null;
  return listSeries(ctx).filter((sample) => tests.every((test) => test?.accepts(sample.labels[test.label] ?? "")));
}

function parseMatchers(body: string): Matcher[] | null {
  const matchers: Matcher[] = [];
  const pattern = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  while (pattern.lastIndex < body.length) {
    const found = pattern.exec(body);
    if (found === null) return null;
    const [, name, op, value] = found;
    if (name === undefined || value === undefined || (op !== "=" && op !== "!=" && op !== "=~" && op !== "!~"))
      return null;
    matchers.push({ name, op, value: value.replace(/\\(.)/g, "$1") });
  }
  return matchers;
}

type LabelTest = { readonly label: string; readonly accepts: (value: string) => boolean };

function compileMatcher(matcher: Matcher): LabelTest | null {
  if (matcher.op === "=" || matcher.op === "!=") {
    const equal = matcher.op === "=";
    return { label: matcher.name, accepts: (value) => (value === matcher.value) === equal };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${matcher.value})$`);
  } catch {
    return null;
  }
  const positive = matcher.op === "=~";
  return { label: matcher.name, accepts: (value) => regex.test(value) === positive };
}
