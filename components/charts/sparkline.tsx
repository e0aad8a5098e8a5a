import { svgNumber } from "@/lib/format";
/**
 * A tiny p95 trend, drawn as plain SVG on the server: a hundred of them cost nothing to render and ship no
 * script. The numbers themselves are in the table; the drawing carries a label for screen readers.
 */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return <span className="text-xs text-slate-500 dark:text-slate-400">no data</span>;
  const width = 96;
  const height = 24;
  const min = Math.min(...known);
  const span = Math.max(...known) - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  // One polyline per run of known points, so a gap shows as a gap.
  const runs: string[] = [];
  let current: string[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (current.length > 0) runs.push(current.join(" "));
      current = [];
      return;
    }
    current.push(`${svgNumber(i * step)},${svgNumber(height - 2 - ((value - min) / span) * (height - 4))}`);
  });
  if (current.length > 0) runs.push(current.join(" "));
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="sparkline">
      {runs.map((points) =>
        points.includes(" ") ? (
          <polyline key={points} points={points} fill="none" stroke="currentColor" strokeWidth={1.5} strokeLinejoin="round" />
        ) : (
          <circle key={points} cx={points.split(",")[0]} cy={points.split(",")[1]} r={1.5} fill="currentColor" />
        ),
      )}
    </svg>
  );
}
