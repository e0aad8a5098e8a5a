import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";

// GET /api/v1/audit/head through the route handler itself, on a real database: the chain's head for a token with
// audit:read or an admin's session, in the shape of an anchor line; a status and a message for anyone else.
vi.mock("next/server", async (original) => ({
  ...(await original<typeof import("next/server")>()),
  connection: async () => undefined,
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers(),
  cookies: async () => ({
    get: () => undefined,
    getAll: () => [],
    has: () => false,
    set: () => undefined,
    delete: () => undefined,
  }),
}));

type THandler = (request: Request) => Promise<Response>;

const dir = mkdtempSync(join(tmpdir(), "pf-audit-head-"));
const PASSWORD = "correct horse battery staple";
const savedEnv = { ...process.env };
const tokens = { auditor: "", revoked: "" };
const cookies = { admin: "", viewer: "" };
let database: TestDatabase;
let prisma: PrismaClient;
let admin: pg.Client;
let GET: THandler;

beforeAll(async () => {
  database = await createTestDatabase("pf_audit_head");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: join(import.meta.dirname, "..", "preflight.config.yaml"),
    PREFLIGHT_EMBEDDED_WORKER: "false",
    PREFLIGHT_DATA_DIR: dir,
    PREFLIGHT_AUTH_SECRET: randomBytes(30).toString("base64url"),
    REDIS_URL: "",
    LOG_LEVEL: "silent",
  });
  delete process.env.PREFLIGHT_AUDIT_ANCHOR_FILE;
  delete process.env.PREFLIGHT_PUBLIC_URL;
  GET = (await import("../app/api/v1/audit/head/route")).GET;
  prisma = (await import("../lib/db/client")).getPrisma();
  const { createToken, revokeToken } = await import("../lib/tokens/store");
  const { insertUser } = await import("../lib/services/users/schema");
  const { getAuth } = await import("../lib/auth/auth");
  tokens.auditor = (await createToken(prisma, { name: "anchor-job", scopes: ["audit:read"], createdBy: "test" })).token;
  await createToken(prisma, { name: "reader", scopes: ["readiness:read", "evidence:write"], createdBy: "test" });
  tokens.revoked = (await createToken(prisma, { name: "old", scopes: ["audit:read"], createdBy: "test" })).token;
  await revokeToken(prisma, "old");
  for (const role of ["admin", "viewer"] as const) {
    await prisma.$transaction((tx) =>
      insertUser(tx, { email: `${role}@head.test`, name: `Head ${role}`, role, password: PASSWORD, signOffRoles: [] }),
    );
    const response = await getAuth().api.signInEmail({
      body: { email: `${role}@head.test`, password: PASSWORD },
      asResponse: true,
    });
    cookies[role] =
      response.headers
        .getSetCookie()
        .map((c) => c.split(";")[0] ?? "")
        .find((c) => c.startsWith("better-auth.session_token=")) ?? "";
    expect(cookies[role]).not.toBe("");
  }
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
}, 60_000);

afterAll(async () => {
  await admin?.end();
  await prisma?.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
  process.env = savedEnv;
});

const get = (headers: Record<string, string> = {}) =>
  GET(new Request("http://preflight.test/api/v1/audit/head", { headers }));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The head as the database has it. */
async function databaseHead() {
  const last = (await admin.query("SELECT id::text, hash, at FROM audit_log ORDER BY audit_log.id DESC LIMIT 1"))
    .rows[0];
  const first = (await admin.query("SELECT hash FROM audit_log ORDER BY audit_log.id LIMIT 1")).rows[0];
  const { n } = (await admin.query("SELECT count(*)::int AS n FROM audit_log")).rows[0];
  return { id: last.id, hash: last.hash, at: last.at.toISOString(), entries: n, chain: first.hash };
}

describe("GET /api/v1/audit/head", () => {
  it("answers a token with the audit:read scope with the chain's head, never cached", async () => {
    const response = await get(bearer(tokens.auditor));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual(await databaseHead());
  });

  it("follows the chain: after another audited change the head is that entry", async () => {
    const before = await databaseHead();
    const { revokeToken } = await import("../lib/tokens/store");
    await revokeToken(prisma, "reader");
    const head = await (await get(bearer(tokens.auditor))).json();
    expect(head).toEqual(await databaseHead());
    expect(head.entries).toBe(before.entries + 1);
    expect(BigInt(head.id)).toBeGreaterThan(BigInt(before.id));
    // In the shape of an anchor line: kept, it checks the database like the anchor file does. And it is what the
    // anchor file (in the data directory) says of the same entry.
    const { parseAnchors, checkAnchors } = await import("../lib/audit/anchor");
    const { toChainRow } = await import("../lib/audit/verify");
    const parsed = parseAnchors(JSON.stringify(head));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(
      checkAnchors(parsed.anchors, (await prisma.auditLog.findMany({ orderBy: { id: "asc" } })).map(toChainRow)),
    ).toMatchObject({ ok: true, anchored: 1 });
    const file = parseAnchors(readFileSync(join(dir, "audit-anchor.log"), "utf8"));
    expect(file.ok && file.anchors.at(-1)).toEqual(parsed.anchors[0]);
  });

  it("answers an admin's session too", async () => {
    const response = await get({ cookie: cookies.admin });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(await databaseHead());
  });

  it.each([
    ["no credentials", {}, 401, "sign in as an admin, or send a bearer token with the audit:read scope"],
    ["a malformed header", { authorization: "Basic abc" }, 401, "expected `Authorization: Bearer pf_…`"],
    [
      "a token that is not one",
      bearer("pf_not_a_real_token"),
      401,
      "not a Preflight token (they start with pf_ and have 46 characters)",
    ],
    ["an unknown token", bearer(`pf_${"A".repeat(43)}`), 401, "unknown token"],
    ["an empty bearer", { authorization: "Bearer " }, 401, "expected `Authorization: Bearer pf_…`"],
    [
      "a session cookie that is not one",
      { cookie: "better-auth.session_token=forged.value" },
      401,
      "sign in as an admin, or send a bearer token with the audit:read scope",
    ],
  ])("refuses %s with %i and a message", async (_name, headers, status, error) => {
    const response = await get(headers);
    expect(response.status).toBe(status);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error });
  });

  it("refuses a revoked token, a token without the scope and a session that is not an admin's", async () => {
    const revoked = await get(bearer(tokens.revoked));
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: 'token "old" was revoked' });
    const { createToken } = await import("../lib/tokens/store");
    const other = (await createToken(prisma, { name: "gate", scopes: ["readiness:read"], createdBy: "test" })).token;
    const scoped = await get(bearer(other));
    expect(scoped.status).toBe(403);
    expect(await scoped.json()).toEqual({ error: 'token "gate" lacks the audit:read scope' });
    const viewer = await get({ cookie: cookies.viewer });
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toEqual({ error: "reading the audit log is for admins" });
  });
});
