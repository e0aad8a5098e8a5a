"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useViewerZone } from "@/components/ui/zone-context";
import { chartCoverage, isolatedIndexes } from "@/lib/charts/coverage";
import { summariseValues } from "@/lib/charts/summary";
import { floorScore, formatPercent, formatScore, formatTime } from "@/lib/format";
import { AXIS, ChartFigure, SERIES_COLOURS, seriesDot, tooltipContent, timeAxis } from "./chart-parts";

export type ReadinessTrendPoint = { takenAt: string; overallPct: number | null; blockers: number };

const DAY_MS = 86_400_000;
/** Snapshots are taken when a verdict changes and at least hourly: a first one within the hour covers the window. */
const SNAPSHOT_SLACK_MS = 3_600_000;
/** The median spacing of the points: a series of one point a day (the report's) covers its window from a day in. */
function medianGap(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => t - (sorted[i] ?? t));
  return summariseValues(gaps)?.median ?? 0;
}

/** Up to this many snapshots, each gets a dot. */
const FEW_POINTS = 40;

type TReadinessTrendProps = {
  points: ReadinessTrendPoint[];
  gateMinPct: number;
  /** The chart's name (the overview passes its sentence about the trend). */
  label: string;
  /** The window the trend covers; 30 days (the overview's) by default. */
  windowMs?: number;
  /** The window's name in "collecting: 4m of 30d"; default its duration. */
  windowLabel?: string;
  /** The end of the window (ISO: the evaluation the page shows); without it, the newest snapshot. */
  now?: string;
};

/**
 * The overall readiness score over time, one point per stored snapshot (taken when a verdict changes and at least
 * hourly), drawn as steps because the score holds until the next snapshot. The gate's minimum is a dashed line.
 * While the snapshots cover less than the window, the axis spans only them and the chart says "collecting: 4m of
 * 30d"; a single snapshot is a dot.
 */
export function ReadinessTrendChart({
  points,
  gateMinPct,
  label,
  windowMs = 30 * DAY_MS,
  windowLabel,
  now,
}: TReadinessTrendProps) {
  const zone = useViewerZone();
  // Rounded down as the gate judges: 89.96 is drawn and labelled 89.9, never a passing 90.0.
  const data = points.map((p) => ({
    t: Date.parse(p.takenAt),
    score: p.overallPct === null ? null : floorScore(p.overallPct),
    blockers: p.blockers,
  }));
  const scored = data.filter((d) => d.score !== null);
  if (scored.length === 0) {
    return (
      <p className="py-12 text-center text-sm text-slate-600 dark:text-slate-300">
        No scored snapshot in this window yet.
      </p>
    );
  }
  const nowMs = now ? Date.parse(now) : Number.NaN;
  const coverage = chartCoverage({
    windowMs,
    times: scored.map((d) => d.t),
    // Unscored snapshots are observations too: the trend has been collecting since the first of them.
    firstObservedAt: data[0]?.t ?? null,
    end: Number.isFinite(nowMs) ? Math.max(nowMs, ...data.map((d) => d.t)) : null,
    slackMs: Math.max(SNAPSHOT_SLACK_MS, medianGap(data.map((d) => d.t))),
    windowLabel,
  });
  const [from, to] = coverage.domain ?? [data[0]?.t ?? 0, data.at(-1)?.t ?? 0];
  const shown = data.filter((d) => d.t >= from && d.t <= to);
  const summary = summariseValues(scored.map((d) => d.score));
  const blockers = scored.at(-1)?.blockers ?? 0;
  const caption = summary
    ? `${summary.count} scored snapshot${summary.count === 1 ? "" : "s"}: from ${formatScore(summary.first)} to ${formatScore(summary.latest)} (lowest ${formatScore(summary.min)}, median ${formatScore(summary.median)}, highest ${formatScore(summary.max)}), ${blockers} blocker${blockers === 1 ? "" : "s"} at the latest; the gate needs ${formatPercent(gateMinPct)}. Source: stored readiness snapshots.`
    : "";
  return (
    <ChartFigure
      data-testid="readiness-trend"
      label={label}
      coverageLabel={coverage.label}
      coverageState={coverage.state}
      summary={caption}
      heightClass="h-56"
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={shown} margin={{ top: 8, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.25} />
          <XAxis {...timeAxis(from, to, zone)} />
          <YAxis domain={[0, 100]} unit=" %" width={56} {...AXIS} />
          <ReferenceLine
            y={gateMinPct}
            stroke="currentColor"
            strokeDasharray="6 3"
            label={{
              value: `gate ${formatPercent(gateMinPct)}`,
              position: "insideBottomRight",
              fontSize: 12,
              fill: "currentColor",
            }}
          />
          <Tooltip
            content={tooltipContent(
              (t) => formatTime(t, zone),
              (value, _name, payload) => {
                const n = (payload as { blockers?: number } | undefined)?.blockers ?? 0;
                return value === null ? "no score" : `${formatScore(value)} (${n} blocker${n === 1 ? "" : "s"})`;
              },
            )}
          />
          <Line
            type="stepAfter"
            dataKey="score"
            name="Readiness"
            className={SERIES_COLOURS.sky.text}
            stroke="currentColor"
            strokeWidth={2}
            dot={seriesDot(
              SERIES_COLOURS.sky.fill,
              coverage.points <= FEW_POINTS,
              isolatedIndexes(shown.map((d) => d.score)),
            )}
            activeDot={seriesDot(SERIES_COLOURS.sky.fill, true, new Set())}
            isAnimationActive={false}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
