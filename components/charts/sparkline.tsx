"use client";

import { Line, LineChart, YAxis } from "recharts";

/**
 * A tiny p95 trend at a fixed size (no resize observer, so it draws at once). The numbers themselves are in
 * the table; the chart carries a label for screen readers.
 */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  if (values.every((v) => v === null)) return <span className="text-xs text-slate-500 dark:text-slate-400">no data</span>;
  const data = values.map((v, i) => ({ i, v }));
  return (
    <div role="img" aria-label={label} data-testid="sparkline">
      <LineChart width={96} height={24} data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }}>
        <YAxis hide domain={["dataMin", "dataMax"]} />
        <Line type="monotone" dataKey="v" stroke="currentColor" strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls />
      </LineChart>
    </div>
  );
}
