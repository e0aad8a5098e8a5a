import { connection } from "next/server";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { withDatabase } from "@/lib/http/database";
import { formatDuration, formatLatency, formatObserved, formatPercent, formatScore } from "@/lib/format";
import { FULLY_OBSERVED } from "@/lib/queries/component-status";
import { getSystemHealth, type UptimeCell } from "@/lib/queries/components";
import { getSignOffView } from "@/lib/queries/signoff";
import { describeBlocker, judgeGate } from "@/lib/readiness/gate";
import { refreshReadiness } from "@/lib/services/readiness/refresh";
import { authenticate } from "@/lib/tokens/store";
import { judgeGateRules, parseGateQuery } from "@/lib/readiness/gate-rules";
import { signingKey } from "@/lib/services/statement/issue";
import { getSlos } from "@/lib/slo/read";
import { getPostDeployment } from "@/lib/queries/post-deployment";
import { judgeDeployment } from "@/lib/statement/deployment";
import { formatDigest, parseDigest } from "@/lib/statement/envelope";

/**
 * Readiness of the configured system, for pipelines and the gate command: the score, categories, every check with
 * its measured value, the approval criteria, blockers, the gate verdict, the snapshot it was stored as, and each
 * component's live state. Needs a token with the readiness:read scope.
 */
