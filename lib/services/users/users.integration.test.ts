import { randomUUID } from "node:crypto";
import pg from "pg";
import { verifyPassword } from "better-auth/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TActor } from "../../auth/actor";
import { ROLES, type TRole } from "../../auth/permissions";
import { createPrismaClient } from "../../db/client";
import type { PrismaClient } from "../../generated/prisma/client";
import { listOpenInvitations, listUsers } from "../../queries/users";
import { buildTestConfig } from "../../testing/config";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { getPublicBaseUrl } from "../../public-url";
import { getInvitationByToken } from "../../queries/invitations";
import { acceptInvitation } from "./accept-invitation";
import { inviteUser } from "./invite-user";
import { revokeInvitation } from "./revoke-invitation";
import { insertUser } from "./schema";
import { updateUser } from "./update-user";

// The user service verbs on a real PostgreSQL: only an admin may invite or change users, a refusal changes no
// row, an invitation works once and only until it expires, the last admin cannot be demoted or disabled, sign-off
// roles go to approvers only, and each success writes exactly one audit entry.

const PASSWORD = "correct horse battery staple";
const DAY = 86_400_000;

const config = buildTestConfig({
  components: [{ id: "api", name: "API", service: "HTTP", probe: { type: "http", url: "http://127.0.0.1:9/health" } }],
  signoff: {
    roles: [
      { id: "tech-lead", name: "Technical Lead" },
      { id: "security", name: "Security Officer" },
    ],
  },
});

let database: TestDatabase;
let prisma: PrismaClient;
const PUBLIC = "https://preflight.example.com";
let deps: { prisma: PrismaClient; config: typeof config; publicBase: { ok: true; url: string; configured: boolean } };
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

/** Every row of the tables these services write, to show a refusal left them exactly as they were. */
async function snapshot() {
  return {
    users: await prisma.user.findMany({
      orderBy: { id: "asc" },
      include: { signOffRoles: { orderBy: { role: "asc" } } },
    }),
    invitations: await prisma.invitation.findMany({ orderBy: { id: "asc" } }),
    sessions: await prisma.session.count(),
    counts: await counts(),
  };
}

async function withAudit<T>(run: () => Promise<T>) {
  const last = await prisma.auditLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  const result = await run();
  const entries = await prisma.auditLog.findMany({ where: { id: { gt: last?.id ?? 0n } }, orderBy: { id: "asc" } });
  return { result, entries };
}

async function addUser(role: TRole, signOffRoles: string[] = []): Promise<TActor> {
  const email = `${role}-${randomUUID().slice(0, 8)}@users.test`;
  const user = await prisma.$transaction((tx) =>
    insertUser(tx, { email, name: `User ${email}`, role, password: PASSWORD, signOffRoles }),
  );
  return { id: user.id, name: user.name, email: user.email, role, signOffRoles };
}

const uniqueEmail = (what: string) => `${what}-${randomUUID().slice(0, 8)}@invited.test`;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 2);
  deps = { prisma, config, publicBase: { ok: true, url: PUBLIC, configured: true } };
  await prisma.$transaction(async (tx) => {
    for (const role of ROLES) {
      const signOffRoles = role === "approver" ? ["tech-lead"] : [];
      const user = await insertUser(tx, {
        email: `${role}@users.test`,
        name: `The ${role}`,
        role,
        password: PASSWORD,
        signOffRoles,
      });
      actors[role] = { id: user.id, name: user.name, email: user.email, role, signOffRoles };
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

describe("inviteUser", () => {
  it.each(REFUSED)("refuses %s and changes nothing", async (_who, actor, status) => {
    const before = await snapshot();
    const result = await inviteUser(deps, actor(), { email: uniqueEmail("refused"), name: "Refused", role: "viewer" });
    expect(result).toMatchObject({ ok: false, status });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses sign-off roles for a non-approver, and unknown ones, with a field error and no row", async () => {
    const before = await snapshot();
    const editor = await inviteUser(deps, actors.admin, {
      email: uniqueEmail("editor"),
      name: "Ed",
      role: "editor",
      signOffRoles: ["tech-lead"],
    });
    expect(editor).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { signOffRoles: ["only approvers hold sign-off roles"] },
    });
    const unknown = await inviteUser(deps, actors.admin, {
      email: uniqueEmail("approver"),
      name: "Al",
      role: "approver",
      signOffRoles: ["cfo"],
    });
    expect(unknown).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { signOffRoles: [expect.stringContaining('"cfo"')] },
    });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ["a bad email", { email: "not-an-email", name: "X", role: "viewer" }, "email"],
    ["no name", { email: "x@invited.test", name: " ", role: "viewer" }, "name"],
    ["an unknown role", { email: "x@invited.test", name: "X", role: "owner" }, "role"],
  ] as const)("refuses %s with a field error and no row", async (_what, input, field) => {
    const before = await snapshot();
    const result = await inviteUser(deps, actors.admin, input);
    expect(result).toMatchObject({ ok: false, status: 422 });
    if (!result.ok) expect(result.fieldErrors?.[field]?.length).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  });

  it("makes no invitation when Preflight knows no public address, and says what to set", async () => {
    const before = await snapshot();
    const result = await inviteUser(
      { ...deps, publicBase: getPublicBaseUrl({ PORT: 3000, NODE_ENV: "production" }) },
      actors.admin,
      { email: uniqueEmail("nowhere"), name: "Nowhere", role: "viewer" },
    );
    expect(result).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("PREFLIGHT_PUBLIC_URL") });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an address that already has an account (409)", async () => {
    const before = await snapshot();
    const result = await inviteUser(deps, actors.admin, {
      email: actors.viewer.email.toUpperCase(),
      name: "Again",
      role: "viewer",
    });
    expect(result).toMatchObject({ ok: false, status: 409, fieldErrors: { email: ["already has an account"] } });
    expect(await snapshot()).toEqual(before);
  });
});

