import type { TTarget } from "../config/baseline-schema";

export type Verdict = "pass" | "fail" | "no data";

/** A measured value against its target: at or under a ceiling, at or over a floor. */
export function judgeTarget(measured: number | null, target: TTarget): Verdict {
  if (measured === null || !Number.isFinite(measured)) return "no data";
  const { max, min } = typeof target === "number" ? { max: target, min: undefined } : target;
  if (max !== undefined && measured > max) return "fail";
  if (min !== undefined && measured < min) return "fail";
  return "pass";
}

export function describeTarget(target: TTarget, unit: string): string {
  if (typeof target === "number") return `≤ ${target}${unit}`;
  return [target.min !== undefined ? `≥ ${target.min}${unit}` : null, target.max !== undefined ? `≤ ${target.max}${unit}` : null].filter(Boolean).join(" and ");
}
