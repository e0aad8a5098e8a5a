import { timingSafeEqual } from "node:crypto";
import { connection } from "next/server";
import { getEnv } from "@/lib/env";
import { renderMetrics } from "@/lib/queries/metrics";

function bearerMatches(header: string | null, expected: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1] ?? "", "utf8");
  const want = Buffer.from(expected, "utf8");
  return given.length === want.length && timingSafeEqual(given, want);
}

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
