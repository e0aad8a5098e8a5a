import { UptimeBar } from "@/components/uptime-bar";
import { Card } from "@/components/ui/card";
import { UptimeValue } from "@/components/ui/uptime-value";
import type { UptimeCell } from "@/lib/queries/components";
import type { DailyUptime } from "@/lib/queries/component-detail";

const WINDOWS = ["24h", "7d", "30d", "90d"] as const;

/** The component page's uptime card: the figure of each window (with its coverage) and the 90-day bar. */
export function UptimeSection({
  uptime,
  days,
  now,
}: {
  uptime: Record<(typeof WINDOWS)[number], UptimeCell>;
  days: DailyUptime[];
  /** When the figures were computed (ISO). */
  now: string;
}) {
  return (
    <Card id="uptime" title="Uptime">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {WINDOWS.map((w) => (
          <div key={w}>
            <dt className="text-xs text-slate-600 dark:text-slate-300">{w}</dt>
            <dd className="text-lg font-semibold tabular-nums">
              <UptimeValue cell={uptime[w]} testId={`uptime-${w}`} />
            </dd>
          </div>
        ))}
      </dl>
      <UptimeBar days={days} now={now} />
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Time-weighted from confirmed states; gaps and maintenance windows are left out.
      </p>
    </Card>
  );
}
