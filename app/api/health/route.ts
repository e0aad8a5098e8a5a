import { connection } from "next/server";
import { getDashboardHealth } from "@/lib/queries/health";

/** The dashboard's own liveness and dependencies. 503 when its database is unreachable. */
export async function GET() {
  await connection();
  const health = await getDashboardHealth();
  return Response.json(health, { status: health.status === "down" ? 503 : 200, headers: { "cache-control": "no-store" } });
}
