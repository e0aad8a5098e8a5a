import { formatPercent, formatScore } from "../format";
export type ReadinessTrendPointLike = { takenAt: string; overallPct: number | null };

/** The readiness trend in words, for the chart's label and for readers without the chart. */
export function describeTrend(points: ReadinessTrendPointLike[], days: number, gateMinPct: number): string {
  const scored = points.filter((p) => p.overallPct !== null);
  const first = scored[0];
  const last = scored.at(-1);
  const pct = formatScore;
  return first && last
    ? `Readiness over the last ${days} days: ${scored.length} snapshot${scored.length === 1 ? "" : "s"}, from ${pct(first.overallPct)} to ${pct(last.overallPct)}; the gate needs ${formatPercent(gateMinPct)}.`
    : `No scored snapshot in the last ${days} days.`;
}
