import { getViewerZone } from "@/lib/viewer/zone";
import type { Metadata } from "next";
import { connection } from "next/server";
import { ReadinessTrendChart } from "@/components/charts/readiness-trend-chart";
import { requireUser } from "@/lib/auth/session";
import { toDocument, UNVERIFIED, type TBlock, type TCell, type TMark } from "@/lib/report/document";
import { buildLiveReport } from "@/lib/report/request";
import type { TReport } from "@/lib/report/types";
import { PrintButton } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Report" };

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

const TABLE = "report-table overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900";

function Block({ block, report }: { block: TBlock; report: TReport }) {
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
                {item.detail ? <span className="ml-2 text-xs text-slate-600 dark:text-slate-300">{item.detail}</span> : null}
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
            <p className="text-sm">{unverified ? <Unverified why={block.empty.slice(UNVERIFIED.length + 2)} /> : block.empty || "—"}</p>
          </div>
        );
      }
      return (
        <div className="space-y-1">
          <div className={TABLE}>
            <table id={block.id} className="w-full text-left text-sm">
              <caption className="px-3 pt-2 text-left text-xs text-slate-600 italic dark:text-slate-300">{block.caption}</caption>
              <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase dark:border-slate-800 dark:text-slate-400">
                <tr>
                  {block.columns.map((c) => (
                    <th key={c} scope="col" className="px-3 py-2 font-medium">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {block.rows.map((row, i) => (
                  <tr key={i} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
                    {row.map((cell, j) =>
                      j === 0 ? (
                        <th key={j} scope="row" className="px-3 py-1.5 font-medium">
                          <Cell cell={cell} />
                        </th>
                      ) : (
                        <td key={j} className="px-3 py-1.5 tabular-nums">
                          <Cell cell={cell} />
                        </td>
                      ),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {block.note ? <p className="text-xs text-slate-600 dark:text-slate-300">{block.note}</p> : null}
        </div>
      );
    case "list": {
      const items = block.items.map((item, i) => (
        <li key={i}>
          <Cell cell={item} />
        </li>
      ));
      return block.ordered ? <ol className="list-decimal space-y-0.5 pl-5 text-sm">{items}</ol> : <ul className="list-disc space-y-0.5 pl-5 text-sm">{items}</ul>;
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
      const points = report.trend.days.map((d) => ({ takenAt: d.takenAt, overallPct: d.overallPct, blockers: d.blockers }));
      const label = `Readiness over the last ${report.trend.windowDays} days: the last snapshot of each day; the gate needs ${report.scorecard.gateMinPct} %.`;
      return (
        <div className="report-chart rounded-lg border border-slate-200 bg-white p-2 dark:border-slate-800 dark:bg-slate-900">
          <ReadinessTrendChart points={points} gateMinPct={report.scorecard.gateMinPct} label={label} />
        </div>
      );
    }
  }
}

const BUTTON = "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800";

async function ReportPage() {
  await connection();
  await requireUser();
  const report = await buildLiveReport(await getViewerZone());
  const doc = toDocument(report);
  return (
    <article className="report space-y-8" data-testid="report">
      <header className="space-y-2">
        <h1 className="text-2xl font-bold tracking-tight">{doc.title}</h1>
        {doc.subtitle.map((line) => (
          <p key={line} className="text-sm text-slate-600 dark:text-slate-300">
            {line}
          </p>
        ))}
        <div className="report-actions flex flex-wrap gap-2 pt-1 print:hidden">
          <a href="/api/v1/report.md" download className={BUTTON}>
            Download Markdown
          </a>
          <a href="/api/v1/report.pdf" download className={BUTTON}>
            Download PDF
          </a>
          <PrintButton className={BUTTON} />
        </div>
      </header>
      <nav aria-label="Report sections" className="report-toc text-sm print:hidden">
        <ol className="flex flex-wrap gap-x-4 gap-y-1">
          {doc.sections.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`} className="underline underline-offset-2">
                {s.title}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      {doc.sections.map((section) => (
        <section key={section.id} aria-labelledby={section.id} className="report-section space-y-3" data-section={section.id}>
          <h2 id={section.id} className="report-heading border-b border-slate-300 pb-1 text-xl font-semibold dark:border-slate-700">
            {section.title}
          </h2>
          {section.blocks.map((block, i) => (
            <Block key={i} block={block} report={report} />
          ))}
        </section>
      ))}
    </article>
  );
}

export default withDatabasePage(ReportPage);
