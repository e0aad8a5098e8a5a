import { withDatabase } from "@/lib/http/database";
import { zoneOfRequest } from "@/lib/viewer/zone";
import { getLogger } from "@/lib/logger";
import { renderHtml } from "@/lib/report/html";
import { isPdfRendererBusy, PdfBusyError, PdfUnavailableError, renderPdf } from "@/lib/report/pdf";
import { attachment, authorizeReportRequest, buildLiveReport, reportFilename } from "@/lib/report/request";

// Never prerendered or cached: the report is read from live data at each request.
export const dynamic = "force-dynamic";

/**
 * The readiness report as an A4 PDF, printed by the server's headless Chromium (CHROMIUM_PATH, default
 * /usr/bin/chromium). Without Chromium: 503 with what to do, and the report page prints from the browser instead.
 * For a signed-in person or a token with the readiness:read scope. One render at a time per process, two more
 * may wait; beyond that, 429 with Retry-After.
 */
export const GET = withDatabase(async (request: Request) => {
  const access = await authorizeReportRequest(request);
  if (!access.ok) return access.response;
  // Refused before the report is gathered: a burst of requests costs no database reads it cannot use.
  if (isPdfRendererBusy()) return busy();
  const report = await buildLiveReport(zoneOfRequest(request));
  const filename = reportFilename(report, "pdf");
  try {
    const pdf = await renderPdf(renderHtml(report), {
      footer: `${report.system.name} readiness report, ${report.generatedAt.slice(0, 10)}`,
    });
    return new Response(new Uint8Array(pdf), {
      headers: {
        "content-type": "application/pdf",
        "content-disposition": attachment(filename),
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof PdfBusyError) return busy(error);
    if (error instanceof PdfUnavailableError) {
      return Response.json(
        { error: error.message, print: "/report" },
        { status: 503, headers: { "retry-after": "3600" } },
      );
    }
    getLogger().error({ err: error }, "report PDF rendering failed");
    return Response.json(
      { error: "the PDF could not be rendered; the report page (/report) prints from the browser" },
      { status: 500 },
    );
  }
});

// A render takes a few seconds; by then a place in the queue has most likely come free.
const RETRY_AFTER_S = 5;

function busy(error = new PdfBusyError()): Response {
  return Response.json(
    { error: error.message },
    { status: 429, headers: { "retry-after": String(RETRY_AFTER_S), "cache-control": "no-store" } },
  );
}
