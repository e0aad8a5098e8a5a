// The 90-day uptime bar on a phone: days grouped (a week a bar), each group's uptime weighted by the time that was
// actually known, as the daily figures are. A day's uptimePct is (up + degraded) / (up + degraded + down) over its
// known time, with unknown time (no worker, a new component) and maintenance left out (lib/monitor/uptime.ts). So a
// group is not the mean of its days' percentages: it is 1 − Σ down / Σ known. A day with no known time adds nothing,
// and a group of such days stays unknown: never counted as up.

const DAY_MS = 86_400_000;

/** The fields of a day the bar gets (structurally `DailyUptime` from lib/queries/component-detail.ts). */
export type TDayUptime = {
  day: string;
  uptimePct: number | null;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
};

export type TUptimeGroup = {
  /** First and last day of the group ("2026-11-05"). */
  from: string;
  to: string;
  days: number;
  /** Days with some known time. */
  knownDays: number;
  knownMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
  /** 100 × (known − down) / known; null when no time in the group is known. */
  uptimePct: number | null;
};

/**
 * The known time of a day (up + degraded + down). Exact from its figures: from the percentage and the down time
 * when it has downtime; otherwise its length less maintenance and unknown time (today's length runs to `now`,
 * when given; without it a day is taken as whole).
 */
export function knownMsOfDay(day: TDayUptime, now?: number): number {
  if (day.uptimePct === null) return 0;
  if (day.uptimePct < 100 && day.downMs > 0) return (100 * day.downMs) / (100 - day.uptimePct);
  const start = Date.parse(`${day.day.slice(0, 10)}T00:00:00Z`);
  const length = now !== undefined && Number.isFinite(start) ? Math.min(DAY_MS, Math.max(0, now - start)) : DAY_MS;
  // A known day has some known time, even if its length is not exactly known here: at least a sliver of weight.
  return Math.max(1, length - day.maintenanceMs - day.unknownMs);
}

/** Aggregates consecutive days into one group. */
export function aggregateDays(days: readonly TDayUptime[], now?: number): TUptimeGroup | null {
  const first = days[0];
  const last = days.at(-1);
  if (!first || !last) return null;
  let knownMs = 0;
  let downMs = 0;
  let unknownMs = 0;
  let maintenanceMs = 0;
  let knownDays = 0;
  for (const day of days) {
    const known = knownMsOfDay(day, now);
    if (known > 0) {
      knownDays++;
      knownMs += known;
      downMs += Math.min(day.downMs, known);
    }
    unknownMs += day.unknownMs;
    maintenanceMs += day.maintenanceMs;
  }
  const uptimePct = knownMs > 0 ? Math.min(100, Math.max(0, (100 * (knownMs - downMs)) / knownMs)) : null;
  return {
    from: first.day,
    to: last.day,
    days: days.length,
    knownDays,
    knownMs,
    downMs,
    unknownMs,
    maintenanceMs,
    uptimePct,
  };
}

/**
 * Groups of `size` days, aligned on the newest day: the last group ends today and the oldest one takes the
 * remainder (90 days by 7: 13 groups, the first of 6 days).
 */
export function groupDays(days: readonly TDayUptime[], size = 7, now?: number): TUptimeGroup[] {
  const step = Math.max(1, Math.floor(size));
  const groups: TUptimeGroup[] = [];
  for (let end = days.length; end > 0; end -= step) {
    const group = aggregateDays(days.slice(Math.max(0, end - step), end), now);
    if (group) groups.unshift(group);
  }
  return groups;
}