export const GET = withDatabase(async (request: Request) => {
  await connection();
  const prisma = getPrisma();
  const auth = await authenticate(prisma, request.headers.get("authorization"), "readiness:read");
  if (!auth.ok) return Response.json({ error: auth.error }, { status: auth.status });
  const query = parseGateQuery(new URL(request.url).searchParams);
  if (!query.ok)
    return Response.json({ error: query.error }, { status: 422, headers: { "cache-control": "no-store" } });
  const { config } = getConfig();
  const now = new Date();
  const [health, readiness, slos, postDeployment] = await Promise.all([
    getSystemHealth({ prisma, config, now }),
    refreshReadiness({ prisma, config }, now),
    getSlos({ prisma, config, now }, config.slos),
    getPostDeployment({ prisma, config, now }),
  ]);
  const { result } = readiness;
  const signOff = await getSignOffView({ prisma, config }, result);
  // The statement for the digest being deployed, when the pipeline names one.
  const digest = query.request.digest === undefined ? null : parseDigest(query.request.digest);
  if (query.request.digest !== undefined && !digest)
    return Response.json(
      {
        error: `digest: "${query.request.digest.slice(0, 80)}" is not sha256:<64 hex>, gitCommit:<hex> or a 40-hex commit`,
      },
      { status: 422, headers: { "cache-control": "no-store" } },
    );
  const statement = digest
    ? judgeDeployment({
        digest: formatDigest(digest.algorithm, digest.value),
        envelopes: (
          await prisma.readinessStatement.findMany({
            where: { digests: { has: formatDigest(digest.algorithm, digest.value) } },
            orderBy: { issuedAt: "desc" },
            take: 5,
          })
        ).map((r) => r.envelope),
        publicKey: signingKey().publicKey,
        signOffs: signOff,
      })
    : null;
  const rules = judgeGateRules(
    {
      ...query.request,
      statement: statement && query.request.requireStatement ? statement : undefined,
    },
    slos,
    [...result.checks, ...result.criteria],
  );
  return Response.json(
    {
      system: health.system,
      generatedAt: health.generatedAt,
      scorecardConfigured: readiness.configured,
      overallPct: result.overallPct,
      display: {
        overall: formatScore(result.overallPct),
        gate: `${formatScore(result.overallPct)} against a ${formatPercent(readiness.gateMinPct)} gate`,
      },
      gate: judgeGate(result, readiness.gateMinPct),
      // The rules the request asked for (minBudget, noFastBurn, requireSoak, requireStatement), each with its reasons.
      rules,
      statement: statement
        ? statement.passed
          ? { passed: true, keyid: statement.keyid, release: statement.statement.predicate.release.name }
          : { passed: false, code: statement.code, reason: statement.reason }
        : null,
      // After go-live: the watch of the deployed release (null without postDeployment in the configuration).
      postDeployment: postDeployment.configured
        ? {
            release: postDeployment.release,
            deployedAt: postDeployment.deployedAt,
            state: postDeployment.verdict.state,
            trend: postDeployment.verdict.trend,
            summary: postDeployment.verdict.summary,
            settled: postDeployment.verdict.settled,
            rows: postDeployment.verdict.rows,
          }
        : null,
      slos: slos.map((slo) => ({
        id: slo.id,
        name: slo.name,
        kind: slo.kind,
        target: slo.target,
        objective: slo.objective,
        window: slo.window,
        sli: slo.sli,
        budget: slo.budget,
        burn: slo.burn,
        alert: slo.alert,
        state: slo.state,
        coverage: slo.coverage,
        unit: slo.unit,
        source: slo.source,
        reason: slo.reason,
        display: {
          sli: formatPercent(slo.sli),
          budgetRemaining: formatPercent(slo.budget.remainingPct),
          objective: `${formatPercent(slo.objective)} over ${slo.window}`,
        },
      })),
      goLive: { release: signOff.release, ...signOff.goLive },
      signOffs: signOff.roles.map((r) => ({
        role: r.role,
        name: r.name,
        required: r.required,
        state: r.state,
        reason: r.reason,
        signedBy: r.latest?.userName ?? null,
        // The account as of signing: a later rename never changes who signed.
        signedByAccount: r.latest ? { id: r.latest.userId, email: r.latest.userEmail } : null,
        decision: r.latest?.decision ?? null,
        comment: r.latest?.comment ?? null,
        signedAt: r.latest?.signedAt.toISOString() ?? null,
        snapshot: r.latest
          ? {
              hash: r.latest.snapshot.hash,
              overallPct: r.latest.snapshot.overallPct,
              takenAt: r.latest.snapshot.takenAt.toISOString(),
            }
          : null,
      })),
      blockers: result.blockers.map((b) => ({
        id: b.id,
        name: b.name,
        verdict: b.verdict,
        reason: b.reason,
        category: b.category,
        measured: b.measured,
        threshold: b.threshold,
        display: describeBlocker(b),
      })),
      gaps: result.gaps.map((g) => ({
        id: g.check.id,
        name: g.check.name,
        category: g.check.category,
        verdict: g.check.verdict,
        pointsPct: g.pointsPct,
        reason: g.check.reason,
      })),
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
        uptimePct: {
          "24h": c.uptime["24h"].pct,
          "7d": c.uptime["7d"].pct,
          "30d": c.uptime["30d"].pct,
          "90d": c.uptime["90d"].pct,
        },
        uptime: c.uptime,
        inStateMs: c.inStateMs,
        display: {
          status: c.status,
          inState: c.inStateMs === null ? null : `${c.status} for ${formatDuration(c.inStateMs)}`,
          uptime: {
            "24h": uptimeText(c.uptime["24h"]),
            "7d": uptimeText(c.uptime["7d"]),
            "30d": uptimeText(c.uptime["30d"]),
            "90d": uptimeText(c.uptime["90d"]),
          },
          latency24h: {
            p50: formatLatency(c.latency24h.p50Ms),
            p95: formatLatency(c.latency24h.p95Ms),
            p99: formatLatency(c.latency24h.p99Ms),
          },
        },
        latency24h: c.latency24h,
        // format-ok: a JSON number for machines; people read display.latency24h
        lastLatencyMs: c.lastLatencyMs === null ? null : Math.round(c.lastLatencyMs * 10) / 10, // format-ok: JSON number
        lastCheckedAt: c.lastCheckedAt,
        storedAt: c.storedAt,
        lastDetail: c.lastDetail,
        lastError: c.lastError,
      })),
    },
    { headers: { "cache-control": "no-store" } },
  );
});

/** Uptime as the pages write it, with the observed span when the window is not fully observed. */
function uptimeText(cell: UptimeCell): string {
  if (cell.pct === null) return formatPercent(null);
  return cell.coverage < FULLY_OBSERVED
    ? `${formatPercent(cell.pct)} (${formatObserved(cell.observedMs, cell.windowMs)})`
    : formatPercent(cell.pct);
}
