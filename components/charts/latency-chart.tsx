"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useViewerZone } from "@/components/ui/zone-context";
import { chartCoverage, isolatedIndexes, seriesStepMs } from "@/lib/charts/coverage";
import { summariseValues } from "@/lib/charts/summary";
import { formatLatency, formatTime } from "@/lib/format";
import type { SeriesPoint } from "@/lib/history/series";
import { AXIS, ChartFigure, ChartLegend, SERIES_COLOURS, seriesDot, tooltipContent, timeAxis } from "./chart-parts";

const LINES = [
  { key: "p50", name: "p50", colour: SERIES_COLOURS.sky, dash: "" },
  { key: "p95", name: "p95", colour: SERIES_COLOURS.amber, dash: "6 3" },
  { key: "p99", name: "p99", colour: SERIES_COLOURS.red, dash: "2 2" },
] as const;

/** Up to this many buckets with data, every point gets a dot. */
const FEW_POINTS = 24;

type TLatencyChartProps = {
  points: SeriesPoint[];
  /** The chart's name: "API latency (p50, p95, p99), last 24h". */
  label: string;
  /** The window the chart shows; without it, the span of the series. */
  windowMs?: number;
  /** The window's name in "collecting: 4m of 24h" ("24h"); default its duration. */
  windowLabel?: string;
  /** When the component was first observed (ISO), if known: data may start before the first bucket with latency. */
  firstObservedAt?: string | null;
};

/**
 * p50/p95/p99 latency over a window, in the viewer's time zone; lines are told apart by dash as well as colour.
 * While the data covers less than the window, the axis spans only the data ("collecting: 4m of 24h" above it), so
 * four minutes are not a sliver at the right edge of a day; few points and lone buckets are drawn as dots.
 */
export function LatencyChart({ points, label, windowMs, windowLabel, firstObservedAt }: TLatencyChartProps) {
  const zone = useViewerZone();
  const all = points.map((p) => ({ t: Date.parse(p.t), p50: p.p50, p95: p.p95, p99: p.p99 }));
  const withData = all.filter((p) => p.p50 !== null || p.p95 !== null || p.p99 !== null);
  if (withData.length === 0) {
    return (
      <p className="py-12 text-center text-sm text-slate-600 dark:text-slate-300">
        No successful checks in this window yet.
      </p>
    );
  }
  const bucketMs = seriesStepMs(all.map((p) => p.t));
  const last = all.at(-1);
  const end = last ? last.t + bucketMs : undefined;
  const coverage = chartCoverage({
    windowMs: windowMs ?? (end !== undefined && all[0] ? end - all[0].t : bucketMs),
    times: withData.map((p) => p.t),
    end,
    firstObservedAt: firstObservedAt ? Date.parse(firstObservedAt) : null,
    bucketMs,
    windowLabel,
  });
  const [from, to] = coverage.domain ?? [all[0]?.t ?? 0, end ?? 0];
  // Only the span the chart draws: buckets before the first observation are not data, they are the past.
  const data = all.filter((p) => p.t >= from && p.t <= to);
  const few = coverage.points <= FEW_POINTS;
  const p95 = summariseValues(withData.map((p) => p.p95));
  const p50 = summariseValues(withData.map((p) => p.p50));
  const p99 = summariseValues(withData.map((p) => p.p99));
  const summary = p95
    ? `p95 over ${coverage.points} bucket${coverage.points === 1 ? "" : "s"} with data: median ${formatLatency(p95.median)}, lowest ${formatLatency(p95.min)}, highest ${formatLatency(p95.max)}; p50 median ${formatLatency(p50?.median)}, p99 highest ${formatLatency(p99?.max)}. From rollups of successful checks.`
    : "From rollups of successful checks.";
  return (
    <ChartFigure
      data-testid="latency-chart"
      label={label}
      coverageLabel={coverage.label}
      coverageState={coverage.state}
      summary={summary}
      heightClass="h-64"
      legend={<ChartLegend items={LINES.map((l) => ({ name: l.name, colour: l.colour, dash: l.dash }))} />}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.25} />
          <XAxis {...timeAxis(from, to, zone)} />
          <YAxis unit=" ms" width={70} {...AXIS} />
          <Tooltip
            content={tooltipContent(
              (t) => formatTime(t, zone),
              (value) => (value === null ? "no data" : formatLatency(value)),
            )}
          />
          {LINES.map((line) => (
            <Line
              key={line.key}
              type="monotone"
              dataKey={line.key}
              name={line.name}
              className={line.colour.text}
              stroke="currentColor"
              strokeDasharray={line.dash}
              strokeWidth={2}
              dot={seriesDot(line.colour.fill, few, isolatedIndexes(data.map((p) => p[line.key])))}
              activeDot={seriesDot(line.colour.fill, true, new Set())}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