describe("an invitation, end to end", () => {
  const email = uniqueEmail("approver");
  let token = "";

  it("is created by an admin, audited once, and listed as open", async () => {
    const before = await counts();
    const { result, entries } = await withAudit(() =>
      inviteUser(deps, actors.admin, {
        email: email.toUpperCase(),
        name: " Ann Approver ",
        role: "approver",
        signOffRoles: ["security", "tech-lead"],
      }),
    );
    if (!result.ok) throw new Error(result.message);
    token = result.value.token;
    expect(result.value.link).toBe(`${PUBLIC}/invite/${token}`);
    expect(await counts()).toEqual({ ...before, invitations: before.invitations + 1, audit: before.audit + 1 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "user.invite",
      actorId: actors.admin.id,
      entityType: "invitation",
      entityId: result.value.invitationId,
    });
    expect(JSON.stringify([entries[0]?.before, entries[0]?.after])).not.toContain(token);
    const stored = await prisma.invitation.findUniqueOrThrow({ where: { id: result.value.invitationId } });
    expect(stored.tokenHash).not.toBe(token);
    const open = await listOpenInvitations(prisma, new Date());
    expect(open.find((i) => i.id === result.value.invitationId)).toMatchObject({
      email,
      name: "Ann Approver",
      role: "approver",
      signOffRoles: ["security", "tech-lead"],
      invitedBy: actors.admin.name,
    });
  });

  it("shows whom it is for", async () => {
    expect(await getInvitationByToken(prisma, token)).toEqual({
      email,
      name: "Ann Approver",
      role: "approver",
      state: "open",
    });
    expect(await getInvitationByToken(prisma, "not-a-token")).toBeNull();
  });

  it("refuses a short password and an unknown token without a row", async () => {
    const before = await snapshot();
    expect(await acceptInvitation(prisma, { token, password: "short" })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { password: [expect.any(String)] },
    });
    expect(await acceptInvitation(prisma, { token: "nope", password: PASSWORD })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("is accepted once: the user exists with the role and sign-off roles, audited once", async () => {
    const before = await counts();
    const { result, entries } = await withAudit(() => acceptInvitation(prisma, { token, password: PASSWORD }));
    expect(result).toEqual({ ok: true, value: { email } });
    expect(await counts()).toEqual({
      ...before,
      users: before.users + 1,
      assignments: before.assignments + 2,
      audit: before.audit + 1,
    });
    const user = await prisma.user.findUniqueOrThrow({
      where: { email },
      include: { signOffRoles: true, accounts: true },
    });
    expect(user).toMatchObject({ name: "Ann Approver", role: "approver", disabledAt: null });
    expect(user.signOffRoles.map((r) => r.role).sort()).toEqual(["security", "tech-lead"]);
    const password = user.accounts.find((a) => a.providerId === "credential")?.password;
    expect(password).toBeTruthy();
    expect(await verifyPassword({ hash: password ?? "", password: PASSWORD })).toBe(true);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "user.accept_invitation",
      actorId: user.id,
      entityType: "user",
      entityId: user.id,
    });
    expect(JSON.stringify([entries[0]?.before, entries[0]?.after])).not.toContain(PASSWORD);
    expect((await listUsers(prisma)).find((u) => u.id === user.id)).toMatchObject({
      email,
      role: "approver",
      signOffRoles: ["security", "tech-lead"],
      disabled: false,
      lastSeenAt: null,
    });
    expect((await listOpenInvitations(prisma, new Date())).some((i) => i.email === email)).toBe(false);
  });

  it("refuses a second acceptance (409) and changes nothing", async () => {
    const before = await snapshot();
    expect(await acceptInvitation(prisma, { token, password: "another password entirely" })).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("already used"),
    });
    expect(await getInvitationByToken(prisma, token)).toMatchObject({ state: "accepted" });
    expect(await snapshot()).toEqual(before);
  });
});

