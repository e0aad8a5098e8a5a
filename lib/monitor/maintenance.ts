import type { TMaintenanceWindow } from "../config/operations-schema";
import type { Interval } from "./intervals";

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

function appliesTo(window: TMaintenanceWindow, componentId: string): boolean {
  return !window.components || window.components.includes(componentId);
}

/** The maintenance intervals of one component that overlap [from, to), one-off and weekly (UTC). */
export function maintenanceIntervals(
  windows: TMaintenanceWindow[],
  componentId: string,
  range: Interval,
  options: { uptimeOnly?: boolean } = {},
): Interval[] {
  const out: Interval[] = [];
  for (const window of windows) {
    if (!appliesTo(window, componentId)) continue;
    if (options.uptimeOnly && !window.excludeFromUptime) continue;
    if (window.start && window.end) {
      const interval = { start: Date.parse(window.start), end: Date.parse(window.end) };
      if (interval.end > range.start && interval.start < range.end) out.push(interval);
      continue;
    }
    if (!window.weekly) continue;
    const [hours, minutes] = window.weekly.at.split(":").map(Number);
    const offsetInWeek = DAYS.indexOf(window.weekly.day) * DAY_MS + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
    // 1970-01-04 was a Sunday: weeks counted from there line up with day names.
    const weekZero = 3 * DAY_MS;
    let start =
      Math.floor((range.start - weekZero - window.weekly.duration) / WEEK_MS) * WEEK_MS + weekZero + offsetInWeek;
    for (; start < range.end; start += WEEK_MS) {
      const end = start + window.weekly.duration;
      if (end > range.start) out.push({ start, end });
    }
  }
  return out;
}

/** The maintenance window a component is in at `at`, if any. */
export function activeMaintenance(
  windows: TMaintenanceWindow[],
  componentId: string,
  at: Date,
): TMaintenanceWindow | null {
  const t = at.getTime();
  for (const window of windows) {
    if (maintenanceIntervals([window], componentId, { start: t, end: t + 1 }).length > 0) return window;
  }
  return null;
}
