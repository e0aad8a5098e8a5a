import type { TSlo, TSloIndicator, TSloTarget } from "../config/slo-schema";
import type { TQueryContext } from "../queries/context";
import { budgetSeries, evaluateSlo, formatWindow, type TBudgetPoint, type TSloFigures } from "./compute";
import type { TAvailabilitySlo, TLatencySlo, TRatioSlo, TSloMeasurement } from "./measurement";
import { measureAvailability } from "./read-availability";
import { measureLatency } from "./read-latency";
import { measureRatio, type TPromQuery } from "./read-ratio";

// The one read of SLO figures: every page, the scorecard's `slo` check, the gate, the report and /metrics call
// getSlos. All availability SLOs together cost one read of the state periods, all latency SLOs one statement over
// the rollups, and ratio SLOs their Prometheus queries (shared with every other PromQL reader through its cache).

export type TSloResult = TSloFigures & {
  id: string;
  name: string;
  description: string | null;
  kind: TSloIndicator["kind"];
  target: TSloTarget;
  /** Percent. */
  objective: number;
  windowMs: number;
  /** The window as written for people: "30d". */
  window: string;
  /** What amounts and budget are counted in: milliseconds of time (availability) or events (latency, ratio). */
  unit: "ms" | "events";
  /** Budget remaining from the window's start to now, daily, when asked for (`series: true`); never for ratio
   *  SLOs (Prometheus is read at now only). */
  series: TBudgetPoint[];
  /** Where the figures come from: "probe history (state periods) of api, 30d rolling". */
  source: string;
  /** Why figures are missing or partial, when they are. */
  reason: string | null;
};

export type TGetSlosOptions = {
  /** Only these SLOs (by id). */
  ids?: readonly string[];
  /** With the budget-over-time chart (the SLO page); the overview, gate and /metrics need none of it. */
  series?: boolean;
  /** Prometheus reader for ratio SLOs; the shared cached one by default. */
  query?: TPromQuery;
};

const isKind =
  <K extends TSloIndicator["kind"]>(kind: K) =>
  (slo: TSlo): slo is TSlo & { sli: Extract<TSloIndicator, { kind: K }> } =>
    slo.sli.kind === kind;

/** Figures of `slos` (the configuration's `slos`) at ctx.now, in their order. */
export async function getSlos(
  ctx: TQueryContext,
  slos: readonly TSlo[],
  options: TGetSlosOptions = {},
): Promise<TSloResult[]> {
  const wanted = options.ids ? slos.filter((slo) => options.ids?.includes(slo.id)) : [...slos];
  const ratio = wanted.filter(isKind("ratio")) as TRatioSlo[];
  const [availability, latency, ratios] = await Promise.all([
    measureAvailability(ctx, wanted.filter(isKind("availability")) as TAvailabilitySlo[], { series: options.series }),
    measureLatency(ctx, wanted.filter(isKind("latency")) as TLatencySlo[]),
    Promise.all(ratio.map((slo) => measureRatio(slo, ctx.now, options.query))),
  ]);
  const measured = new Map<string, TSloMeasurement>([...availability, ...latency]);
  ratio.forEach((slo, i) => {
    const m = ratios[i];
    if (m) measured.set(slo.id, m);
  });
  return wanted.flatMap((slo) => {
    const m = measured.get(slo.id);
    if (!m) return [];
    // Latency reads its chart days anyway; they are dropped too when not asked for, so every kind answers alike.
    return [toResult(slo, options.series ? m : { ...m, points: [] })];
  });
}

/** One SLO's figures, or null when it is not configured. */
export async function getSlo(ctx: TQueryContext, slos: readonly TSlo[], id: string, options: TGetSlosOptions = {}) {
  return (await getSlos(ctx, slos, { ...options, ids: [id] }))[0] ?? null;
}

export function toResult(slo: TSlo, m: TSloMeasurement): TSloResult {
  const figures = evaluateSlo({ objective: slo.objective, window: m.window, burn: m.burn, coverage: m.coverage });
  return {
    ...figures,
    id: slo.id,
    name: slo.name,
    description: slo.description ?? null,
    kind: slo.sli.kind,
    target: slo.target,
    objective: slo.objective,
    windowMs: slo.window,
    window: formatWindow(slo.window),
    unit: m.unit,
    series: budgetSeries(figures.budget.allowed, m.points),
    source: m.source,
    reason: m.reason,
  };
}
