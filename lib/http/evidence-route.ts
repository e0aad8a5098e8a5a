import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { quoteText } from "../evidence/quote";
import { checkText } from "../evidence/screen";
import { getLogger } from "../logger";
import { fail, failureBody, type TFailure } from "../services/result";
import {
  ingestAttestation,
  ingestChaos,
  ingestCompose,
  ingestCoverage,
  ingestJUnit,
  ingestK6,
  ingestManifests,
  ingestSbom,
  ingestScan,
  type TEvidenceContext,
  type TEvidenceKind,
  type TIngestResult,
} from "../services/evidence/ingest";
import { refreshReadiness } from "../services/readiness/refresh";
import { authenticate } from "../tokens/store";
import { checkContentType, parseJsonBody, readBodyLimited } from "./body";
import { apiJson } from "./json";

// POST /api/v1/evidence/{junit,k6,chaos,attestations,coverage,sarif,sbom,manifests,compose}, in the order that keeps an anonymous or careless caller
// from costing anything: the token (not one byte of the body is read before it passes; proxy.ts does not run on
// /api/v1, so the framework does not buffer the body either), the Content-Type, the query parameters, the body
// under the size limit while it streams, then the parser and the input policy. Only a payload that passed all of
// them is stored, in one transaction with its audit entry.

/** What each endpoint reads: its media types and its query parameters. A parameter not listed is refused. */
export const EVIDENCE_ENDPOINTS: Record<
  TEvidenceKind,
  { path: string; accepts: readonly string[]; params: readonly string[] }
> = {
  junit: { path: "/api/v1/evidence/junit", accepts: ["application/xml", "text/xml"], params: ["suite", "kind"] },
  k6: { path: "/api/v1/evidence/k6", accepts: ["application/json"], params: ["test"] },
  chaos: { path: "/api/v1/evidence/chaos", accepts: ["application/json"], params: ["target", "startedAt", "endedAt"] },
  attestation: { path: "/api/v1/evidence/attestations", accepts: ["application/json"], params: [] },
  // Cobertura is XML, LCOV a text tracefile: the Content-Type says which, nothing is guessed from the bytes.
  coverage: {
    path: "/api/v1/evidence/coverage",
    accepts: ["application/xml", "text/xml", "text/plain"],
    params: ["project"],
  },
  scan: {
    path: "/api/v1/evidence/sarif",
    accepts: ["application/sarif+json", "application/json"],
    params: ["project"],
  },
  // CycloneDX's and SPDX's registered JSON types, and plain JSON as most CI tools send it.
  sbom: {
    path: "/api/v1/evidence/sbom",
    accepts: ["application/vnd.cyclonedx+json", "application/spdx+json", "application/json"],
    params: ["project"],
  },
  // Rendered manifests and compose files are YAML: its registered type, the ones tools still send, and plain text.
  manifests: {
    path: "/api/v1/evidence/manifests",
    accepts: ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"],
    params: ["project"],
  },
  compose: {
    path: "/api/v1/evidence/compose",
    accepts: ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"],
    params: ["project"],
  },
};

const refused = (failure: TFailure) => apiJson(failure.status, failureBody(failure));

/** Each parameter at most once, known, and text Preflight can keep; the values themselves are the parser's to judge. */
function readParams(url: URL, known: readonly string[]): { ok: true; params: Map<string, string> } | TFailure {
  const params = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const shown = quoteText(name.slice(0, 40));
    if (!known.includes(name)) {
      const expected = known.length === 0 ? "this endpoint takes no query parameters" : `expected ${known.join(", ")}`;
      return fail(422, `unknown query parameter ${shown}: ${expected}`, name.slice(0, 40));
    }
    if (params.has(name)) return fail(422, `the query parameter ${name} is given twice: give it once`, name);
    const problem = checkText(value);
    if (problem) return fail(422, `?${name}: ${problem}`, name);
    params.set(name, value);
  }
  return { ok: true, params };
}

export async function handleEvidencePost(request: Request, kind: TEvidenceKind): Promise<Response> {
  const prisma = getPrisma();
  const { config } = getConfig();
  const auth = await authenticate(prisma, request.headers.get("authorization"), "evidence:write");
  if (!auth.ok) return apiJson(auth.status, { error: auth.error });
  const endpoint = EVIDENCE_ENDPOINTS[kind];
  const type = checkContentType(request, endpoint.accepts);
  if (!type.ok) return refused(type);
  const read = readParams(new URL(request.url), endpoint.params);
  if (!read.ok) return refused(read);
  const { params } = read;
  const param = (name: string) => params.get(name) ?? null;

  const body = await readBodyLimited(request, config.evidence.maxUploadBytes);
  if (!body.ok) return refused(body);
  const ctx: TEvidenceContext = {
    prisma,
    config,
    source: `token ${auth.token.name}`,
    actor: { type: "token", id: auth.token.id, name: `token ${auth.token.name}` },
    now: new Date(),
  };

  let result: TIngestResult;
  if (kind === "junit") {
    result = await ingestJUnit(ctx, { xml: body.value, suite: param("suite"), kind: param("kind") });
  } else if (kind === "coverage") {
    result = await ingestCoverage(ctx, {
      text: body.value,
      format: type.value === "text/plain" ? "lcov" : "cobertura",
      project: param("project"),
    });
  } else if (kind === "manifests") {
    result = await ingestManifests(ctx, { text: body.value, project: param("project") });
  } else if (kind === "compose") {
    result = await ingestCompose(ctx, { text: body.value, project: param("project") });
  } else {
    const parsed = parseJsonBody(body.value);
    if (!parsed.ok) return refused(parsed);
    if (kind === "k6") result = await ingestK6(ctx, { summary: parsed.value, test: param("test") });
    else if (kind === "scan")
      result = await ingestScan(ctx, { body: parsed.value, bytes: body.value, project: param("project") });
    else if (kind === "sbom")
      result = await ingestSbom(ctx, { body: parsed.value, bytes: body.value, project: param("project") });
    else if (kind === "chaos") {
      result = await ingestChaos(ctx, {
        body: parsed.value,
        params: { target: param("target"), startedAt: param("startedAt"), endedAt: param("endedAt") },
      });
    } else
      result = await ingestAttestation(ctx, { body: parsed.value, attestedBy: `pipeline (token ${auth.token.name})` });
  }
  if (!result.ok) return refused(result);

  // The score the new evidence gives, for the pipeline's log; the evidence is stored whatever happens here.
  let readiness: { overallPct: number | null; blockers: number; snapshot: string | null } | null = null;
  try {
    const view = await refreshReadiness({ prisma, config });
    readiness = {
      overallPct: view.result.overallPct,
      blockers: view.result.blockers.length,
      snapshot: view.snapshot?.hash ?? null,
    };
  } catch (error) {
    getLogger().warn({ err: error }, "readiness could not be evaluated after an evidence push");
  }
  const { id, kind: stored, summary, duplicate } = result.value;
  // A duplicate changed nothing: 200, and the row it already is.
  return apiJson(duplicate ? 200 : 201, {
    id,
    kind: stored,
    summary,
    readiness,
    ...(duplicate ? { duplicate: true } : {}),
  });
}
