import { spawnSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { diffAudit, listAuditEntries, listAuditEntityTypes } from "../queries/audit";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { appendAudit, type TAuditEntry } from "./append";
import { auditHash, type TAuditActor } from "./chain";
import { toChainRow, verifyAuditLog } from "./verify";

// The audit log on a real PostgreSQL: appends form one chain (also when two processes write at once), the
// trigger refuses rewrites through SQL, a rolled-back mutation leaves no entry, and `npm run audit:verify`
// catches a superuser who disables the trigger and rewrites a row.

const root = join(import.meta.dirname, "..", "..");
const ADA: TAuditActor = { type: "user", id: "u-ada", name: "Ada Admin" };
const CI: TAuditActor = { type: "token", id: "t-ci", name: "ci" };

let database: TestDatabase;
let prisma: PrismaClient;
let other: PrismaClient;
let admin: pg.Client;

type TRawRow = { id: string; actor_name: string; after: unknown; prev_hash: string | null; hash: string };

async function rows(): Promise<TRawRow[]> {
  return (
    await admin.query<TRawRow>(
      "SELECT id::text, actor_name, after, prev_hash, hash FROM audit_log ORDER BY audit_log.id",
    )
  ).rows;
}

function append(client: PrismaClient, entry: TAuditEntry, now?: Date) {
  return client.$transaction((tx) => appendAudit(tx, entry, now));
}

/** The real command, as `npm run audit:verify` runs it, against this file's database. */
function auditVerify() {
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/audit-verify.ts"],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" },
      encoding: "utf8",
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** What a superuser can do: switch the append-only trigger off, rewrite, switch it back on. */
async function tamper(sql: string, values: unknown[]): Promise<void> {
  await admin.query("BEGIN");
  try {
    await admin.query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete");
    const result = await admin.query(sql, values);
    expect(result.rowCount).toBe(1);
    await admin.query("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete");
    await admin.query("COMMIT");
  } catch (error) {
    await admin.query("ROLLBACK");
    throw error;
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 4);
  other = createPrismaClient(database.url, 4);
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await prisma?.$disconnect();
  await other?.$disconnect();
  await database?.drop();
});

describe("an empty audit log", () => {
  it("verifies as intact with no entries, in process and from the command line", async () => {
    expect(await verifyAuditLog(prisma)).toEqual({ ok: true, entries: 0, lastHash: null });
    const run = auditVerify();
    expect(run.code, run.err).toBe(0);
    expect(run.out.trim()).toBe("audit log intact: 0 entries, last hash none");
  });
});

