import { connection } from "next/server";
import { can } from "@/lib/auth/permissions";
import { getActorFromRequest } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { withDatabase } from "@/lib/http/database";
import { getLogger } from "@/lib/logger";
import { getAuditHead } from "@/lib/queries/audit-head";
import { authenticate } from "@/lib/tokens/store";

const NO_STORE = { "cache-control": "no-store" };

/**
 * The audit chain's head ({ id, hash, at, entries, chain }), for keeping a copy outside the database: a job that
 * stores each answer can later show a chain recomputed or cut off behind Preflight's back. For a token with the
 * audit:read scope (a pipeline, a monitor), or a signed-in person who may read the audit log (an admin).
 */
export const GET = withDatabase(async (request: Request) => {
  await connection();
  try {
    const prisma = getPrisma();
    const authorization = request.headers.get("authorization");
    if (authorization !== null) {
      const auth = await authenticate(prisma, authorization, "audit:read");
      if (!auth.ok) return Response.json({ error: auth.error }, { status: auth.status, headers: NO_STORE });
    } else {
      const actor = await getActorFromRequest(request);
      if (!actor)
        return Response.json(
          { error: "sign in as an admin, or send a bearer token with the audit:read scope" },
          { status: 401, headers: NO_STORE },
        );
      if (!can(actor.role, "audit:read"))
        return Response.json({ error: "reading the audit log is for admins" }, { status: 403, headers: NO_STORE });
    }
    return Response.json(await getAuditHead({ prisma }), { headers: NO_STORE });
  } catch (error) {
    // The database is down or refused: say so in one line, not a stack.
    getLogger().error({ err: (error as Error).message }, "audit head unavailable");
    return Response.json(
      { error: "the audit log cannot be read right now" },
      { status: 503, headers: { ...NO_STORE, "retry-after": "5" } },
    );
  }
});
