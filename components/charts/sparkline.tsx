import { svgNumber } from "@/lib/format";
import { SPARKLINE_MIN_POINTS, sparklineGeometry } from "@/lib/charts/sparkline";
import { summariseValues } from "@/lib/charts/summary";

type TSparklineProps = {
  values: (number | null)[];
  /** What the line shows ("Hourly p95 latency of API over 24 hours"); the figures are appended for screen readers. */
  label: string;
  /** Points with a value needed before a line is drawn; below it the cell says "collecting". */
  minPoints?: number;
  width?: number;
  height?: number;
  /** When given, the image's name adds the range and latest value in this format (callers whose label has no figures). */
  format?: (value: number) => string;
};

/**
 * A small trend (the overview's hourly p95, a suite's pass rate), drawn as plain SVG on the server: a hundred of them
 * cost nothing to render and ship no script. The numbers themselves are in the table; the drawing is an image named
 * by its label (plus its range, given a `format`). Below a handful of points it draws nothing and says
 * "collecting": two dots a day apart say nothing a reader can use.
 */
export function Sparkline({
  values,
  label,
  minPoints = SPARKLINE_MIN_POINTS,
  width = 96,
  height = 28,
  format,
}: TSparklineProps) {
  const geometry = sparklineGeometry(values, width, height, 3);
  if (geometry.known === 0) return <span className="text-xs text-slate-600 dark:text-slate-300">no data</span>;
  if (geometry.known < minPoints) {
    return (
      <span
        role="img"
        aria-label={`${label}: collecting, ${geometry.known} of ${values.length} points so far`}
        title={`${geometry.known} of ${values.length} points so far; the trend is drawn from ${minPoints}`}
        data-testid="sparkline"
        data-state="collecting"
        data-points={geometry.known}
        className="inline-block text-xs whitespace-nowrap text-slate-600 dark:text-slate-300"
      >
        collecting
      </span>
    );
  }
  const summary = format ? summariseValues(values) : null;
  const figures =
    summary && format
      ? `: from ${format(summary.min)} to ${format(summary.max)}, latest ${format(summary.latest)}`
      : "";
  const point = ([x, y]: [number, number]) => `${svgNumber(x)},${svgNumber(y)}`;
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${label}${figures}`}
      data-testid="sparkline"
      data-state="drawn"
      data-points={geometry.known}
      className="inline-block shrink-0 overflow-visible align-middle"
      style={{ minWidth: width, minHeight: height }}
    >
      {geometry.runs.map((run) => {
        const key = run.map(point).join(" ");
        const [only] = run;
        return run.length > 1 ? (
          <polyline
            key={key}
            points={key}
            fill="none"
            stroke="currentColor"
            strokeWidth={2}
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        ) : only ? (
          <circle key={key} cx={svgNumber(only[0])} cy={svgNumber(only[1])} r={2} fill="currentColor" />
        ) : null;
      })}
      {geometry.latest ? (
        <circle cx={svgNumber(geometry.latest[0])} cy={svgNumber(geometry.latest[1])} r={2.5} fill="currentColor" />
      ) : null}
    </svg>
  );
}