describe("appendAudit", () => {
  it("writes a linked chain, each entry hashed over its fields and the entry before", async () => {
    const written = [
      await append(prisma, {
        actor: ADA,
        action: "user.invite",
        entityType: "user",
        entityId: "u-bo",
        after: { email: "bo@example.com", role: "approver" },
      }),
      await append(prisma, {
        actor: ADA,
        action: "user.role.update",
        entityType: "user",
        entityId: "u-bo",
        before: { role: "approver", signOffRoles: ["security-officer"] },
        after: { signOffRoles: ["security-officer"], role: "editor", name: "Bo" },
      }),
      // Values a JSONB column stores differently from how they were sent: key order, a bigint, a Date, unicode,
      // numbers in exponent form. The chain hashes them as they come back.
      await append(
        prisma,
        {
          actor: CI,
          action: "evidence.junit.create",
          entityType: "test_run",
          entityId: "42",
          after: {
            z: 1,
            a: { y: [1, 2.5, "ü 🚀", null], b: true },
            id: 42n,
            at: new Date("2026-11-27T10:00:00Z"),
            big: 1e21,
            tiny: 1e-7,
            quote: 'a "b" \\ c',
          },
        },
        new Date("2026-11-27T10:00:00.123Z"),
      ),
    ];
    const stored = await rows();
    expect(stored.map((r) => r.id)).toEqual(written.map((w) => w.id));
    expect(stored.map((r) => r.hash)).toEqual(written.map((w) => w.hash));
    expect(stored[0]?.prev_hash).toBeNull();
    expect(stored[1]?.prev_hash).toBe(stored[0]?.hash);
    expect(stored[2]?.prev_hash).toBe(stored[1]?.hash);
    expect(stored[2]?.after).toMatchObject({ id: "42", at: "2026-11-27T10:00:00.000Z" });
    expect(await verifyAuditLog(prisma)).toEqual({ ok: true, entries: 3, lastHash: written[2]?.hash });
  });

  it("links concurrent appends from two clients into one chain", async () => {
    const before = (await rows()).length;
    const count = 16;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        append(i % 2 === 0 ? prisma : other, {
          actor: i % 2 === 0 ? ADA : CI,
          action: "criterion.attest",
          entityType: "criterion",
          entityId: `c-${i}`,
          after: { n: i },
        }),
      ),
    );
    const stored = await rows();
    expect(stored).toHaveLength(before + count);
    // One chain: no two entries claim the same predecessor (a fork), and each links to the entry before it.
    expect(new Set(stored.map((r) => r.prev_hash)).size).toBe(stored.length);
    stored.forEach((row, i) => expect(row.prev_hash).toBe(i === 0 ? null : stored[i - 1]?.hash));
    expect(await verifyAuditLog(other)).toEqual({ ok: true, entries: before + count, lastHash: stored.at(-1)?.hash });
  });

  it("leaves no audit entry, and no mutation, when the transaction throws after appending", async () => {
    const before = await rows();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.invitation.create({
          data: {
            email: "cy@example.com",
            name: "Cy",
            role: "viewer",
            tokenHash: "rolled-back",
            expiresAt: new Date(Date.now() + 3_600_000),
            createdBy: "u-ada",
          },
        });
        await appendAudit(tx, {
          actor: ADA,
          action: "user.invite",
          entityType: "invitation",
          after: { email: "cy@example.com" },
        });
        throw new Error("mutation failed after its audit entry");
      }),
    ).rejects.toThrow("mutation failed after its audit entry");
    expect(await rows()).toEqual(before);
    expect(await prisma.invitation.count()).toBe(0);

    // The next entry links to the last committed one (the rolled-back id is a gap, which the chain does not mind).
    const next = await append(prisma, {
      actor: ADA,
      action: "user.disable",
      entityType: "user",
      entityId: "u-bo",
      before: { disabled: false },
      after: { disabled: true },
    });
    const stored = await rows();
    expect(stored.at(-1)).toMatchObject({ id: next.id, prev_hash: before.at(-1)?.hash });
    expect(BigInt(next.id)).toBeGreaterThan(BigInt(before.at(-1)?.id ?? 0) + 1n);
    expect((await verifyAuditLog(prisma)).ok).toBe(true);
  });

  it("rolls the mutation back when the audit entry cannot be written", async () => {
    const before = await rows();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.invitation.create({
          data: {
            email: "di@example.com",
            name: "Di",
            role: "viewer",
            tokenHash: "audit-failed",
            expiresAt: new Date(Date.now() + 3_600_000),
            createdBy: "u-ada",
          },
        });
        // A lone surrogate has no canonical JSON: the entry cannot be hashed.
        await appendAudit(tx, {
          actor: ADA,
          action: "user.invite",
          entityType: "invitation",
          after: { name: "\ud800" },
        });
      }),
    ).rejects.toThrow(/surrogate/);
    expect(await rows()).toEqual(before);
    expect(await prisma.invitation.count()).toBe(0);
  });
});

describe("the append-only trigger", () => {
  it.each([
    ["UPDATE", "UPDATE audit_log SET actor_name = 'Mallory' WHERE id = (SELECT max(id) FROM audit_log)"],
    [
      "UPDATE of the hash too",
      "UPDATE audit_log SET after = '{}', hash = md5(hash) WHERE id = (SELECT min(id) FROM audit_log)",
    ],
    ["DELETE", "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"],
    ["DELETE of every row", "DELETE FROM audit_log"],
    ["TRUNCATE", "TRUNCATE audit_log"],
  ])("refuses %s through SQL, changing nothing", async (_name, sql) => {
    const before = await rows();
    await expect(admin.query(sql)).rejects.toThrow("audit_log is append-only");
    expect(await rows()).toEqual(before);
  });

  it("refuses rewrites through Prisma too", async () => {
    const before = await rows();
    const last = before.at(-1);
    await expect(
      prisma.auditLog.update({ where: { id: BigInt(last?.id ?? 0) }, data: { actorName: "Mallory" } }),
    ).rejects.toThrow("audit_log is append-only");
    await expect(prisma.auditLog.deleteMany({})).rejects.toThrow("audit_log is append-only");
    expect(await rows()).toEqual(before);
  });
});

