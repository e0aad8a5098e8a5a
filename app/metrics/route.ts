import { connection } from "next/server";
import { renderMetrics } from "@/lib/queries/metrics";

/** Prometheus exposition format. */
export async function GET() {
  await connection();
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
