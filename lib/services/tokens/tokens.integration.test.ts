import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TActor } from "../../auth/actor";
import { ROLES, type TRole } from "../../auth/permissions";
import { createPrismaClient } from "../../db/client";
import type { PrismaClient } from "../../generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { authenticate } from "../../tokens/store";
import { hashToken, TOKEN_PATTERN } from "../../tokens/token";
import { insertUser } from "../users/schema";
import { createApiToken } from "./create-token";
import { revokeApiToken } from "./revoke-token";

// The token service verbs on a real PostgreSQL: only an admin may create or revoke, a refusal changes no row,
// input is parsed into field errors, and each success writes exactly one audit entry naming the admin.

let database: TestDatabase;
let prisma: PrismaClient;
const actors = {} as Record<TRole, TActor>;

async function counts() {
  const [users, invitations, tokens, assignments, audit] = await Promise.all([
    prisma.user.count(),
    prisma.invitation.count(),
    prisma.apiToken.count(),
    prisma.signOffRoleAssignment.count(),
    prisma.auditLog.count(),
  ]);
  return { users, invitations, tokens, assignments, audit };
}

/** Runs a mutation and returns its result with the audit entries it wrote. */
async function withAudit<T>(run: () => Promise<T>) {
  const last = await prisma.auditLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  const result = await run();
  const entries = await prisma.auditLog.findMany({ where: { id: { gt: last?.id ?? 0n } }, orderBy: { id: "asc" } });
  return { result, entries };
}

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 2);
  await prisma.$transaction(async (tx) => {
    for (const role of ROLES) {
      const user = await insertUser(tx, {
        email: `${role}@tokens.test`,
        name: `Token ${role}`,
        role,
        password: "correct horse battery",
        signOffRoles: [],
      });
      actors[role] = { id: user.id, name: user.name, email: user.email, role, signOffRoles: [] };
    }
  });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

const REFUSED: [string, () => TActor | null, 401 | 403][] = [
  ["anonymous", () => null, 401],
  ["an editor", () => actors.editor, 403],
  ["an approver", () => actors.approver, 403],
  ["a viewer", () => actors.viewer, 403],
];

describe("createApiToken", () => {
  it.each(REFUSED)("refuses %s and changes nothing", async (_who, actor, status) => {
    const before = await counts();
    const result = await createApiToken({ prisma }, actor(), { name: "refused", scopes: ["evidence:write"] });
    expect(result).toMatchObject({ ok: false, status });
    expect(await counts()).toEqual(before);
    expect(await prisma.apiToken.findUnique({ where: { name: "refused" } })).toBeNull();
  });

  it("creates a token for an admin, returns it once, stores only its hash and audits it once", async () => {
    const before = await counts();
    const { result, entries } = await withAudit(() =>
      createApiToken({ prisma }, actors.admin, {
        name: " ci pipeline ",
        scopes: ["evidence:write", "readiness:read", "evidence:write"],
      }),
    );
    if (!result.ok) throw new Error(result.message);
    expect(result.token).toMatch(TOKEN_PATTERN);
    expect(result.row).toMatchObject({
      name: "ci pipeline",
      scopes: ["evidence:write", "readiness:read"],
      createdBy: actors.admin.email,
      revokedAt: null,
    });
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { name: "ci pipeline" } });
    expect(row.tokenHash).toBe(hashToken(result.token));
    expect(JSON.stringify(row)).not.toContain(result.token);
    expect(await counts()).toEqual({ ...before, tokens: before.tokens + 1, audit: before.audit + 1 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "token.create",
      actorType: "user",
      actorId: actors.admin.id,
      actorName: `Token admin <admin@tokens.test>`,
      entityType: "api_token",
      entityId: row.id,
    });
    expect(JSON.stringify(entries[0]?.after)).not.toContain(result.token);
    expect(await authenticate(prisma, `Bearer ${result.token}`, "evidence:write")).toMatchObject({
      ok: true,
      token: { name: "ci pipeline" },
    });
  });

  it.each([
    ["no scope", { name: "none", scopes: [] }, 422, "scopes"],
    ["an unknown scope", { name: "unknown", scopes: ["admin:all"] }, 422, "scopes"],
    ["scopes that are not a list", { name: "text", scopes: "evidence:write" }, 422, "scopes"],
    ["an empty name", { name: "  ", scopes: ["readiness:read"] }, 422, "name"],
    ["a name with a slash", { name: "ci/prod", scopes: ["readiness:read"] }, 422, "name"],
    ["a name over 64 characters", { name: "x".repeat(65), scopes: ["readiness:read"] }, 422, "name"],
    ["a name already taken", { name: "ci pipeline", scopes: ["readiness:read"] }, 409, "name"],
    ["an unknown field", { name: "extra", scopes: ["readiness:read"], createdBy: "someone else" }, 422, "form"],
  ] as const)("refuses %s with a field error and changes nothing", async (_what, input, status, field) => {
    const before = await counts();
    const result = await createApiToken({ prisma }, actors.admin, input);
    expect(result).toMatchObject({ ok: false, status });
    if (result.ok) return;
    expect(result.message).not.toBe("");
    if (field !== "form") expect(result.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });
});

describe("revokeApiToken", () => {
  let token = "";

  beforeAll(async () => {
    const created = await createApiToken({ prisma }, actors.admin, { name: "to-revoke", scopes: ["readiness:read"] });
    if (!created.ok) throw new Error(created.message);
    token = created.token;
  });

  it.each(REFUSED)("refuses %s and changes nothing", async (_who, actor, status) => {
    const before = await counts();
    const result = await revokeApiToken({ prisma }, actor(), { name: "to-revoke" });
    expect(result).toMatchObject({ ok: false, status });
    expect(await counts()).toEqual(before);
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { name: "to-revoke" } })).revokedAt).toBeNull();
    expect(await authenticate(prisma, `Bearer ${token}`, "readiness:read")).toMatchObject({ ok: true });
  });

  it("revokes for an admin, audits it once, and the token stops working", async () => {
    const before = await counts();
    const now = new Date("2030-01-02T03:04:05.678Z");
    const { result, entries } = await withAudit(() =>
      revokeApiToken({ prisma }, actors.admin, { name: "to-revoke" }, now),
    );
    expect(result).toMatchObject({ ok: true, row: { name: "to-revoke", revokedAt: now } });
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: "token.revoke", actorId: actors.admin.id, entityType: "api_token" });
    expect(await authenticate(prisma, `Bearer ${token}`, "readiness:read")).toMatchObject({ ok: false, status: 401 });
  });

  it("answers a second revocation 409 without writing", async () => {
    const before = await counts();
    const result = await revokeApiToken({ prisma }, actors.admin, { name: "to-revoke" });
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["an unknown token", { name: "nobody" }, 404],
    ["no name", { name: "" }, 422],
    ["no input", undefined, 422],
  ] as const)("refuses %s and changes nothing", async (_what, input, status) => {
    const before = await counts();
    expect(await revokeApiToken({ prisma }, actors.admin, input)).toMatchObject({ ok: false, status });
    expect(await counts()).toEqual(before);
  });
});
