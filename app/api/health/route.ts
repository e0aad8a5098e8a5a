import { connection } from "next/server";
import { DATABASE_RETRY_AFTER_S } from "@/lib/db/outage";
import { getDashboardHealth } from "@/lib/queries/health";

/**
 * The dashboard's own liveness and dependencies. 503 when its database is unreachable, with the reason in `error`
 * and the workers as their own heartbeats report them (running, results buffered), which need no database.
 */
export async function GET() {
  await connection();
  const health = await getDashboardHealth();
  const down = health.status === "down";
  return Response.json(health, {
    status: down ? 503 : 200,
    headers: { "cache-control": "no-store", ...(down ? { "retry-after": String(DATABASE_RETRY_AFTER_S) } : {}) },
  });
}
