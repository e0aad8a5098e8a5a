import { Figure } from "@/components/live/live-refresh";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
import { formatMeasure, formatNumber, formatPercent } from "@/lib/format";
import type { getBaselines } from "@/lib/queries/baselines";

// The baselines page's two tables: each baseline figure against its target, and resource use against limits.

type TView = Awaited<ReturnType<typeof getBaselines>>;
type TRow = TView["rows"][number];
type TResource = NonNullable<TView["resources"]>["rows"][number];

const VERDICT_STYLE = {
  pass: { icon: "✓", text: "Pass", className: "text-emerald-800 dark:text-emerald-300" },
  fail: { icon: "✕", text: "Fail", className: "text-red-800 dark:text-red-300" },
  "no data": { icon: "?", text: "No data", className: "text-slate-600 dark:text-slate-300" },
} as const;

function VerdictCell({ verdict }: { verdict: keyof typeof VERDICT_STYLE }) {
  const style = VERDICT_STYLE[verdict];
  return (
    <span data-verdict={verdict} className={`font-semibold ${style.className}`}>
      <span aria-hidden="true">{style.icon} </span>
      {style.text}
    </span>
  );
}

export function BaselineTable({ rows }: { rows: TRow[] }) {
  return (
    <Table
      data-testid="baselines"
      caption="Performance baselines: measured value, target and verdict"
      captionHidden
      rows={rows}
      rowKey={(row) => `${row.baselineId}-${row.metric}`}
      rowProps={(row) => ({ "data-baseline": row.baselineId, "data-metric": row.metric })}
      columns={[
        { key: "baseline", header: "Baseline", primary: true, className: "font-medium", cell: (row) => row.baseline },
        {
          key: "figure",
          header: "Figure",
          primary: true,
          className: "[@media_screen_and_(width<48rem)]:font-normal",
          cell: (row) => row.label,
        },
        {
          key: "measured",
          header: "Measured",
          className: "tabular-nums",
          cell: (row) => (
            <Figure>
              {row.measured === null ? (
                <span className="text-slate-500 dark:text-slate-400">no data: {row.reason}</span>
              ) : (
                <span data-testid="measured">{row.display}</span>
              )}
            </Figure>
          ),
        },
        { key: "target", header: "Target", className: "tabular-nums", cell: (row) => row.target },
        {
          key: "verdict",
          header: "Verdict",
          cell: (row) => (
            <Figure>
              <VerdictCell verdict={row.verdict} />
            </Figure>
          ),
        },
        {
          key: "window",
          header: "Window · source",
          className: "text-xs text-slate-600 dark:text-slate-300",
          cell: (row) => (
            <>
              {row.window} · {row.source}
              {row.observedAt ? (
                <>
                  {" "}
                  · read <LocalTime iso={row.observedAt} />
                </>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}

export function ResourceTable({ rows }: { rows: TResource[] }) {
  return (
    <Table
      data-testid="resources"
      caption="Resource utilisation per container: used of limit, utilisation, headroom and verdict"
      captionHidden
      rows={rows}
      rowKey={(r) => `${r.container}-${r.resource}`}
      columns={[
        { key: "container", header: "Container", primary: true, className: "font-medium", cell: (r) => r.container },
        {
          key: "resource",
          header: "Resource",
          primary: true,
          className: "[@media_screen_and_(width<48rem)]:font-normal",
          cell: (r) => (r.resource === "cpu" ? "CPU" : "Memory"),
        },
        {
          key: "used",
          header: "Used of limit",
          className: "tabular-nums",
          cell: (r) => (
            <Figure>
              {formatMeasure(r.usage, r.unit)} of {formatMeasure(r.limit, r.unit)}
            </Figure>
          ),
        },
        {
          key: "utilisation",
          header: "Utilisation",
          className: "tabular-nums",
          cell: (r) => <Figure>{formatPercent(r.utilisationPct)}</Figure>,
        },
        {
          key: "headroom",
          header: "Headroom",
          className: "tabular-nums",
          cell: (r) => (
            <Figure>
              {formatMeasure(r.headroom, r.unit)} ({formatNumber(r.limit / Math.max(r.usage, 1e-9))}× current use)
            </Figure>
          ),
        },
        {
          key: "verdict",
          header: "Verdict",
          cell: (r) => (
            <Figure>
              <VerdictCell verdict={r.verdict} />
            </Figure>
          ),
        },
      ]}
    />
  );
}
