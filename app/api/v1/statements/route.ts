import { connection } from "next/server";
import { z } from "zod";
import { appendAudit } from "@/lib/audit/append";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { checkContentType, parseJsonBody, readBodyLimited } from "@/lib/http/body";
import { withDatabase } from "@/lib/http/database";
import { apiJson } from "@/lib/http/json";
import { getSignOffView } from "@/lib/queries/signoff";
import { keptText } from "@/lib/services/text";
import { issueStatement, signingKey } from "@/lib/services/statement/issue";
import { evaluateLive } from "@/lib/queries/readiness";
import { judgeDeployment } from "@/lib/statement/deployment";
import { formatDigest, parseDigest } from "@/lib/statement/envelope";
import { authenticate } from "@/lib/tokens/store";

// Readiness statements (lib/statement): CI names the artefact it is about to deploy (POST), and gets the signed
// statement once go-live is approved for the release; a deployment job fetches the one naming its digest (GET)
// and checks it offline with `npx preflight verify`.

const ZArtefact = z.strictObject({
  /** What the digest is of: "api image", "commit". */
  name: keptText(z.string().min(1).max(200)),
  digest: z.string().max(200),
});

/** Names an artefact of the current release (evidence:write), then issues the statement if go-live is approved. */
export const POST = withDatabase(async (request: Request) => {
  const prisma = getPrisma();
  const auth = await authenticate(prisma, request.headers.get("authorization"), "evidence:write");
  if (!auth.ok) return apiJson(auth.status, { error: auth.error });
  const type = checkContentType(request, ["application/json"]);
  if (!type.ok) return apiJson(type.status, { error: type.message });
  const body = await readBodyLimited(request, 16 * 1024);
  if (!body.ok) return apiJson(body.status, { error: body.message });
  const json = parseJsonBody(body.value);
  if (!json.ok) return apiJson(json.status, { error: json.message });
  const parsed = ZArtefact.safeParse(json.value);
  if (!parsed.success) {
    const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join(".") || "body", i.message]));
    return apiJson(422, {
      error: Object.entries(fields)
        .map(([k, v]) => `${k}: ${v}`)
        .join("; "),
      fields,
    });
  }
  const digest = parseDigest(parsed.data.digest);
  if (!digest)
    return apiJson(422, {
      error: `digest: "${parsed.data.digest.slice(0, 80)}" is not a digest: expected sha256:<64 hex>, gitCommit:<hex> or a 40-hex commit`,
      fields: { digest: "not a digest" },
    });
  const { config } = getConfig();
  const release = config.system.release?.name;
  if (!release) return apiJson(409, { error: "the configuration names no release (system.release) to name it for" });
  const named = formatDigest(digest.algorithm, digest.value);
  const actor = { type: "token" as const, id: auth.token.id, name: auth.token.name };
  const now = new Date();
  await prisma.$transaction(async (tx) => {
    const existing = await tx.releaseArtefact.findUnique({ where: { release_digest: { release, digest: named } } });
    if (existing) return;
    const row = await tx.releaseArtefact.create({
      data: { release, name: parsed.data.name, digest: named, namedAt: now, source: `token ${auth.token.name}` },
    });
    await appendAudit(
      tx,
      {
        actor,
        action: "release.artefact",
        entityType: "release_artefact",
        entityId: String(row.id),
        after: { release, name: parsed.data.name, digest: named },
      },
      now,
    );
  });
  const outcome = await issueStatement({ prisma, config }, actor, now);
  if (outcome.issued) return apiJson(201, { status: "issued", statement: JSON.parse(outcome.envelope) });
  return apiJson(202, {
    status: "not issued",
    reason: outcome.reason,
    ...(outcome.current ? { statement: JSON.parse(outcome.current.envelope) } : {}),
  });
});

/** The newest statement naming ?digest= and whether it stands (readiness:read). */
export const GET = withDatabase(async (request: Request) => {
  await connection();
  const prisma = getPrisma();
  const auth = await authenticate(prisma, request.headers.get("authorization"), "readiness:read");
  if (!auth.ok) return apiJson(auth.status, { error: auth.error });
  const params = new URL(request.url).searchParams;
  const unknown = [...params.keys()].filter((k) => k !== "digest");
  if (unknown.length > 0) return apiJson(422, { error: `unknown query parameter "${unknown[0]}": only digest` });
  const given = params.get("digest");
  const digest = given ? parseDigest(given) : null;
  if (!given || !digest)
    return apiJson(422, { error: "digest: expected ?digest=sha256:<64 hex>, gitCommit:<hex> or a 40-hex commit" });
  const named = formatDigest(digest.algorithm, digest.value);
  const rows = await prisma.readinessStatement.findMany({
    where: { digests: { has: named } },
    orderBy: { issuedAt: "desc" },
    take: 5,
  });
  if (rows.length === 0) return apiJson(404, { error: `no readiness statement names ${named}` });
  const { config } = getConfig();
  const { result } = await evaluateLive({ prisma, config });
  const view = await getSignOffView({ prisma, config }, result);
  const verdict = judgeDeployment({
    digest: named,
    envelopes: rows.map((r) => r.envelope),
    publicKey: signingKey().publicKey,
    signOffs: view,
  });
  return apiJson(200, {
    standing: verdict.passed ? "valid" : verdict.code,
    reason: verdict.passed ? null : verdict.reason,
    statement: JSON.parse(rows[0]?.envelope ?? "null"),
  });
});
