import type { ReadinessResult } from "./evaluate";

export type GateVerdict = { passed: boolean; minScorePct: number; reasons: string[] };

const pct = (n: number) => `${(Math.floor(n * 10) / 10).toFixed(1)} %`;

/**
 * The go-live gate on readiness alone: open only when the overall score reaches the minimum and every critical
 * check and criterion has passed (a pending critical check blocks too: missing evidence is not a pass).
 */
export function judgeGate(result: Pick<ReadinessResult, "overallPct" | "blockers">, minScorePct: number): GateVerdict {
  const reasons: string[] = [];
  if (result.overallPct === null) reasons.push("nothing is scored yet: no check has evidence");
  else if (result.overallPct < minScorePct) reasons.push(`score ${pct(result.overallPct)} is below the ${minScorePct} % minimum`);
  for (const b of result.blockers) reasons.push(`critical ${b.category === null ? "criterion" : "check"} "${b.name}" is ${b.verdict}${b.reason ? `: ${b.reason}` : ""}`);
  return { passed: reasons.length === 0, minScorePct, reasons };
}
