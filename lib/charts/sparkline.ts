// The geometry of a sparkline, apart from its markup: which points are drawn where, and when there are too few to
// draw at all (two hourly points make a line that says nothing; the table's figures say more).

/** Points with a value a sparkline needs before it is drawn; below it, the cell says "collecting". */
export const SPARKLINE_MIN_POINTS = 5;

export type TSparklineGeometry = {
  /** Runs of consecutive known points, each an array of [x, y]: a run of one is a dot, longer runs are lines. */
  runs: [number, number][][];
  /** The newest known point, marked so the current value stands out. */
  latest: [number, number] | null;
  known: number;
};

/**
 * Coordinates in a width × height box with `pad` inside each edge (room for the stroke and the end dot). A flat
 * series is drawn across the middle, not along the bottom edge where it reads as an underline.
 */
export function sparklineGeometry(
  values: readonly (number | null)[],
  width: number,
  height: number,
  pad = 3,
): TSparklineGeometry {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length === 0) return { runs: [], latest: null, known: 0 };
  const min = Math.min(...known);
  const range = Math.max(...known) - min;
  const inner = Math.max(0, height - 2 * pad);
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  const x = (i: number) => (values.length > 1 ? pad + i * step : width / 2);
  const y = (v: number) => (range === 0 ? height / 2 : pad + inner - ((v - min) / range) * inner);
  const runs: [number, number][][] = [];
  let current: [number, number][] = [];
  let latest: [number, number] | null = null;
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      if (current.length > 0) runs.push(current);
      current = [];
      return;
    }
    latest = [x(i), y(value)];
    current.push(latest);
  });
  if (current.length > 0) runs.push(current);
  return { runs, latest, known: known.length };
}