describe("an expired or replaced invitation", () => {
  it("is refused once expired (409) and changes nothing", async () => {
    const email = uniqueEmail("late");
    const invited = await inviteUser(deps, actors.admin, { email, name: "Late", role: "viewer" });
    if (!invited.ok) throw new Error(invited.message);
    const later = new Date(invited.value.expiresAt.getTime() + 1);
    expect(await getInvitationByToken(prisma, invited.value.token, later)).toMatchObject({ state: "expired" });
    expect((await listOpenInvitations(prisma, later)).some((i) => i.email === email)).toBe(false);
    const before = await snapshot();
    expect(await acceptInvitation(prisma, { token: invited.value.token, password: PASSWORD }, later)).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("expired"),
    });
    expect(await snapshot()).toEqual(before);
    // Just before the end it still works.
    expect(
      await acceptInvitation(
        prisma,
        { token: invited.value.token, password: PASSWORD },
        new Date(invited.value.expiresAt.getTime() - DAY),
      ),
    ).toMatchObject({ ok: true });
  });

  it("is replaced by a newer invitation for the same address", async () => {
    const email = uniqueEmail("twice");
    const first = await inviteUser(deps, actors.admin, { email, name: "Twice", role: "viewer" });
    const second = await inviteUser(deps, actors.admin, { email, name: "Twice", role: "editor" });
    if (!first.ok || !second.ok) throw new Error("invitation refused");
    expect(await getInvitationByToken(prisma, first.value.token)).toMatchObject({ state: "replaced" });
    expect(await acceptInvitation(prisma, { token: first.value.token, password: PASSWORD })).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("replaced"),
    });
    expect(await acceptInvitation(prisma, { token: second.value.token, password: PASSWORD })).toMatchObject({
      ok: true,
    });
    expect(await prisma.user.findUniqueOrThrow({ where: { email } })).toMatchObject({ role: "editor" });
  });
});

/** An open invitation made through the service: its id, token and address. */
async function invite(what: string) {
  const email = uniqueEmail(what);
  const result = await inviteUser(deps, actors.admin, { email, name: `Invitee ${what}`, role: "viewer" });
  if (!result.ok) throw new Error(result.message);
  return { email, id: result.value.invitationId, token: result.value.token };
}

