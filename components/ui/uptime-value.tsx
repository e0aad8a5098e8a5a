import { formatObserved, formatPercent } from "@/lib/format";
import type { UptimeCell } from "@/lib/queries/components";
import { Figure } from "../live/live-refresh";

/** Uptime with its coverage: a window not fully observed says how much of it was ("observed 5m of 24h"). */
export function UptimeValue({ cell, testId }: { cell: UptimeCell; testId?: string }) {
  const partial = cell.pct !== null && cell.coverage < 0.99;
  return (
    <span data-testid={testId} data-coverage={String(cell.coverage)}>
      <Figure>
        {formatPercent(cell.pct)}
        {partial ? (
          <span className="block text-xs font-normal text-slate-600 dark:text-slate-300">
            {formatObserved(cell.observedMs, cell.windowMs)}
          </span>
        ) : null}
      </Figure>
    </span>
  );
}
