import type { TProbe } from "../config/probe-schema";
import { runHttpProbe } from "./http";
import { runPostgresProbe } from "./postgres";
import { expandPreset } from "./presets";
import { runPrometheusProbe } from "./prometheus";
import { runRedisProbe } from "./redis";
import { runTcpProbe } from "./tcp";
import type { ProbeOutcome } from "./types";

export function runProbe(probe: TProbe, timeoutMs: number): Promise<ProbeOutcome> {
  switch (probe.type) {
    case "http":
      return runHttpProbe(probe, timeoutMs);
    case "tcp":
      return runTcpProbe(probe, timeoutMs);
    case "postgres":
      return runPostgresProbe(probe, timeoutMs);
    case "redis":
      return runRedisProbe(probe, timeoutMs);
    case "prometheus":
      return runPrometheusProbe(probe, timeoutMs);
    case "grafana":
    case "alertmanager":
    case "jaeger":
      return runHttpProbe(expandPreset(probe), timeoutMs);
  }
}
