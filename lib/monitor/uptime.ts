import { clipInterval, lengthOutside, totalLength, unionIntervals, type Interval } from "./intervals";
import type { ComponentStatus } from "./status";

export type PeriodRow = {
  status: ComponentStatus;
  startedAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
  intervalMs: number;
};

export type UptimeSummary = {
  windowMs: number;
  upMs: number;
  degradedMs: number;
  downMs: number;
  /** No data: no worker was checking, or the component was new. */
  unknownMs: number;
  maintenanceMs: number;
  /** (up + degraded) / (up + degraded + down); null when nothing in the window is known. */
  uptimePct: number | null;
};

/** The time a period vouches for: to its end, or while open, one interval past its last check. */
export function periodCoverage(period: PeriodRow, now: Date): Interval {
  const end = period.endedAt
    ? period.endedAt.getTime()
    : Math.min(period.lastSeenAt.getTime() + period.intervalMs, now.getTime());
  return { start: period.startedAt.getTime(), end: Math.max(end, period.startedAt.getTime()) };
}

/**
 * Time-weighted uptime over a window from the confirmed status periods. Unknown time (gaps) and
 * maintenance are left out of the ratio, so neither counts as up nor as down.
 */
export function computeUptime(
  periods: PeriodRow[],
  window: Interval,
  maintenance: Interval[],
  now: Date,
): UptimeSummary {
  const maint = unionIntervals(
    maintenance.map((m) => clipInterval(m, window)).filter((m): m is Interval => m !== null),
  );
  const byStatus: Record<ComponentStatus, number> = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const period of periods) {
    const covered = clipInterval(periodCoverage(period, now), window);
    if (covered) byStatus[period.status] += lengthOutside(covered, maint);
  }
  const windowMs = window.end - window.start;
  const maintenanceMs = totalLength(maint);
  const known = byStatus.up + byStatus.degraded + byStatus.down;
  return {
    windowMs,
    upMs: byStatus.up,
    degradedMs: byStatus.degraded,
    downMs: byStatus.down,
    unknownMs: Math.max(0, windowMs - maintenanceMs - known),
    maintenanceMs,
    uptimePct: known > 0 ? (100 * (byStatus.up + byStatus.degraded)) / known : null,
  };
}
