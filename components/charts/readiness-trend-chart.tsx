"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useViewerZone } from "@/components/ui/zone-context";
import { floorScore, formatAxisTick, formatPercent, formatScore, formatTime } from "@/lib/format";

export type ReadinessTrendPoint = { takenAt: string; overallPct: number | null; blockers: number };


/**
 * The overall readiness score over time, one point per stored snapshot (taken when a verdict changes and at least
 * hourly), drawn as steps because the score holds until the next snapshot. The gate's minimum is a dashed line.
 */
export function ReadinessTrendChart({ points, gateMinPct, label }: { points: ReadinessTrendPoint[]; gateMinPct: number; label: string }) {
  const zone = useViewerZone();
  // Rounded down as the gate judges: 89.96 is drawn and labelled 89.9, never a passing 90.0.
  const data = points.map((p) => ({ t: Date.parse(p.takenAt), score: p.overallPct === null ? null : floorScore(p.overallPct), blockers: p.blockers }));
  const times = data.map((d) => d.t);
  const span = times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
  if (!data.some((d) => d.score !== null)) {
    return <p className="py-12 text-center text-sm text-slate-500 dark:text-slate-400">No scored snapshot in this window yet.</p>;
  }
  return (
    <div className="h-56 w-full" role="img" aria-label={label} data-testid="readiness-trend">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t: number) => formatAxisTick(t, span, zone)} minTickGap={40} fontSize={12} />
          <YAxis domain={[0, 100]} unit=" %" width={56} fontSize={12} />
          <ReferenceLine y={gateMinPct} stroke="#64748b" strokeDasharray="6 3" label={{ value: `gate ${formatPercent(gateMinPct)}`, position: "insideBottomRight", fontSize: 11, fill: "#64748b" }} />
          <Tooltip
            labelFormatter={(t) => formatTime(Number(t), zone)}
            formatter={(value, name, item) => {
              const blockers = (item?.payload as { blockers?: number } | undefined)?.blockers ?? 0;
              return [typeof value === "number" ? `${formatScore(value)} (${blockers} blocker${blockers === 1 ? "" : "s"})` : "no score", "Readiness"];
            }}
          />
          <Line type="stepAfter" dataKey="score" name="Readiness" stroke="#0ea5e9" strokeWidth={2} dot={data.length < 40} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
