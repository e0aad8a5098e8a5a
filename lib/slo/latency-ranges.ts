import { unionIntervals, type Interval } from "../monitor/intervals";
import { HOUR_MS, MINUTE_MS } from "./compute";

// Which rollup rows a latency SLO reads, worked out before the query so that the query only scans ranges and never
// tests a row against maintenance. Every result is counted once, in the minute it was taken:
//   [window start, its first whole hour)      minute rows
//   [first whole hour, Z)                      hour rows, except the hours maintenance touches: their minute rows
//   [Z, now), Z = six hours before this hour  minute rows, so the 5 m .. 6 h burn windows are exact to the minute
// and the minutes that overlap maintenance are taken out of the minute ranges (their results may be maintenance work).

export type TReadRanges = { hours: Interval[]; minutes: Interval[] };

const floorTo = (t: number, unit: number) => Math.floor(t / unit) * unit;
const ceilTo = (t: number, unit: number) => Math.ceil(t / unit) * unit;

/** Start of the minute-resolved tail: six hours before this hour began, so the 6 h window lies wholly inside it. */
export function minuteZoneStart(now: number): number {
  return floorTo(now, HOUR_MS) - 6 * HOUR_MS;
}

/** `base` without `minus`: both sorted and disjoint (as unionIntervals returns them). */
export function subtractIntervals(base: readonly Interval[], minus: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const interval of base) {
    let start = interval.start;
    for (const cut of minus) {
      if (cut.end <= start || cut.start >= interval.end) continue;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
    }
    if (start < interval.end) out.push({ start, end: interval.end });
  }
  return out;
}

const clipAll = (intervals: Interval[], from: number, to: number): Interval[] =>
  intervals.map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) })).filter((i) => i.end > i.start);

/**
 * The bucket-start ranges to read for one component of one SLO over [windowStart, now), given its maintenance.
 * A rollup row is read when its bucket (start) lies in a range: a row belongs wholly to the range it starts in.
 */
export function readRanges(windowStart: number, now: number, maintenance: readonly Interval[]): TReadRanges {
  const first = ceilTo(windowStart, HOUR_MS);
  const zone = minuteZoneStart(now);
  // The minutes a maintenance interval overlaps, and the hours those minutes lie in.
  const maintenanceMinutes = unionIntervals(
    maintenance.map((m) => ({ start: floorTo(m.start, MINUTE_MS), end: ceilTo(m.end, MINUTE_MS) })),
  );
  const maintenanceHours = clipAll(
    unionIntervals(maintenanceMinutes.map((m) => ({ start: floorTo(m.start, HOUR_MS), end: ceilTo(m.end, HOUR_MS) }))),
    first,
    zone,
  );
  const hours = subtractIntervals([{ start: first, end: zone }], maintenanceHours);
  const minuteCandidates = unionIntervals([
    { start: windowStart, end: first },
    ...maintenanceHours,
    { start: zone, end: now },
  ]);
  return { hours, minutes: subtractIntervals(minuteCandidates, maintenanceMinutes) };
}