describe("verifyAuditLog", () => {
  it("gives the same verdict whatever the batch size (keyset pages meet without gaps or overlaps)", async () => {
    const whole = await verifyAuditLog(prisma);
    expect(whole).toMatchObject({ ok: true, entries: (await rows()).length });
    for (const batchSize of [1, 2, 3, 7, 10_000]) expect(await verifyAuditLog(prisma, { batchSize })).toEqual(whole);
  });

  it("refuses a batch size that is not a positive integer", async () => {
    await expect(verifyAuditLog(prisma, { batchSize: 0 })).rejects.toThrow(RangeError);
    await expect(verifyAuditLog(prisma, { batchSize: 2.5 })).rejects.toThrow(RangeError);
  });
});

describe("npm run audit:verify against a superuser's tampering", () => {
  it("exits 0 with the entry count while intact, and 1 naming exactly the rewritten entry after", async () => {
    const stored = await rows();
    expect(stored.length).toBeGreaterThanOrEqual(10);
    const last = stored.at(-1);
    const target = stored[5];
    if (!last || !target) throw new Error("too few entries");

    const intact = auditVerify();
    expect(intact.code, intact.err).toBe(0);
    expect(intact.out.trim()).toBe(`audit log intact: ${stored.length} entries, last hash ${last.hash.slice(0, 12)}`);
    expect(intact.err).toBe("");

    await tamper(`UPDATE audit_log SET after = jsonb_set(after, '{n}', '"rewritten"') WHERE id = $1`, [target.id]);
    // The trigger is back on for everybody else.
    await expect(admin.query("UPDATE audit_log SET actor_name = 'x' WHERE id = $1", [target.id])).rejects.toThrow(
      "audit_log is append-only",
    );

    const broken = auditVerify();
    expect(broken.code).toBe(1);
    expect(broken.out).toBe("");
    const named = [...broken.err.matchAll(/audit log BROKEN at entry (\d+): /g)].map((m) => m[1]);
    expect(named).toEqual([target.id]);
    expect(broken.err).toContain(`entry ${target.id} was changed after it was written`);
    expect(broken.err).toContain(target.hash.slice(0, 12));

    const verdict = await verifyAuditLog(prisma, { batchSize: 4 });
    expect(verdict).toMatchObject({ ok: false, brokenAt: target.id, entries: 6, lastHash: stored[4]?.hash });

    // Putting the original value back restores the chain: verification looks at content, not at history.
    await tamper("UPDATE audit_log SET after = $2::jsonb WHERE id = $1", [target.id, JSON.stringify(target.after)]);
    expect(await verifyAuditLog(prisma)).toMatchObject({ ok: true, entries: stored.length });
  });

  it("catches a rewrite whose own hash was recomputed, at the entry after it", async () => {
    const stored = await rows();
    const target = stored[7];
    const next = stored[8];
    if (!target || !next) throw new Error("too few entries");
    const row = await prisma.auditLog.findUniqueOrThrow({ where: { id: BigInt(target.id) } });
    const forged = { ...toChainRow(row), actorName: "Somebody Else" };
    const hash = auditHash({ ...forged, hash: undefined } as Parameters<typeof auditHash>[0]);
    await tamper("UPDATE audit_log SET actor_name = $2, hash = $3 WHERE id = $1", [target.id, forged.actorName, hash]);

    const verdict = await verifyAuditLog(prisma, { batchSize: 3 });
    expect(verdict).toMatchObject({ ok: false, brokenAt: next.id, entries: 9, lastHash: hash });
    if (verdict.ok) return;
    expect(verdict.reason).toBe(
      `entry ${next.id} links to ${target.hash.slice(0, 12)}, but the entry before it hashes to ${hash.slice(0, 12)}`,
    );
  });
});

