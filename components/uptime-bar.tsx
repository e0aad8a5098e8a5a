"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import { groupDays, type TUptimeGroup } from "@/lib/charts/uptime-groups";
import { formatDay, formatDuration, formatPercent } from "@/lib/format";
import type { DailyUptime } from "@/lib/queries/component-detail";

type TBar = { key: string; pct: number | null; description: string; data: Record<`data-${string}`, string> };

function tone(pct: number | null): string {
  if (pct === null) return "bg-slate-200 dark:bg-slate-700";
  if (pct >= 99.9) return "bg-emerald-500";
  if (pct >= 99) return "bg-lime-500";
  if (pct >= 95) return "bg-amber-500";
  return "bg-red-500";
}

function figures(pct: number | null, downMs: number, maintenanceMs: number): string[] {
  const parts = [pct === null ? "no data" : `${formatPercent(pct)} up`];
  if (downMs > 0) parts.push(`down ${formatDuration(downMs)}`);
  if (maintenanceMs > 0) parts.push(`maintenance ${formatDuration(maintenanceMs)}`);
  return parts;
}

function dayBar(day: DailyUptime): TBar {
  const parts = figures(day.uptimePct, day.downMs, day.maintenanceMs);
  if (day.unknownMs > 0 && day.uptimePct !== null) parts.push(`no data for ${formatDuration(day.unknownMs)}`);
  return {
    key: day.day,
    pct: day.uptimePct,
    description: `${formatDay(day.day)}: ${parts.join(", ")}`,
    data: { "data-day": day.day, "data-uptime": String(day.uptimePct ?? "unknown") },
  };
}

function groupBar(group: TUptimeGroup): TBar {
  const parts = figures(group.uptimePct, group.downMs, group.maintenanceMs);
  if (group.knownDays > 0 && group.knownDays < group.days)
    parts.push(`no data for ${group.days - group.knownDays} of ${group.days} days`);
  return {
    key: group.from,
    pct: group.uptimePct,
    description: `${formatDay(group.from)} to ${formatDay(group.to)}: ${parts.join(", ")}`,
    data: { "data-from": group.from, "data-to": group.to, "data-uptime": String(group.uptimePct ?? "unknown") },
  };
}

const NEXT: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (i, n) => Math.min(n - 1, i + 1),
  ArrowLeft: (i) => Math.max(0, i - 1),
  Home: () => 0,
  End: (_, n) => n - 1,
};

/**
 * One row of bars, one tab stop: the newest bar takes focus on Tab, the arrow keys, Home and End move between bars,
 * and the focused bar's name is its period and figures (a screen reader reads it on each move). The same words stay
 * written under the row for the bar last focused, touched or pointed at, so colour is never the only cue.
 */
function BarRow({ bars, label, unit, className }: { bars: TBar[]; label: string; unit: string; className: string }) {
  const [active, setActive] = useState(bars.length - 1);
  const refs = useRef<(HTMLSpanElement | null)[]>([]);
  const hintId = useId();
  const current = Math.min(Math.max(0, active), bars.length - 1);
  const onKeyDown = (event: KeyboardEvent<HTMLSpanElement>, index: number) => {
    const move = NEXT[event.key];
    if (!move) return;
    event.preventDefault();
    const next = move(index, bars.length);
    setActive(next);
    refs.current[next]?.focus();
  };
  return (
    <div className={`${className} min-w-0 flex-col gap-1`}>
      <ol className="flex h-10 items-stretch gap-px" aria-label={label} aria-describedby={hintId}>
        {bars.map((bar, i) => (
          <li key={bar.key} className="min-w-0 flex-1">
            <span
              ref={(el) => {
                refs.current[i] = el;
              }}
              role="img"
              tabIndex={i === current ? 0 : -1}
              title={bar.description}
              aria-label={bar.description}
              {...bar.data}
              onKeyDown={(event) => onKeyDown(event, i)}
              onFocus={() => setActive(i)}
              onMouseEnter={() => setActive(i)}
              className={`block h-full rounded-sm ${tone(bar.pct)} ${i === current ? "ring-1 ring-slate-900 ring-offset-1 dark:ring-slate-100 dark:ring-offset-slate-900" : ""} focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-700 dark:focus-visible:outline-sky-300`}
            />
          </li>
        ))}
      </ol>
      <span id={hintId} hidden>
        Left and Right arrow keys move between {unit}s, Home and End go to the oldest and the newest.
      </span>
      <p className="text-xs text-slate-600 dark:text-slate-300" aria-hidden="true" data-testid="uptime-bar-readout">
        {bars[current]?.description}
      </p>
    </div>
  );
}

/**
 * 90 days of uptime. From md up, one bar a day; on a phone, where 90 bars are hairlines, one bar a week (13 bars),
 * each the time-weighted uptime of its days (lib/charts/uptime-groups.ts: unknown days stay unknown). Only the row
 * on screen is in the DOM's tab order: the other is display:none.
 */
export function UptimeBar({
  days,
  now,
}: {
  days: DailyUptime[] /** When the days were computed (ISO): today's length. */;
  now?: string;
}) {
  const nowMs = now ? Date.parse(now) : Number.NaN;
  const weeks = groupDays(days, 7, Number.isFinite(nowMs) ? nowMs : undefined);
  return (
    <div data-testid="uptime-bar">
      <BarRow
        bars={days.map(dayBar)}
        label={`Daily uptime over the last ${days.length} days`}
        unit="day"
        className="hidden md:flex"
      />
      <BarRow
        bars={weeks.map(groupBar)}
        label={`Weekly uptime over the last ${days.length} days`}
        unit="week"
        className="flex md:hidden"
      />
    </div>
  );
}
