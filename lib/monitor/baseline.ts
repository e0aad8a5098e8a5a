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

/** A target in the same unit as its value: the caller's formatter (lib/format) writes both. */
export function describeTarget(target: TTarget, format: (value: number) => string): string {
  if (typeof target === "number") return `≤ ${format(target)}`;
  return [
    target.min !== undefined ? `≥ ${format(target.min)}` : null,
    target.max !== undefined ? `≤ ${format(target.max)}` : null,
  ]
    .filter(Boolean)
    .join(" and ");
}
