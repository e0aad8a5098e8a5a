/** Half-open time intervals [start, end) in epoch milliseconds. */
export type Interval = { start: number; end: number };

/** Sorted, non-overlapping union of intervals (empty ones dropped). */
export function unionIntervals(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const next of sorted) {
    const last = out[out.length - 1];
    if (last && next.start <= last.end) last.end = Math.max(last.end, next.end);
    else out.push({ ...next });
  }
  return out;
}

export function clipInterval(interval: Interval, to: Interval): Interval | null {
  const start = Math.max(interval.start, to.start);
  const end = Math.min(interval.end, to.end);
  return end > start ? { start, end } : null;
}

/** Total length of `interval` that `union` (sorted, disjoint) does not cover. */
export function lengthOutside(interval: Interval, union: Interval[]): number {
  let covered = 0;
  for (const u of union) {
    const overlap = clipInterval(interval, u);
    if (overlap) covered += overlap.end - overlap.start;
  }
  return interval.end - interval.start - covered;
}

export function totalLength(intervals: Interval[]): number {
  return intervals.reduce((sum, i) => sum + (i.end - i.start), 0);
}
