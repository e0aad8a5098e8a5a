import { Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

// Prometheus metrics of this process. The worker's own figures (probe latencies, scheduler lag, buffer) are
// recorded where they happen; the component states are read from the database at scrape time by
// app/metrics/route.ts, so any web replica reports them.

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "preflight_process_" });
  return {
    registry,
    probeDuration: new Histogram({
      name: "preflight_probe_duration_seconds",
      help: "Duration of each probe, by component and result",
      labelNames: ["component", "result"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    schedulerLag: new Histogram({
      name: "preflight_scheduler_lag_seconds",
      help: "How late each probe slot's timer fired",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [registry],
    }),
    bufferDepth: new Gauge({
      name: "preflight_result_buffer_depth",
      help: "Results waiting to be written",
      registers: [registry],
    }),
    droppedResults: new Gauge({
      name: "preflight_results_dropped",
      help: "Results lost because a worker's write buffer overflowed, since that worker started (from its heartbeat)",
      registers: [registry],
    }),
    componentUp: new Gauge({
      name: "preflight_component_up",
      help: "1 when the component's confirmed status is up or degraded, 0 when down; absent while unknown",
      labelNames: ["component"] as const,
      registers: [registry],
    }),
    componentStatus: new Gauge({
      name: "preflight_component_status",
      help: "1 for the component's current confirmed status",
      labelNames: ["component", "status"] as const,
      registers: [registry],
    }),
    componentLatency: new Gauge({
      name: "preflight_component_last_latency_seconds",
      help: "Latency of the component's last check",
      labelNames: ["component"] as const,
      registers: [registry],
    }),
    workerHeartbeatAge: new Gauge({
      name: "preflight_worker_heartbeat_age_seconds",
      help: "Age of the freshest worker heartbeat",
      registers: [registry],
    }),
    readinessScore: new Gauge({
      name: "preflight_readiness_score_percent",
      help: "Overall readiness score of the latest snapshot",
      registers: [registry],
    }),
    readinessBlockers: new Gauge({
      name: "preflight_readiness_blockers",
      help: "Critical checks and criteria not passed in the latest snapshot",
      registers: [registry],
    }),
    readinessSnapshotAge: new Gauge({
      name: "preflight_readiness_snapshot_age_seconds",
      help: "Age of the latest readiness snapshot",
      registers: [registry],
    }),
    sloSli: new Gauge({
      name: "preflight_slo_sli_percent",
      help: "SLI over the SLO's rolling window (percent good of known)",
      labelNames: ["slo"] as const,
      registers: [registry],
    }),
    sloObjective: new Gauge({
      name: "preflight_slo_objective_percent",
      help: "The SLO's objective",
      labelNames: ["slo"] as const,
      registers: [registry],
    }),
    sloBudgetRemaining: new Gauge({
      name: "preflight_slo_error_budget_remaining_percent",
      help: "Error budget left over the SLO's window (below 0 once overspent)",
      labelNames: ["slo"] as const,
      registers: [registry],
    }),
    sloBurnRate: new Gauge({
      name: "preflight_slo_burn_rate",
      help: "Error budget burn rate over a window (1 = exactly on budget)",
      labelNames: ["slo", "window"] as const,
      registers: [registry],
    }),
    sloAlert: new Gauge({
      name: "preflight_slo_burn_alert",
      help: "1 while the SLO's multi-window burn alert fires (severity: fast or slow)",
      labelNames: ["slo", "severity"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
const globalForMetrics = globalThis as unknown as { preflightMetrics?: Metrics };

export function getMetrics(): Metrics {
  globalForMetrics.preflightMetrics ??= createMetrics();
  return globalForMetrics.preflightMetrics;
}
