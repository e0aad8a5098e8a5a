import { useId, type ReactNode } from "react";
import type { TooltipContentProps } from "recharts";
import { formatAxisTick } from "@/lib/format";

// What every Recharts chart of the app shares: a figure with a name and a text alternative, text colours that pass
// 4.5:1 on the card in both themes, dots for points a line cannot draw, and a tooltip in the page's colours.
//
// Colours come from Tailwind classes through `currentColor`, so `dark:` (prefers-color-scheme) switches them: the
// drawing inherits slate-600 on white / slate-300 on slate-900 (7.6:1 and 12:1) for ticks, grid and reference lines,
// and each series names its own light/dark pair below. Series colours are at least 4.5:1 on their card background.

/** A data series' colour, once as text (the line, via currentColor), once as fill (its dots, drawn in another layer). */
export type TSeriesColour = { text: string; fill: string };

export const SERIES_COLOURS = {
  sky: { text: "text-sky-700 dark:text-sky-400", fill: "fill-sky-700 dark:fill-sky-400" },
  amber: { text: "text-amber-700 dark:text-amber-400", fill: "fill-amber-700 dark:fill-amber-400" },
  red: { text: "text-red-700 dark:text-red-400", fill: "fill-red-700 dark:fill-red-400" },
} as const satisfies Record<string, TSeriesColour>;

/** Axis props: ticks and axis line in the inherited text colour. */
export const AXIS = {
  tick: { fill: "currentColor", fontSize: 12 },
  stroke: "currentColor",
  tickLine: { stroke: "currentColor" },
} as const;

/** What a dot renderer reads of Recharts' dot and active-dot props. */
type TDotProps = { cx?: number; cy?: number; index: number; value?: unknown };

/** The time axis both line charts share: the span shown (the data's, while collecting), ticks in the viewer's zone. */
export function timeAxis(from: number, to: number, zone: string) {
  return {
    dataKey: "t",
    type: "number" as const,
    scale: "time" as const,
    domain: [from, to],
    allowDataOverflow: true,
    tickFormatter: (t: number) => formatAxisTick(t, to - from, zone),
    minTickGap: 40,
    ...AXIS,
  };
}

/**
 * Dots of a series: every point when there are few, otherwise only points with no neighbour (a line with gaps
 * does not draw those at all).
 */
export function seriesDot(fill: string, all: boolean, isolated: Set<number>) {
  return function SeriesDot(props: TDotProps): ReactNode {
    const { cx, cy, index, value } = props;
    if (cx === undefined || cy === undefined || value === null || value === undefined) return null;
    if (!all && !isolated.has(index)) return null;
    return (
      <circle
        key={`dot-${index}`}
        cx={cx}
        cy={cy}
        r={all ? 3.5 : 3}
        className={`${fill} stroke-white dark:stroke-slate-900`}
        strokeWidth={1}
      />
    );
  };
}

/** The tooltip: the time and each series' value, in the card's colours (the default is white with coloured text). */
export function tooltipContent(
  formatLabel: (label: number) => string,
  formatValue: (value: number | null, name: string, payload: unknown) => string,
) {
  return function ChartTooltip({ active, payload, label }: TooltipContentProps) {
    if (!active || !payload || payload.length === 0) return null;
    return (
      <div className="rounded border border-slate-300 bg-white px-2 py-1 text-xs text-slate-800 shadow dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100">
        <div className="font-medium">{formatLabel(Number(label))}</div>
        <ul>
          {payload.map((entry) => (
            <li key={String(entry.dataKey ?? entry.name)} className="tabular-nums">
              {String(entry.name ?? entry.dataKey ?? "")}:{" "}
              {formatValue(
                typeof entry.value === "number" ? entry.value : null,
                String(entry.name ?? ""),
                entry.payload,
              )}
            </li>
          ))}
        </ul>
      </div>
    );
  };
}

export type TLegendItem = { name: string; colour: TSeriesColour; dash?: string };

/** The legend as page text (slate-700 / slate-200), each entry with a sample of its line: colour is not the only cue. */
export function ChartLegend({ items }: { items: TLegendItem[] }) {
  return (
    <ul
      className="flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-200"
      aria-label="Legend"
    >
      {items.map((item) => (
        <li key={item.name} className="flex items-center gap-1.5">
          <svg width="24" height="8" viewBox="0 0 24 8" aria-hidden="true" className={item.colour.text}>
            <line x1="1" y1="4" x2="23" y2="4" stroke="currentColor" strokeWidth="2" strokeDasharray={item.dash} />
          </svg>
          {item.name}
        </li>
      ))}
    </ul>
  );
}

type TChartFigureProps = {
  /** The chart's name ("API latency (p50, p95, p99), last 24h"): the drawing's accessible name. */
  label: string;
  /** "collecting: 4m of 30d": shown as text above the caption, never only in a tooltip. */
  coverageLabel: string | null;
  coverageState: string;
  /** The text alternative in figures (range and median). */
  summary: ReactNode;
  heightClass: string;
  legend?: ReactNode;
  children: ReactNode;
  "data-testid": string;
};

/**
 * A chart as a figure: the drawing is one image with a name (the Recharts SVG inside is not focusable: charts are
 * rendered with `accessibilityLayer={false}`), described by a caption that gives its figures in words.
 */
export function ChartFigure({
  label,
  coverageLabel,
  coverageState,
  summary,
  heightClass,
  legend,
  children,
  ...rest
}: TChartFigureProps) {
  const captionId = `${useId()}-caption`;
  return (
    <figure className="min-w-0 space-y-2" data-testid={rest["data-testid"]} data-coverage={coverageState}>
      {coverageLabel ? (
        <p className="text-sm font-medium text-amber-900 dark:text-amber-200" data-testid="chart-coverage">
          {coverageLabel}
        </p>
      ) : null}
      <div
        role="img"
        aria-label={label}
        aria-describedby={captionId}
        className={`${heightClass} w-full min-w-0 text-slate-600 dark:text-slate-300`}
      >
        {children}
      </div>
      {legend}
      <figcaption id={captionId} className="text-xs text-slate-600 dark:text-slate-300">
        {summary}
      </figcaption>
    </figure>
  );
}
