import { formatPercent, formatScore } from "../format";
import type { CheckResult, ReadinessResult } from "./evaluate";

export type GateVerdict = { passed: boolean; minScorePct: number; reasons: string[] };

/**
 * One blocker line, as every page, the report, the API and the gate command write it: the check, its verdict, the
 * measured value and the threshold, then why: `critical check "API error rate" is failed: measured 0.48 %, needs
 * value < 0.1 %`.
 */
export function describeBlocker(
  b: Pick<CheckResult, "name" | "verdict" | "category" | "measured" | "threshold" | "reason">,
): string {
  return `critical ${b.category === null ? "criterion" : "check"} "${b.name}" is ${b.verdict}: ${describeFigures(b)}`;
}

/** "measured 0.48 %, needs value < 0.1 %; <why>": the part of a blocker or gap line after its name. */
export function describeFigures(b: Pick<CheckResult, "measured" | "threshold" | "reason">): string {
  const why = b.reason && !(b.measured !== null && b.reason.includes(b.measured)) ? `; ${b.reason}` : "";
  return `${b.measured === null ? "nothing measured" : `measured ${b.measured}`}, needs ${b.threshold}${why}`;
}

/**
 * The go-live gate on readiness alone: open only when the overall score reaches the minimum and every critical
 * check and criterion has passed (a pending critical check blocks too: missing evidence is not a pass).
 */
export function judgeGate(result: Pick<ReadinessResult, "overallPct" | "blockers">, minScorePct: number): GateVerdict {
  const reasons: string[] = [];
  if (result.overallPct === null) reasons.push("nothing is scored yet: no check has evidence");
  else if (result.overallPct < minScorePct)
    reasons.push(`score ${formatScore(result.overallPct)} is below the ${formatPercent(minScorePct)} minimum`);
  for (const b of result.blockers) reasons.push(describeBlocker(b));
  return { passed: reasons.length === 0, minScorePct, reasons };
}
