import type { DailyUptime } from "@/lib/queries/component-detail";
import { formatDuration } from "@/lib/format";
import { formatPercent } from "@/lib/format";

function tone(day: DailyUptime): string {
  if (day.uptimePct === null) return "bg-slate-200 dark:bg-slate-700";
  if (day.uptimePct >= 99.9) return "bg-emerald-500";
  if (day.uptimePct >= 99) return "bg-lime-500";
  if (day.uptimePct >= 95) return "bg-amber-500";
  return "bg-red-500";
}

function describe(day: DailyUptime): string {
  const parts = [`${day.day}: ${day.uptimePct === null ? "no data" : `${formatPercent(day.uptimePct)} up`}`];
  if (day.downMs > 0) parts.push(`down ${formatDuration(day.downMs)}`);
  if (day.maintenanceMs > 0) parts.push(`maintenance ${formatDuration(day.maintenanceMs)}`);
  if (day.unknownMs > 0 && day.uptimePct !== null) parts.push(`no data for ${formatDuration(day.unknownMs)}`);
  return parts.join(", ");
}

/** 90 days, one bar each; every bar is focusable and names its day and figures, so colour is never the only cue. */
export function UptimeBar({ days }: { days: DailyUptime[] }) {
  return (
    <ol className="flex h-10 items-stretch gap-px" aria-label="Daily uptime over the last 90 days">
      {days.map((day) => (
        <li key={day.day} className="flex-1">
          <span
            tabIndex={0}
            title={describe(day)}
            aria-label={describe(day)}
            data-day={day.day}
            className={`block h-full rounded-sm ${tone(day)} focus-visible:outline-2`}
          />
        </li>
      ))}
    </ol>
  );
}
