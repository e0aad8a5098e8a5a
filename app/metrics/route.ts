import { connection } from "next/server";
import { getEnv } from "@/lib/env";
import { renderMetrics } from "@/lib/queries/metrics";
import { bearerMatches } from "@/lib/tokens/token";

/** Prometheus exposition format. With PREFLIGHT_METRICS_TOKEN set, scrapers must send it as a bearer token. */
export async function GET(request: Request) {
  await connection();
  const token = getEnv().PREFLIGHT_METRICS_TOKEN;
  if (token && !bearerMatches(request.headers.get("authorization"), token)) {
    return Response.json({ error: "send the metrics token: Authorization: Bearer <PREFLIGHT_METRICS_TOKEN>" }, { status: 401, headers: { "www-authenticate": "Bearer" } });
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
