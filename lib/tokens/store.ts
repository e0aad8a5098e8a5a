import type { PrismaClient } from "../generated/prisma/client";
import { appendAudit } from "../audit/append";
import type { TAuditActor } from "../audit/chain";
import { quoteText } from "../evidence/quote";
import { generateToken, hashToken, readBearer, tokenHint, TOKEN_PATTERN, type TScope } from "./token";

export type TTokenRow = {
  id: string;
  name: string;
  scopes: string[];
  hint: string;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

/** Why the store refused, with the status and the input field it concerns, so no caller reads them off the message. */
export class TokenError extends Error {
  readonly status: 404 | 409 | 422;
  readonly field: "name" | "scopes" | "token" | null;
  constructor(message: string, status: 404 | 409 | 422, field: "name" | "scopes" | "token" | null) {
    super(message);
    this.name = "TokenError";
    this.status = status;
    this.field = field;
  }
}

/** Creates a token and returns it in clear: the only time it exists outside the caller's hands. */
export async function createToken(
  prisma: PrismaClient,
  input: { name: string; scopes: TScope[]; createdBy: string },
  actor: TAuditActor = { type: "system", id: null, name: input.createdBy },
): Promise<{ token: string; row: TTokenRow }> {
  if (!NAME.test(input.name))
    throw new TokenError(
      `invalid token name ${quoteText(input.name.slice(0, 80))}: expected 1-64 letters, digits, spaces, dots, dashes or underscores`,
      422,
      "name",
    );
  if (input.scopes.length === 0) throw new TokenError("a token needs at least one scope", 422, "scopes");
  const existing = await prisma.apiToken.findUnique({ where: { name: input.name } });
  if (existing)
    throw new TokenError(
      `a token named "${input.name}" already exists${existing.revokedAt ? " (revoked)" : ""}; choose another name`,
      409,
      "name",
    );
  const token = generateToken();
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        name: input.name,
        scopes: [...new Set(input.scopes)],
        tokenHash: hashToken(token),
        hint: tokenHint(token),
        createdBy: input.createdBy,
      },
    });
    // The audit entry names the token, never its value or hash.
    await appendAudit(tx, {
      actor,
      action: "token.create",
      entityType: "api_token",
      entityId: created.id,
      after: { name: created.name, scopes: created.scopes, hint: created.hint },
    });
    return created;
  });
  return { token, row: strip(row) };
}

export async function revokeToken(
  prisma: PrismaClient,
  name: string,
  now = new Date(),
  actor: TAuditActor = { type: "system", id: null, name: "shell" },
): Promise<TTokenRow> {
  const row = await prisma.apiToken.findUnique({ where: { name } });
  if (!row) throw new TokenError(`no token named ${quoteText(name.slice(0, 80))}`, 404, "name");
  if (row.revokedAt) return strip(row);
  return strip(
    await prisma.$transaction(async (tx) => {
      const revoked = await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: now } });
      await appendAudit(
        tx,
        {
          actor,
          action: "token.revoke",
          entityType: "api_token",
          entityId: row.id,
          before: { name: row.name, revokedAt: null },
          after: { name: row.name, revokedAt: now },
        },
        now,
      );
      return revoked;
    }),
  );
}

export async function listTokens(prisma: PrismaClient): Promise<TTokenRow[]> {
  const rows = await prisma.apiToken.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(strip);
}

function strip(row: TTokenRow & { tokenHash?: string }): TTokenRow {
  const { id, name, scopes, hint, createdBy, createdAt, lastUsedAt, revokedAt } = row;
  return { id, name, scopes, hint, createdBy, createdAt, lastUsedAt, revokedAt };
}

export type TAuthResult =
  | { ok: true; token: { id: string; name: string } }
  | { ok: false; status: 401 | 403; error: string };

/**
 * Checks a request's bearer token for a scope. 401 when there is no valid token, 403 when the token is valid
 * but lacks the scope. The lookup is by hash (unique index), so timing does not reveal a near match.
 */
export async function authenticate(
  prisma: PrismaClient,
  authorization: string | null,
  scope: TScope,
  now = new Date(),
): Promise<TAuthResult> {
  const bearer = readBearer(authorization);
  if (!bearer.ok) return { ok: false, status: 401, error: bearer.error };
  const row = await prisma.apiToken.findUnique({ where: { tokenHash: hashToken(bearer.token) } });
  if (!row) return { ok: false, status: 401, error: "unknown token" };
  if (row.revokedAt) return { ok: false, status: 401, error: `token "${row.name}" was revoked` };
  if (!row.scopes.includes(scope))
    return { ok: false, status: 403, error: `token "${row.name}" lacks the ${scope} scope` };
  // Last use is for the token listing; a minute's precision is enough and saves a write per request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { ok: true, token: { id: row.id, name: row.name } };
}

/**
 * Puts a known token under a name (replacing that name's previous token), for the demo's printed credentials
 * and the end-to-end tests. Never used outside them: real tokens come from createToken, random and shown once.
 */
export async function installKnownToken(
  prisma: PrismaClient,
  input: { name: string; token: string; scopes: TScope[]; createdBy: string },
): Promise<void> {
  if (!TOKEN_PATTERN.test(input.token))
    throw new TokenError(
      `the token for "${input.name}" is not a Preflight token (pf_ and 43 base64url characters)`,
      422,
      "token",
    );
  const data = {
    scopes: input.scopes,
    tokenHash: hashToken(input.token),
    hint: tokenHint(input.token),
    createdBy: input.createdBy,
    revokedAt: null,
  };
  await prisma.$transaction(async (tx) => {
    const row = await tx.apiToken.upsert({
      where: { name: input.name },
      create: { name: input.name, ...data },
      update: data,
    });
    await appendAudit(tx, {
      actor: { type: "system", id: null, name: input.createdBy },
      action: "token.install",
      entityType: "api_token",
      entityId: row.id,
      after: { name: row.name, scopes: row.scopes, hint: row.hint },
    });
  });
}
