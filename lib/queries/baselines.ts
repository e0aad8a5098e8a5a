import {
  BASELINE_METRICS,
  type BaselineMetric,
  type TBaseline,
  type TPromBaselineSource,
} from "../config/baseline-schema";
import { getConfig } from "../config/current";
import type { TConfig } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import { getPrisma } from "../db/client";
import { getLatencyStats } from "../history/latency";
import { describeTarget, judgeTarget, type Verdict } from "../monitor/baseline";
import { formatDuration, formatMeasure, type TMeasureUnit } from "../format";
import { getPromqlValue } from "../prometheus/query";
import { maskUrl } from "../redact";

export type BaselineRow = {
  baselineId: string;
  baseline: string;
  metric: BaselineMetric;
  label: string;
  measured: number | null;
  unit: TMeasureUnit;
  /** The measured value as every page shows it. */
  display: string;
  target: string;
  verdict: Verdict;
  /** Why there is no value, when there is none. */
  reason: string | null;
  window: string;
  source: string;
  /** When the value was read (PromQL answers are shared for their cadence); null for probe history. */
  observedAt: string | null;
};

export type ResourceRow = {
  container: string;
  resource: "cpu" | "memory";
  usage: number;
  limit: number;
  utilisationPct: number;
  headroom: number;
  unit: "cores" | "bytes";
  verdict: Verdict;
};

export type BaselinesView = {
  rows: BaselineRow[];
  resources: { rows: ResourceRow[]; maxUtilisationPct: number; source: string; error: string | null } | null;
  generatedAt: string;
};

const METRIC_INFO: Record<BaselineMetric, { label: string; unit: TMeasureUnit }> = {
  avgMs: { label: "Average", unit: "ms" },
  p95Ms: { label: "P95", unit: "ms" },
  p99Ms: { label: "P99", unit: "ms" },
  maxMs: { label: "Max", unit: "ms" },
  errorRatePct: { label: "Error rate", unit: "percent" },
  throughputRps: { label: "Throughput", unit: "rps" },
};

async function measureFromHistory(
  prisma: PrismaClient,
  baseline: TBaseline & { source: { component: string } },
  now: Date,
) {
  const stats = await getLatencyStats(
    prisma,
    baseline.source.component,
    new Date(now.getTime() - baseline.window),
    now,
  );
  const values: Record<BaselineMetric, number | null> = {
    avgMs: stats.avgMs,
    p95Ms: stats.p95Ms,
    p99Ms: stats.p99Ms,
    maxMs: stats.maxMs,
    errorRatePct: stats.count > 0 ? (100 * stats.failures) / stats.count : null,
    throughputRps: null,
  };
  const reasons: Partial<Record<BaselineMetric, string>> = {
    throughputRps: "a probe measures health checks, not traffic: use a PromQL or load-test source",
  };
  const noData = stats.count === 0 ? "no checks stored in this window yet" : null;
  return {
    values,
    reasons,
    noData,
    source: `probe history of ${baseline.source.component} (${stats.count} checks)`,
    at: null as Date | null,
  };
}

async function measureFromPrometheus(source: TPromBaselineSource) {
  const { prometheus: url, queries } = source;
  const values = Object.fromEntries(BASELINE_METRICS.map((m) => [m, null])) as Record<BaselineMetric, number | null>;
  const reasons: Partial<Record<BaselineMetric, string>> = {};
  let at: Date | null = null;
  await Promise.all(
    BASELINE_METRICS.map(async (metric) => {
      const spec = queries[metric];
      if (!spec) return;
      const result = await getPromqlValue(url, spec.query);
      if (!at || result.at < at) at = result.at;
      if (!result.ok) reasons[metric] = result.reason;
      else if (result.samples.length === 0) reasons[metric] = "the query returned no samples";
      else values[metric] = (result.samples[0]?.value ?? Number.NaN) * spec.scale;
    }),
  );
  return { values, reasons, noData: null, source: `PromQL on ${maskUrl(url)}`, at };
}

/** Reference 1.2: every declared baseline's measured values against its targets, and resource headroom. */
export async function getBaselines(
  now = new Date(),
  deps: { prisma: PrismaClient; config: TConfig } = { prisma: getPrisma(), config: getConfig().config },
): Promise<BaselinesView> {
  const { config, prisma } = deps;
  const rows: BaselineRow[] = [];
  for (const baseline of config.baselines) {
    const measured =
      "component" in baseline.source
        ? await measureFromHistory(prisma, baseline as TBaseline & { source: { component: string } }, now)
        : await measureFromPrometheus(baseline.source);
    for (const metric of BASELINE_METRICS) {
      const target = baseline.targets[metric];
      if (target === undefined) continue;
      const info = METRIC_INFO[metric];
      const value = measured.values[metric];
      rows.push({
        baselineId: baseline.id,
        baseline: baseline.name,
        metric,
        label: info.label,
        measured: value,
        unit: info.unit,
        display: value === null ? "no data" : formatMeasure(value, info.unit),
        target: describeTarget(target, (n) => formatMeasure(n, info.unit)),
        verdict: judgeTarget(value, target),
        reason: value === null ? (measured.noData ?? measured.reasons[metric] ?? "not measured") : null,
        window:
          "component" in baseline.source ? `last ${formatDuration(baseline.window)}` : "now (PromQL rate windows)",
        source: measured.source,
        observedAt: measured.at?.toISOString() ?? null,
      });
    }
  }
  return {
    rows,
    resources: config.resources ? await getResources(config.resources) : null,
    generatedAt: now.toISOString(),
  };
}

async function getResources(
  resources: NonNullable<TConfig["resources"]>,
): Promise<NonNullable<BaselinesView["resources"]>> {
  const out: ResourceRow[] = [];
  const errors: string[] = [];
  for (const [resource, spec, unit] of [
    ["cpu", resources.cpu, "cores"],
    ["memory", resources.memory, "bytes"],
  ] as const) {
    if (!spec) continue;
    const [usage, limit] = await Promise.all([
      getPromqlValue(resources.prometheus, spec.usage),
      getPromqlValue(resources.prometheus, spec.limit),
    ]);
    if (!usage.ok || !limit.ok) {
      errors.push(`${resource}: ${!usage.ok ? usage.reason : !limit.ok ? limit.reason : ""}`);
      continue;
    }
    const limits = new Map(limit.samples.map((s) => [s.labels[resources.label] ?? "", s.value]));
    for (const sample of usage.samples) {
      const name = sample.labels[resources.label] ?? "";
      const max = limits.get(name);
      if (max === undefined || max <= 0) continue;
      const utilisationPct = (100 * sample.value) / max;
      out.push({
        container: name,
        resource,
        usage: sample.value,
        limit: max,
        utilisationPct,
        headroom: max - sample.value,
        unit,
        verdict: utilisationPct <= resources.maxUtilisationPct ? "pass" : "fail",
      });
    }
  }
  return {
    rows: out,
    maxUtilisationPct: resources.maxUtilisationPct,
    source: `PromQL on ${maskUrl(resources.prometheus)}`,
    error: errors.length > 0 ? errors.join("; ") : null,
  };
}
