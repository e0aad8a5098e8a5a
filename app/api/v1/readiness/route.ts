import { connection } from "next/server";
import { getSystemHealth } from "@/lib/queries/components";

/** Readiness of the configured system. For now: the system and each component's live state. */
export async function GET() {
  await connection();
  const health = await getSystemHealth();
  return Response.json(
    {
      system: health.system,
      generatedAt: health.generatedAt,
      summary: { operational: health.operational, total: health.total },
      worker: health.worker,
      components: health.components.map((c) => ({
        id: c.id,
        name: c.name,
        service: c.service,
        status: c.status,
        observedStatus: c.observedStatus,
        since: c.since,
        maintenance: c.maintenance,
        uptimePct: c.uptime,
        latency24h: c.latency24h,
        lastLatencyMs: c.lastLatencyMs === null ? null : Math.round(c.lastLatencyMs * 10) / 10,
        lastCheckedAt: c.lastCheckedAt,
        storedAt: c.storedAt,
        lastDetail: c.lastDetail,
        lastError: c.lastError,
      })),
    },
    { headers: { "cache-control": "no-store" } },
  );
}
