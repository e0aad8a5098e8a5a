import { withDatabase } from "@/lib/http/database";
import { zoneOfRequest } from "@/lib/viewer/zone";
import { renderMarkdown } from "@/lib/report/markdown";
import { attachment, authorizeReportRequest, buildLiveReport, reportFilename } from "@/lib/report/request";

// Never prerendered or cached: the report is read from live data at each request.
export const dynamic = "force-dynamic";

/**
 * The readiness report as a Markdown file, generated from live data: every figure with its window and source, what
 * has no evidence marked unverified. For a signed-in person or a token with the readiness:read scope.
 */
export const GET = withDatabase(async (request: Request) => {
  const access = await authorizeReportRequest(request);
  if (!access.ok) return access.response;
  const report = await buildLiveReport(zoneOfRequest(request));
  return new Response(renderMarkdown(report), {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": attachment(reportFilename(report, "md")),
      "cache-control": "no-store",
    },
  });
});
