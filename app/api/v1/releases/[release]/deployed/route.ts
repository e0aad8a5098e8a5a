import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { checkContentType, parseJsonBody, readBodyLimited } from "@/lib/http/body";
import { withDatabase } from "@/lib/http/database";
import { apiJson } from "@/lib/http/json";
import { markDeployed } from "@/lib/services/release/mark-deployed";
import { authenticate } from "@/lib/tokens/store";

/** The segment as a name: decoded when it still carries escapes, as it is when it does not decode (a bare "%"). */
function decodeOnce(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * CI marks the current release deployed (token with evidence:write): from then the config's postDeployment
 * criteria are watched for their window. Body: none, or JSON `{ "deployedAt": "2026-12-04T10:00:00Z" }`.
 */
export const POST = withDatabase(async (request: Request, ctx: { params: Promise<{ release: string }> }) => {
  const prisma = getPrisma();
  const auth = await authenticate(prisma, request.headers.get("authorization"), "evidence:write");
  if (!auth.ok) return apiJson(auth.status, { error: auth.error });
  // No body at all is the usual call (deployed now); a body, when sent, is JSON.
  const empty = !request.body || request.headers.get("content-length") === "0";
  const body = empty ? { ok: true as const, value: "" } : await readBodyLimited(request, 4 * 1024);
  if (!body.ok) return apiJson(body.status, { error: body.message });
  let input: unknown = {};
  if (body.value.trim() !== "") {
    const type = checkContentType(request, ["application/json"]);
    if (!type.ok) return apiJson(type.status, { error: type.message });
    const json = parseJsonBody(body.value);
    if (!json.ok) return apiJson(json.status, { error: json.message });
    input = json.value;
  }
  const { release } = await ctx.params;
  const result = await markDeployed(
    { prisma, config: getConfig().config },
    { type: "token", id: auth.token.id, name: auth.token.name },
    decodeOnce(release),
    input,
  );
  if (!result.ok) return apiJson(result.status, { error: result.message, fields: result.fieldErrors });
  return apiJson(result.value.created ? 201 : 200, {
    release: result.value.release,
    deployedAt: result.value.deployedAt.toISOString(),
    created: result.value.created,
  });
});
