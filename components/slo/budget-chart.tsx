"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import {
  AXIS,
  ChartFigure,
  SERIES_COLOURS,
  seriesDot,
  tooltipContent,
  timeAxis,
} from "@/components/charts/chart-parts";
import { useViewerZone } from "@/components/ui/zone-context";
import { formatDuration } from "@/lib/config/duration";
import { formatPercent, formatTime } from "@/lib/format";
import type { TBudgetPoint } from "@/lib/slo/compute";

/** The error budget left over the SLO's window, day by day, down to the 0 % line where it is spent. */
export function BudgetChart({
  name,
  points,
  coverage,
  window,
  windowMs,
}: {
  name: string;
  points: TBudgetPoint[];
  /** Known share of the window (null: not known); below a whole window the chart says how much it has seen. */
  coverage: number | null;
  window: string;
  windowMs: number;
}) {
  const zone = useViewerZone();
  const data = points
    .map((p) => ({ t: Date.parse(p.t), remaining: p.remainingPct }))
    .filter((d) => Number.isFinite(d.t));
  const known = data.filter((d) => d.remaining !== null);
  if (known.length === 0)
    return (
      <p className="py-6 text-center text-sm text-slate-600 dark:text-slate-300">
        No budget figure yet: nothing in the window is known.
      </p>
    );
  // Drawn over what was observed, from the last point before observation began: not over days nobody watched.
  const shown = data.slice(
    Math.max(
      0,
      data.findIndex((d) => d.remaining !== null),
    ),
  );
  const from = shown[0]?.t ?? 0;
  const to = shown.at(-1)?.t ?? from;
  const collecting =
    coverage !== null && coverage < 0.99 ? `collecting: ${formatDuration(coverage * windowMs)} of ${window}` : null;
  const low = Math.min(0, ...known.map((d) => d.remaining ?? 0));
  const first = known[0]?.remaining ?? null;
  const last = known.at(-1)?.remaining ?? null;
  return (
    <ChartFigure
      data-testid="slo-budget-chart"
      label={`Error budget left for ${name} over its window`}
      summary={`${known.length} daily point${known.length === 1 ? "" : "s"}: from ${formatPercent(first)} to ${formatPercent(last)} of the budget left. Source: the SLO's measurements, counted from the window's start.`}
      heightClass="h-48"
      coverageLabel={collecting}
      coverageState={collecting ? "partial" : "full"}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={shown} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.25} />
          <XAxis {...timeAxis(from, to, zone)} />
          <YAxis domain={[Math.floor(low), 100]} unit=" %" width={56} {...AXIS} />
          <ReferenceLine y={0} stroke="currentColor" strokeDasharray="6 3" />
          <Tooltip
            content={tooltipContent(
              (t) => formatTime(t, zone),
              (value) => (value === null ? "no figure" : `${formatPercent(Number(value))} left`),
            )}
          />
          <Line
            type="monotone"
            dataKey="remaining"
            name="Budget left"
            className={SERIES_COLOURS.sky.text}
            stroke="currentColor"
            strokeWidth={2}
            dot={seriesDot(SERIES_COLOURS.sky.fill, known.length <= 40, new Set())}
            isAnimationActive={false}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