describe("listAuditEntries", () => {
  it("pages through every entry newest first, each once, with a cursor", async () => {
    const all = (await rows()).map((r) => r.id).reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listAuditEntries(prisma, { before: cursor, limit: 4 });
      expect(page.entries.length).toBeLessThanOrEqual(4);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor !== undefined && pages < 100);
    expect(seen).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 4));
  });

  it("returns plain objects: ISO time, actor, entity, JSON as stored, the changed keys and a short hash", async () => {
    const stored = await rows();
    const page = await listAuditEntries(prisma, { entityType: "user", action: "user.role.update" });
    expect(page.nextCursor).toBeNull();
    expect(page.entries).toHaveLength(1);
    const [entry] = page.entries;
    expect(entry).toEqual({
      id: stored[1]?.id,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      actor: { type: "user", id: "u-ada", name: "Ada Admin" },
      action: "user.role.update",
      entity: { type: "user", id: "u-bo" },
      before: { role: "approver", signOffRoles: ["security-officer"] },
      after: { name: "Bo", role: "editor", signOffRoles: ["security-officer"] },
      changes: [
        { key: "name", before: null, after: '"Bo"' },
        { key: "role", before: '"approver"', after: '"editor"' },
      ],
      hash: stored[1]?.hash.slice(0, 12),
    });
  });

  it("filters by entity type and by action", async () => {
    const criteria = await listAuditEntries(prisma, { entityType: "criterion", limit: 200 });
    expect(criteria.entries).toHaveLength(16);
    expect(criteria.entries.every((e) => e.entity.type === "criterion")).toBe(true);
    const users = await listAuditEntries(prisma, { entityType: "user" });
    expect(users.entries.map((e) => e.action)).toEqual(["user.disable", "user.role.update", "user.invite"]);
    expect((await listAuditEntries(prisma, { entityType: "nothing" })).entries).toEqual([]);
    expect(await listAuditEntityTypes(prisma)).toEqual(["criterion", "test_run", "user"]);
  });

  it("starts from the newest entry when the cursor is not an id, and clamps the limit", async () => {
    const newest = await listAuditEntries(prisma, { limit: 3 });
    for (const before of ["", "abc", "-1", "0", "1e3", "99999999999999999999"]) {
      expect(await listAuditEntries(prisma, { before, limit: 3 })).toEqual(newest);
    }
    expect((await listAuditEntries(prisma, { before: "1" })).entries).toEqual([]);
    expect((await listAuditEntries(prisma, { limit: 0 })).entries).toHaveLength(1);
    expect((await listAuditEntries(prisma, { limit: 10_000 })).entries).toHaveLength((await rows()).length);
  });
});

describe("diffAudit", () => {
  it.each([
    [
      "a creation lists every key of after",
      null,
      { b: 2, a: 1 },
      [
        { key: "a", before: null, after: "1" },
        { key: "b", before: null, after: "2" },
      ],
    ],
    ["a deletion lists every key of before", { a: 1 }, null, [{ key: "a", before: "1", after: null }]],
    [
      "unchanged keys are left out",
      { a: 1, b: [1, 2] },
      { a: 1, b: [1, 3] },
      [{ key: "b", before: "[1,2]", after: "[1,3]" }],
    ],
    ["key order inside a value is no change", { a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }, []],
    ["a key set to null differs from a missing key", {}, { a: null }, [{ key: "a", before: null, after: "null" }]],
    ["nothing before or after", null, null, []],
    [
      "values that are not objects are compared whole",
      [1, 2],
      [2, 1],
      [{ key: null, before: "[1,2]", after: "[2,1]" }],
    ],
    ["a scalar replaced by an object", "on", { state: "on" }, [{ key: null, before: '"on"', after: '{"state":"on"}' }]],
  ])("%s", (_name, before, after, changes) => {
    expect(diffAudit(before, after)).toEqual(changes);
  });
});
