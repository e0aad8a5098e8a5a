import { getActorFromRequest } from "../auth/session";
import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { authenticate } from "../tokens/store";
import { buildReport } from "./build";
import type { TReport } from "./types";

// What the report downloads share: who may have one (a signed-in person, or a pipeline's token with
// readiness:read), the report itself, and the file name it is saved under.

export type TReportAccess = { ok: true; by: string } | { ok: false; response: Response };

/** A bearer token when the request carries one (a pipeline), the session otherwise (a person following a link). */
export async function authorizeReportRequest(request: Request): Promise<TReportAccess> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const auth = await authenticate(getPrisma(), authorization, "readiness:read");
    return auth.ok
      ? { ok: true, by: `token ${auth.token.name}` }
      : { ok: false, response: Response.json({ error: auth.error }, { status: auth.status }) };
  }
  const actor = await getActorFromRequest(request);
  if (actor) return { ok: true, by: actor.email };
  return {
    ok: false,
    response: Response.json(
      { error: "sign in, or send a bearer token with the readiness:read scope" },
      { status: 401 },
    ),
  };
}

/** The report from live data, with every time in `zone` (the reader's, when known). */
export function buildLiveReport(zone?: string, now = new Date()): Promise<TReport> {
  const { config, secrets } = getConfig();
  return buildReport({ prisma: getPrisma(), config, secrets, zone }, now);
}

/** "x0tta6bl4-readiness-2026-01-14.md": the system's name kept to characters any file system and header take. */
export function reportFilename(report: Pick<TReport, "system" | "generatedAt">, extension: "md" | "pdf"): string {
  const name = report.system.name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "") || "system";
  return `${name}-readiness-${report.generatedAt.slice(0, 10)}.${extension}`;
}

export function attachment(filename: string): string {
  return `attachment; filename="${filename}"`;
}
