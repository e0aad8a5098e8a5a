import { ReadinessTrendChart } from "@/components/charts/readiness-trend-chart";
import { CARD } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { UNVERIFIED, type TBlock, type TCell, type TMark } from "@/lib/report/document";
import type { TReport } from "@/lib/report/types";

// The report page's blocks, one per block of the report document (lib/report/document.ts): the same document the
// Markdown and PDF downloads are made from.

const MARK: Record<TMark, { icon: string; className: string }> = {
  ok: { icon: "✓", className: "font-medium text-emerald-800 dark:text-emerald-300" },
  bad: { icon: "✕", className: "font-semibold text-red-800 dark:text-red-300" },
  warn: { icon: "⚠", className: "text-amber-900 dark:text-amber-200" },
  muted: { icon: "", className: "text-slate-500 dark:text-slate-400" },
  unverified: { icon: "", className: "" },
};

function Unverified({ why }: { why: string }) {
  return (
    <span data-unverified="" className="inline-flex flex-wrap items-baseline gap-1">
      <span className="report-unverified rounded border border-dashed border-amber-600 px-1.5 text-[0.65rem] font-bold tracking-wide text-amber-900 uppercase dark:border-amber-400 dark:text-amber-200">
        {UNVERIFIED}
      </span>
      {why.trim() ? <span className="text-xs text-slate-600 dark:text-slate-300">{why.trim()}</span> : null}
    </span>
  );
}

function Cell({ cell }: { cell: TCell }) {
  if (cell.mark === "unverified") return <Unverified why={cell.text} />;
  const text = cell.href ? (
    <a href={cell.href} rel="noreferrer noopener" target="_blank" className="break-all underline underline-offset-2">
      {cell.text}
    </a>
  ) : (
    cell.text
  );
  if (!cell.mark) return <>{text}</>;
  const mark = MARK[cell.mark];
  return (
    <span className={mark.className}>
      {mark.icon ? <span aria-hidden="true">{mark.icon} </span> : null}
      {text}
    </span>
  );
}

export function Block({ block, report }: { block: TBlock; report: TReport }) {
  switch (block.type) {
    case "heading":
      return (
        <h3 id={block.id} className="report-heading pt-2 font-semibold">
          {block.text}
        </h3>
      );
    case "paragraph":
      return (
        <p className="text-sm">
          <Cell cell={{ text: block.text, mark: block.mark }} />
        </p>
      );
    case "facts":
      return (
        <dl className="grid gap-x-4 gap-y-1.5 text-sm sm:grid-cols-[14rem_1fr]">
          {block.items.map((item) => (
            <div key={item.label} className="contents">
              <dt className="font-medium text-slate-600 dark:text-slate-300">{item.label}</dt>
              <dd>
                <span className="font-semibold tabular-nums">
                  <Cell cell={item.value} />
                </span>
                {item.detail ? (
                  <span className="ml-2 text-xs text-slate-600 dark:text-slate-300">{item.detail}</span>
                ) : null}
              </dd>
            </div>
          ))}
        </dl>
      );
    case "table":
      if (block.rows.length === 0) {
        const unverified = block.empty.startsWith(`${UNVERIFIED}: `);
        return (
          <div className="report-table space-y-1">
            <p className="text-xs text-slate-600 italic dark:text-slate-300">{block.caption}</p>
            <p className="text-sm">
              {unverified ? <Unverified why={block.empty.slice(UNVERIFIED.length + 2)} /> : block.empty || "—"}
            </p>
          </div>
        );
      }
      return (
        <div className="space-y-1">
          <Table
            id={block.id}
            className="report-table"
            caption={block.caption}
            captionClassName="px-3 pt-2 text-left text-xs text-slate-600 italic dark:text-slate-300"
            rows={block.rows.map((cells, i) => ({ i, cells }))}
            rowKey={(row) => String(row.i)}
            columns={block.columns.map((header, j) => ({
              key: String(j),
              header,
              primary: j === 0,
              className: j === 0 ? "font-medium" : "tabular-nums",
              cell: (row: { cells: TCell[] }) => {
                const cell = row.cells[j];
                return cell ? <Cell cell={cell} /> : null;
              },
            }))}
          />
          {block.note ? <p className="text-xs text-slate-600 dark:text-slate-300">{block.note}</p> : null}
        </div>
      );
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <Cell cell={item} />
        </li>
      ));
      return block.ordered ? (
        <ol className="list-decimal space-y-0.5 pl-5 text-sm">{items}</ol>
      ) : (
        <ul className="list-disc space-y-0.5 pl-5 text-sm">{items}</ul>
      );
    }
    case "checklist":
      return (
        <ul className="space-y-0.5 text-sm">
          {block.items.map((item, i) => (
            <li key={i} data-done={item.done}>
              <span aria-hidden="true">{item.done ? "☑" : "☐"} </span>
              <span className="sr-only">{item.done ? "done: " : "not done: "}</span>
              {item.text}
            </li>
          ))}
        </ul>
      );
    case "chart": {
      const points = report.trend.days.map((d) => ({
        takenAt: d.takenAt,
        overallPct: d.overallPct,
        blockers: d.blockers,
      }));
      const label = `Readiness over the last ${report.trend.windowDays} days: the last snapshot of each day; the gate needs ${report.scorecard.gateMinPct} %.`;
      return (
        <div className={`report-chart ${CARD.box} p-2`}>
          <ReadinessTrendChart points={points} gateMinPct={report.scorecard.gateMinPct} label={label} />
        </div>
      );
    }
  }
}
