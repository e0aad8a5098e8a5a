import Link from "next/link";
import { Card } from "@/components/ui/card";
import type { SeriesPoint } from "@/lib/history/series";
import { LatencyChart } from "./latency-chart";

/** The component page's latency card: the window links (1h … 30d, one per DETAIL_WINDOWS entry) and the chart. */
export function LatencySection({
  component,
  windows,
  window,
  points,
  firstObservedAt = null,
}: {
  /** The component shown (its id for the links, its name for the chart's). */
  component: { id: string; name: string };
  /** Window names and lengths, in display order ({ "1h": 3_600_000, … }). */
  windows: Record<string, number>;
  window: string;
  points: SeriesPoint[];
  /** When the component was first observed at all (ISO): the chart's coverage starts there, not at its first point. */
  firstObservedAt?: string | null;
}) {
  const current = "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900";
  const other = "hover:bg-slate-100 dark:hover:bg-slate-800";
  return (
    <Card
      id="latency"
      title="Latency"
      actions={
        <nav aria-label="Chart window" className="flex flex-wrap gap-1">
          {Object.keys(windows).map((w) => (
            <Link
              key={w}
              href={`/components/${component.id}?window=${w}`}
              aria-current={w === window ? "page" : undefined}
              className={`rounded px-2 py-1 text-sm ${w === window ? current : other}`}
            >
              {w}
            </Link>
          ))}
        </nav>
      }
    >
      <LatencyChart
        points={points}
        windowMs={windows[window]}
        windowLabel={window}
        firstObservedAt={firstObservedAt}
        label={`${component.name} latency (p50, p95 and p99), last ${window}`}
      />
    </Card>
  );
}
