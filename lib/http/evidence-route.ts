import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { getLogger } from "../logger";
import { ingestAttestation, ingestChaos, ingestJUnit, ingestK6, type TEvidenceContext, type TEvidenceKind, type TIngestResult } from "../services/evidence/ingest";
import { refreshReadiness } from "../services/readiness/refresh";
import { authenticate } from "../tokens/store";
import { parseJsonBody, readBodyLimited } from "./body";

// POST /api/v1/evidence/{junit,k6,chaos,attestations}: token first (nothing is read from an anonymous caller),
// then the body under the size limit, then the parser; only a payload that passed all three is stored.

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { "cache-control": "no-store" } });

export async function handleEvidencePost(request: Request, kind: TEvidenceKind): Promise<Response> {
  const prisma = getPrisma();
  const { config } = getConfig();
  const auth = await authenticate(prisma, request.headers.get("authorization"), "evidence:write");
  if (!auth.ok) return json(auth.status, { error: auth.error });
  const type = request.headers.get("content-type") ?? "";
  if (/^multipart\//i.test(type)) return json(415, { error: "send the report itself as the request body (curl --data-binary @report), not as a multipart form" });

  const body = await readBodyLimited(request, config.evidence.maxUploadBytes);
  if (!body.ok) return json(body.status, { error: body.error });
  const url = new URL(request.url);
  const ctx: TEvidenceContext = { prisma, config, source: `token ${auth.token.name}`, actor: { type: "token", id: auth.token.id, name: `token ${auth.token.name}` }, now: new Date() };

  let result: TIngestResult;
  if (kind === "junit") {
    result = await ingestJUnit(ctx, { xml: body.text, suite: url.searchParams.get("suite"), kind: url.searchParams.get("kind") });
  } else {
    const parsed = parseJsonBody(body.text);
    if (!parsed.ok) return json(400, { error: parsed.error });
    if (kind === "k6") result = await ingestK6(ctx, { summary: parsed.value, test: url.searchParams.get("test") });
    else if (kind === "chaos") {
      const p = url.searchParams;
      result = await ingestChaos(ctx, { body: parsed.value, params: { target: p.get("target"), startedAt: p.get("startedAt"), endedAt: p.get("endedAt") } });
    } else result = await ingestAttestation(ctx, { body: parsed.value, attestedBy: `pipeline (token ${auth.token.name})` });
  }
  if (!result.ok) return json(result.status, { error: result.error });

  // The score the new evidence gives, for the pipeline's log; the evidence is stored whatever happens here.
  let readiness: { overallPct: number | null; blockers: number; snapshot: string | null } | null = null;
  try {
    const view = await refreshReadiness({ prisma, config });
    readiness = { overallPct: view.result.overallPct, blockers: view.result.blockers.length, snapshot: view.snapshot?.hash ?? null };
  } catch (error) {
    getLogger().warn({ err: error }, "readiness could not be evaluated after an evidence push");
  }
  return json(201, { id: result.id, kind: result.kind, summary: result.summary, readiness });
}
