"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useViewerZone } from "@/components/ui/zone-context";
import { formatAxisTick, formatLatency, formatTime } from "@/lib/format";
import type { SeriesPoint } from "@/lib/history/series";

const LINES = [
  { key: "p50", name: "p50", color: "#0ea5e9" },
  { key: "p95", name: "p95", color: "#f59e0b" },
  { key: "p99", name: "p99", color: "#ef4444" },
] as const;

/** How long the data spans (not the window): a 7-day window holding an hour of data is labelled by clock time. */
function dataSpan(points: SeriesPoint[]): number {
  const times = points.filter((p) => p.p50 !== null).map((p) => Date.parse(p.t));
  return times.length > 1 ? Math.max(...times) - Math.min(...times) : 0;
}

/**
 * p50/p95/p99 latency over a window, in the viewer's time zone; lines are told apart by dash as well as colour. A
 * line needs two points: while a window holds only one bucket with data (a server just started), the points are
 * drawn as dots instead of nothing.
 */
export function LatencyChart({ points, label }: { points: SeriesPoint[]; windowMs?: number; label: string }) {
  const zone = useViewerZone();
  const span = dataSpan(points);
  const withData = points.filter((p) => p.p50 !== null).length;
  if (withData === 0) {
    return <p className="py-12 text-center text-sm text-slate-500 dark:text-slate-400">No successful checks in this window yet.</p>;
  }
  return (
    <div className="h-64 w-full" role="img" aria-label={label} data-testid="latency-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
          <XAxis dataKey="t" tickFormatter={(t: string) => formatAxisTick(Date.parse(t), span, zone)} minTickGap={40} fontSize={12} />
          <YAxis unit=" ms" width={70} fontSize={12} />
          <Tooltip
            labelFormatter={(t) => formatTime(String(t), zone)}
            formatter={(value) => (typeof value === "number" ? formatLatency(value) : "no data")}
          />
          <Legend />
          {LINES.map((line, i) => (
            <Line
              key={line.key}
              type="monotone"
              dataKey={line.key}
              name={line.name}
              stroke={line.color}
              strokeDasharray={["", "6 3", "2 2"][i]}
              strokeWidth={2}
              dot={withData < 2 ? { r: 4, fill: line.color } : false}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
