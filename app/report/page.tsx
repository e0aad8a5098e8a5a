import { getViewerZone } from "@/lib/viewer/zone";
import type { Metadata } from "next";
import { connection } from "next/server";
import { Block } from "@/components/report/report-blocks";
import { requireUser } from "@/lib/auth/session";
import { toDocument } from "@/lib/report/document";
import { buildLiveReport } from "@/lib/report/request";
import { PrintButton } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Report" };

const BUTTON =
  "rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:hover:bg-slate-800";

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
        <section
          key={section.id}
          aria-labelledby={section.id}
          className="report-section space-y-3"
          data-section={section.id}
        >
          <h2
            id={section.id}
            className="report-heading border-b border-slate-300 pb-1 text-xl font-semibold dark:border-slate-700"
          >
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
