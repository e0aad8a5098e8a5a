import { connection } from "next/server";
import { getEnv } from "@/lib/env";
import { withDatabase } from "@/lib/http/database";
import { renderMetrics } from "@/lib/queries/metrics";
import { bearerMatches } from "@/lib/tokens/token";

/**
 * Prometheus exposition format. With PREFLIGHT_METRICS_TOKEN set, scrapers must send it as a bearer token. While
 * the database is down: 503 with a JSON reason, like every API. Prometheus keeps no sample of a failed scrape (its
 * `up` reads 0), so no component series goes on reading its last value as if current; the body is for a person.
 */
export const GET = withDatabase(async (request: Request) => {
  await connection();
  const token = getEnv().PREFLIGHT_METRICS_TOKEN;
  if (token && !bearerMatches(request.headers.get("authorization"), token)) {
    return Response.json(
      { error: "send the metrics token: Authorization: Bearer <PREFLIGHT_METRICS_TOKEN>" },
      { status: 401, headers: { "www-authenticate": "Bearer" } },
    );
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
