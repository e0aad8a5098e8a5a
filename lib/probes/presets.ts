// Presets are HTTP probes with the service's own health endpoint and verdict built in, so a configuration
// says `type: grafana` and a URL instead of repeating the path and conditions for every installation.
import type { THttpProbe, TPresetProbe } from "../config/probe-schema";

type PresetSpec = { path: string; conditions: string[] };

const PRESETS: Record<TPresetProbe["type"], PresetSpec> = {
  // Grafana answers 200 with {"database":"ok"} only when its own database is reachable.
  grafana: { path: "api/health", conditions: ["[STATUS] == 200", "[BODY].database == ok"] },
  alertmanager: { path: "-/healthy", conditions: ["[STATUS] == 200"] },
  // Jaeger's admin port answers {"status":"Server available"} once every component is ready.
  jaeger: { path: "", conditions: ["[STATUS] == 200", '[BODY].status == "Server available"'] },
};

/** The HTTP probe a preset stands for: its health URL, its conditions first, then the configured ones. */
export function expandPreset(probe: TPresetProbe): THttpProbe {
  const spec = PRESETS[probe.type];
  const base = probe.type === "jaeger" ? (probe.adminUrl ?? probe.url) : probe.url;
  return {
    type: "http",
    url: joinUrl(base, spec.path),
    method: "GET",
    headers: probe.headers,
    followRedirects: false,
    ...(probe.tls !== undefined && { tls: probe.tls }),
    conditions: [...spec.conditions, ...(probe.conditions ?? [])],
  };
}

/** Appends a path to a base URL, keeping any prefix the service is mounted under (https://ops/grafana). */
export function joinUrl(base: string, path: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path}`;
  return url.toString();
}
