import type { TSlo } from "../config/slo-schema";
import type { TBurnWindow, TSloAmounts } from "./compute";

/** What a reader measured for one SLO, before the arithmetic of compute.ts. */
export type TSloMeasurement = {
  /** Milliseconds of time (availability) or counts of events (latency, ratio). */
  unit: "ms" | "events";
  window: TSloAmounts;
  burn: Record<TBurnWindow, TSloAmounts>;
  /** Known share of the window (0..1); undefined: known / (known + unknown); null: cannot be told. */
  coverage?: number | null;
  /** Bad amount from the window's start up to each point of the budget chart (compute.ts budgetPointTimes). */
  /** Bad and known amounts from the window's start up to each chart point. */
  points: { t: number; badSoFar: number; knownSoFar?: number }[];
  source: string;
  /** Why the figures are missing or partial (a Prometheus error), for the page to show. */
  reason: string | null;
};

export type TLatencySlo = TSlo & { sli: { kind: "latency"; thresholdMs: number } };
export type TAvailabilitySlo = TSlo & { sli: { kind: "availability" } };
export type TRatioSlo = TSlo & { sli: Extract<TSlo["sli"], { kind: "ratio" }> };

/** The components an SLO measures: its own, or every configured one for a system SLO. */
export function componentsOf(slo: TSlo, allIds: readonly string[]): string[] {
  return "component" in slo.target ? [slo.target.component] : [...allIds];
}

/** "api", or "4 components" for a system SLO: what a source string names. */
export function describeTarget(slo: TSlo, components: number): string {
  return "component" in slo.target ? slo.target.component : `${components} components`;
}

export const ZERO: TSloAmounts = { good: 0, bad: 0, unknown: 0 };