describe("revokeInvitation", () => {
  it.each(REFUSED)("refuses %s and changes nothing", async (_who, actor, status) => {
    const { id } = await invite("kept");
    const before = await snapshot();
    expect(await revokeInvitation(deps, actor(), { invitationId: id })).toMatchObject({ ok: false, status });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a bad or unknown id without a change", async () => {
    const before = await snapshot();
    expect(await revokeInvitation(deps, actors.admin, { invitationId: "nope" })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { invitationId: [expect.any(String)] },
    });
    expect(await revokeInvitation(deps, actors.admin, { invitationId: randomUUID() })).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("revokes an open invitation, audited once: its link says so and cannot be accepted", async () => {
    const { email, id, token } = await invite("revoked");
    const before = await counts();
    const { result, entries } = await withAudit(() => revokeInvitation(deps, actors.admin, { invitationId: id }));
    expect(result).toEqual({ ok: true, value: { email } });
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "user.revoke_invitation",
      actorId: actors.admin.id,
      entityType: "invitation",
      entityId: id,
      before: { email },
      after: { email },
    });
    expect(JSON.stringify([entries[0]?.before, entries[0]?.after])).not.toContain(token);
    expect(await getInvitationByToken(prisma, token)).toMatchObject({ state: "revoked" });
    expect((await listOpenInvitations(prisma, new Date())).some((i) => i.id === id)).toBe(false);

    const unchanged = await snapshot();
    expect(await acceptInvitation(prisma, { token, password: PASSWORD })).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("revoked"),
    });
    expect(await revokeInvitation(deps, actors.admin, { invitationId: id })).toMatchObject({ ok: false, status: 409 });
    expect(await snapshot()).toEqual(unchanged);
    expect(await prisma.user.count({ where: { email } })).toBe(0);
  });

  it("refuses to revoke an accepted invitation (409) and changes nothing", async () => {
    const { id, token } = await invite("accepted");
    expect(await acceptInvitation(prisma, { token, password: PASSWORD })).toMatchObject({ ok: true });
    const before = await snapshot();
    expect(await revokeInvitation(deps, actors.admin, { invitationId: id })).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining("accepted"),
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe("a revocation racing an acceptance", () => {
  /** Holds the invitation's row lock from another connection, so both contenders queue on it and then go at once. */
  async function holdRowLock(id: string, ms: number): Promise<() => Promise<void>> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("BEGIN");
    await client.query("SELECT id FROM invitation WHERE id = $1 FOR UPDATE", [id]);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return async () => {
      await client.query("COMMIT");
      await client.end();
    };
  }

  it.each([
    ["the acceptance starting first", "accept-first"],
    ["the revocation starting first", "revoke-first"],
    ["both at once, without a held lock", "free"],
  ] as const)("has exactly one winner, %s", async (_what, order) => {
    for (let round = 0; round < 2; round += 1) {
      const { email, id, token } = await invite(`race-${order}-${round}`);
      const lastAudit = (await prisma.auditLog.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0n;
      const release = order === "free" ? null : await holdRowLock(id, 0);
      const accept = () => acceptInvitation(prisma, { token, password: PASSWORD });
      const revoke = () => revokeInvitation(deps, actors.admin, { invitationId: id });
      const first = order === "revoke-first" ? revoke() : accept();
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = order === "revoke-first" ? accept() : revoke();
      // Both are queued on the lock by now (the acceptance hashes its password first in no version of the code for more than this).
      await new Promise((resolve) => setTimeout(resolve, order === "free" ? 0 : 1_000));
      await release?.();
      const [a, b] = await Promise.all([first, second]);
      const [accepted, revoked] = order === "revoke-first" ? [b, a] : [a, b];
      expect([accepted.ok, revoked.ok].filter(Boolean), JSON.stringify({ accepted, revoked })).toHaveLength(1);
      const row = await prisma.invitation.findUniqueOrThrow({ where: { id } });
      const users = await prisma.user.count({ where: { email } });
      const audit = await prisma.auditLog.findMany({ where: { id: { gt: lastAudit } } });
      if (accepted.ok) {
        expect({ acceptedAt: row.acceptedAt !== null, revokedAt: row.revokedAt, users }).toEqual({
          acceptedAt: true,
          revokedAt: null,
          users: 1,
        });
        expect(audit.map((e) => e.action)).toEqual(["user.accept_invitation"]);
        expect(revoked).toMatchObject({ ok: false, status: 409 });
      } else {
        expect({ acceptedAt: row.acceptedAt, revokedAt: row.revokedAt !== null, users }).toEqual({
          acceptedAt: null,
          revokedAt: true,
          users: 0,
        });
        expect(audit.map((e) => e.action)).toEqual(["user.revoke_invitation"]);
        expect(accepted).toMatchObject({ ok: false, status: 409 });
      }
    }
  });
});

describe("updateUser", () => {
  it.each(REFUSED)("refuses %s and changes nothing", async (_who, actor, status) => {
    const before = await snapshot();
    const result = await updateUser(deps, actor(), {
      userId: actors.viewer.id,
      role: "admin",
      signOffRoles: [],
      disabled: false,
    });
    expect(result).toMatchObject({ ok: false, status });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses sign-off roles for a non-approver with a field error and changes nothing", async () => {
    const before = await snapshot();
    const result = await updateUser(deps, actors.admin, {
      userId: actors.editor.id,
      role: "editor",
      signOffRoles: ["tech-lead"],
      disabled: false,
    });
    expect(result).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { signOffRoles: ["only approvers hold sign-off roles"] },
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an unknown user (404) and bad input (422) without a change", async () => {
    const before = await snapshot();
    expect(
      await updateUser(deps, actors.admin, { userId: "nobody", role: "viewer", signOffRoles: [], disabled: false }),
    ).toMatchObject({ ok: false, status: 404 });
    expect(await updateUser(deps, actors.admin, { userId: actors.viewer.id, role: "root" })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { role: [expect.any(String)] },
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses to demote or disable the last active admin (409) and changes nothing", async () => {
    expect(await prisma.user.count({ where: { role: "admin", disabledAt: null } })).toBe(1);
    const before = await snapshot();
    expect(
      await updateUser(deps, actors.admin, {
        userId: actors.admin.id,
        role: "editor",
        signOffRoles: [],
        disabled: false,
      }),
    ).toMatchObject({ ok: false, status: 409 });
    expect(
      await updateUser(deps, actors.admin, {
        userId: actors.admin.id,
        role: "admin",
        signOffRoles: [],
        disabled: true,
      }),
    ).toMatchObject({ ok: false, status: 409 });
    expect(await snapshot()).toEqual(before);
  });

  it("replaces an approver's sign-off roles, audited once with before and after", async () => {
    const approver = await addUser("approver", ["tech-lead"]);
    const before = await counts();
    const { result, entries } = await withAudit(() =>
      updateUser(deps, actors.admin, {
        userId: approver.id,
        role: "approver",
        signOffRoles: ["security"],
        disabled: false,
      }),
    );
    expect(result).toEqual({ ok: true });
    expect(await counts()).toEqual({ ...before, audit: before.audit + 1 });
    expect(
      (await prisma.signOffRoleAssignment.findMany({ where: { userId: approver.id } })).map((r) => r.role),
    ).toEqual(["security"]);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "user.update",
      actorId: actors.admin.id,
      entityType: "user",
      entityId: approver.id,
      before: { role: "approver", signOffRoles: ["tech-lead"], disabled: false },
      after: { role: "approver", signOffRoles: ["security"], disabled: false },
    });
  });

  it("disables a user and ends their sessions, audited once", async () => {
    const viewer = await addUser("viewer");
    await prisma.session.create({
      data: { id: randomUUID(), token: randomUUID(), userId: viewer.id, expiresAt: new Date(Date.now() + DAY) },
    });
    expect((await listUsers(prisma)).find((u) => u.id === viewer.id)?.lastSeenAt).toBeInstanceOf(Date);
    const { result, entries } = await withAudit(() =>
      updateUser(deps, actors.admin, { userId: viewer.id, role: "viewer", signOffRoles: [], disabled: true }),
    );
    expect(result).toEqual({ ok: true });
    expect(await prisma.session.count({ where: { userId: viewer.id } })).toBe(0);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: viewer.id } })).disabledAt).toBeInstanceOf(Date);
    expect((await listUsers(prisma)).find((u) => u.id === viewer.id)).toMatchObject({
      disabled: true,
      lastSeenAt: null,
    });
    expect(entries.map((e) => e.action)).toEqual(["user.update"]);
  });

  it("demotes an admin once another admin exists, audited once", async () => {
    const second = await addUser("viewer");
    const promoted = await withAudit(() =>
      updateUser(deps, actors.admin, { userId: second.id, role: "admin", signOffRoles: [], disabled: false }),
    );
    expect(promoted.result).toEqual({ ok: true });
    expect(promoted.entries.map((e) => e.action)).toEqual(["user.update"]);
    const demoted = await withAudit(() =>
      updateUser(
        deps,
        { ...second, role: "admin" },
        { userId: actors.admin.id, role: "editor", signOffRoles: [], disabled: false },
      ),
    );
    expect(demoted.result).toEqual({ ok: true });
    expect(demoted.entries).toHaveLength(1);
    expect(demoted.entries[0]).toMatchObject({
      action: "user.update",
      actorId: second.id,
      entityId: actors.admin.id,
      after: { role: "editor" },
    });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: actors.admin.id } })).role).toBe("editor");
    // Now the second admin is the last one.
    expect(
      await updateUser(
        deps,
        { ...second, role: "admin" },
        { userId: second.id, role: "viewer", signOffRoles: [], disabled: false },
      ),
    ).toMatchObject({ ok: false, status: 409 });
  });
});
