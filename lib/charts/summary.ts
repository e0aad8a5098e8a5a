// A chart's text alternative in figures: what a reader who cannot see the drawing needs (its range and middle).

export type TValueSummary = { count: number; min: number; median: number; max: number; first: number; latest: number };

/** Min, median, max, first and latest of the values that are known; null when none is. */
export function summariseValues(values: readonly (number | null | undefined)[]): TValueSummary | null {
  const known = values.filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  const first = known[0];
  const latest = known.at(-1);
  if (first === undefined || latest === undefined) return null;
  const sorted = [...known].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? first;
  const median = sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? upper) + upper) / 2;
  return { count: known.length, min: sorted[0] ?? first, median, max: sorted.at(-1) ?? first, first, latest };
}
