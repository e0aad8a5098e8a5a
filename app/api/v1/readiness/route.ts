import { connection } from "next/server";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getSystemHealth } from "@/lib/queries/components";
import { getSignOffView } from "@/lib/queries/signoff";
import { judgeGate } from "@/lib/readiness/gate";
import { refreshReadiness } from "@/lib/services/readiness/refresh";
import { authenticate } from "@/lib/tokens/store";

/**
 * Readiness of the configured system, for pipelines and the gate command: the score, categories, every check with
 * its measured value, the approval criteria, blockers, the gate verdict, the snapshot it was stored as, and each
 * component's live state. Needs a token with the readiness:read scope.
 */
export async function GET(request: Request) {
  await connection();
  const prisma = getPrisma();
  const auth = await authenticate(prisma, request.headers.get("authorization"), "readiness:read");
  if (!auth.ok) return Response.json({ error: auth.error }, { status: auth.status });
  const { config } = getConfig();
  const [health, readiness] = await Promise.all([getSystemHealth(), refreshReadiness({ prisma, config })]);
  const { result } = readiness;
  const signOff = await getSignOffView({ prisma, config }, result);
  return Response.json(
    {
      system: health.system,
      generatedAt: health.generatedAt,
      scorecardConfigured: readiness.configured,
      overallPct: result.overallPct,
      gate: judgeGate(result, readiness.gateMinPct),
      goLive: { release: signOff.release, ...signOff.goLive },
      signOffs: signOff.roles.map((r) => ({
        role: r.role,
        name: r.name,
        required: r.required,
        state: r.state,
        reason: r.reason,
        signedBy: r.latest?.userName ?? null,
        decision: r.latest?.decision ?? null,
        comment: r.latest?.comment ?? null,
        signedAt: r.latest?.signedAt.toISOString() ?? null,
        snapshot: r.latest ? { hash: r.latest.snapshot.hash, overallPct: r.latest.snapshot.overallPct, takenAt: r.latest.snapshot.takenAt.toISOString() } : null,
      })),
      blockers: result.blockers.map(({ id, name, verdict, reason, category }) => ({ id, name, verdict, reason, category })),
      gaps: result.gaps.map((g) => ({ id: g.check.id, name: g.check.name, category: g.check.category, verdict: g.check.verdict, pointsPct: g.pointsPct, reason: g.check.reason })),
      categories: result.categories,
      checks: result.checks,
      criteria: result.criteria,
      snapshot: readiness.snapshot,
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
