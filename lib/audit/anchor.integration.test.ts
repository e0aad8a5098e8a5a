import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import { PrismaClient } from "../generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { createToken } from "../tokens/store";
import { checkAnchors, parseAnchors, type TAnchor } from "./anchor";
import { createAnchorSink, type TAnchorLog } from "./anchor-sink";
import { appendAudit, type TAuditEntry } from "./append";
import { auditHash, type TAuditActor } from "./chain";
import { toChainRow, verifyAuditLog } from "./verify";

// The anchor outside the database, on a real PostgreSQL: an entry is anchored once its transaction commits and
// never when it rolls back; `npm run audit:verify -- --anchor FILE` then catches what the chain alone passes, a chain
// recomputed from an entry onwards by someone who can switch the trigger off, and a log cut off at its end.

const root = join(import.meta.dirname, "..", "..");
const ADA: TAuditActor = { type: "user", id: "u-ada", name: "Ada Admin" };
const dir = mkdtempSync(join(tmpdir(), "pf-anchor-"));
const anchorFile = join(dir, "data", "audit-anchor.log");

type TLogLine = { level: "info" | "error"; fields: object; message: string };
const logged: TLogLine[] = [];
const log: TAnchorLog = {
  info: (fields, message) => logged.push({ level: "info", fields, message }),
  error: (fields, message) => logged.push({ level: "error", fields, message }),
};

let database: TestDatabase;
let prisma: PrismaClient;
let other: PrismaClient;
let admin: pg.Client;

const entry = (n: number): TAuditEntry => ({
  actor: ADA,
  action: "criterion.attest",
  entityType: "criterion",
  entityId: `c-${n}`,
  after: { n },
});
const append = (client: PrismaClient, n: number) => client.$transaction((tx) => appendAudit(tx, entry(n)));

function anchored(): TAnchor[] {
  const parsed = parseAnchors(readFileSync(anchorFile, "utf8"));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.anchors;
}

async function stored(): Promise<{ id: string; hash: string; at: string }[]> {
  const { rows } = await admin.query<{ id: string; hash: string; at: Date }>(
    "SELECT id::text, hash, at FROM audit_log ORDER BY audit_log.id",
  );
  return rows.map((r) => ({ id: r.id, hash: r.hash, at: r.at.toISOString() }));
}

/** The real command, as `npm run audit:verify` runs it, against this file's database. */
function auditVerify(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/audit-verify.ts", ...args],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" },
      encoding: "utf8",
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** What a superuser can do: switch the append-only triggers off, run `change`, switch them back on. */
async function asSuperuser(change: () => Promise<void>): Promise<void> {
  await admin.query("BEGIN");
  try {
    await admin.query("ALTER TABLE audit_log DISABLE TRIGGER USER");
    await change();
    await admin.query("ALTER TABLE audit_log ENABLE TRIGGER USER");
    await admin.query("COMMIT");
  } catch (error) {
    await admin.query("ROLLBACK");
    throw error;
  }
}

beforeAll(async () => {
  database = await createTestDatabase("pf_anchor");
  // Two clients, as web and worker would be: two pools, one file.
  prisma = createPrismaClient(database.url, 4, { anchorSink: createAnchorSink(anchorFile, log) });
  other = createPrismaClient(database.url, 4, { anchorSink: createAnchorSink(anchorFile, log) });
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await prisma?.$disconnect();
  await other?.$disconnect();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("anchoring", () => {
  it("writes an entry's anchor once its transaction has committed, not before", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let appended: { id: string; hash: string } | null = null;
    const committing = prisma.$transaction(async (tx) => {
      appended = await appendAudit(tx, entry(1));
      await held;
    });
    for (let i = 0; i < 50 && appended === null; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(appended).not.toBeNull();
    // Appended and not yet committed: nothing anchored, no file even.
    expect(() => statSync(anchorFile)).toThrow();
    release();
    await committing;

    const [row] = await stored();
    expect(anchored()).toEqual([{ chain: row?.hash, id: row?.id, hash: row?.hash, at: row?.at }]);
    expect(appended).toEqual({ id: row?.id, hash: row?.hash });
    // One info line in the log, the second copy.
    expect(logged).toEqual([{ level: "info", fields: { auditAnchor: anchored()[0] }, message: "audit anchor" }]);
  });

  it("creates the file 0600 (and its directory) and appends to it", () => {
    expect(statSync(anchorFile).mode & 0o777).toBe(0o600);
  });

  it("names every line by the chain's first entry", async () => {
    await append(prisma, 2);
    await append(other, 3);
    const [first] = await stored();
    expect(anchored().map((a) => a.chain)).toEqual([first?.hash, first?.hash, first?.hash]);
    expect(anchored()).toEqual((await stored()).map((r) => ({ chain: first?.hash, ...r })));
  });

  it("never anchors an entry whose transaction rolled back", async () => {
    const before = readFileSync(anchorFile, "utf8");
    const rows = await stored();
    await expect(
      prisma.$transaction(async (tx) => {
        await appendAudit(tx, entry(99));
        throw new Error("the mutation failed after its audit entry");
      }),
    ).rejects.toThrow("the mutation failed after its audit entry");
    expect(await stored()).toEqual(rows);
    expect(readFileSync(anchorFile, "utf8")).toBe(before);
  });

  it("never anchors an entry whose transaction failed later, even when the caller caught the error and COMMIT was sent", async () => {
    const before = readFileSync(anchorFile, "utf8");
    const rows = await stored();
    // PostgreSQL answers the COMMIT of a failed transaction by rolling it back, without an error.
    await prisma.$transaction(async (tx) => {
      await appendAudit(tx, entry(98));
      await tx.$executeRaw`SELECT 1 / 0`.catch(() => null);
    });
    expect(await stored()).toEqual(rows);
    expect(readFileSync(anchorFile, "utf8")).toBe(before);
  });

  it("anchors an entry appended outside a transaction (it commits by itself) at once", async () => {
    await appendAudit(prisma, entry(4));
    const rows = await stored();
    expect(anchored().at(-1)).toMatchObject({ id: rows.at(-1)?.id, hash: rows.at(-1)?.hash });
    expect(anchored()).toHaveLength(rows.length);
  });

  it("anchors every entry of concurrent appends from two clients, one whole line each", async () => {
    await Promise.all(Array.from({ length: 24 }, (_, i) => append(i % 2 ? prisma : other, 100 + i)));
    const rows = await stored();
    const lines = readFileSync(anchorFile, "utf8").split("\n").filter(Boolean);
    expect(lines).toHaveLength(rows.length);
    expect(anchored().sort((a, b) => Number(a.id) - Number(b.id))).toEqual(
      rows.map((r) => ({ chain: rows[0]?.hash, ...r })),
    );
  });

  it("anchors what a real service appends (tokens), through its own transaction", async () => {
    const { row } = await createToken(prisma, { name: "anchored", scopes: ["audit:read"], createdBy: "test" });
    const last = anchored().at(-1);
    const { rows } = await admin.query<{ id: string; entity_id: string; hash: string }>(
      "SELECT id::text, entity_id, hash FROM audit_log ORDER BY audit_log.id DESC LIMIT 1",
    );
    expect(rows[0]).toMatchObject({ entity_id: row.id, id: last?.id, hash: last?.hash });
  });

  it("refuses to append through a client that cannot anchor, so nothing is committed unanchored", async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const bare = new PrismaClient({ adapter: new PrismaPg(pool) });
    const rows = await stored();
    try {
      await expect(bare.$transaction((tx) => appendAudit(tx, entry(97)))).rejects.toThrow(
        "this Prisma client does not anchor audit entries",
      );
    } finally {
      await bare.$disconnect();
      await pool.end();
    }
    expect(await stored()).toEqual(rows);
  });

  it("commits the mutation even when the file cannot be written, and says so in the log, where the anchor still goes", async () => {
    const blocked = join(dir, "blocked");
    mkdirSync(blocked);
    const lines: TLogLine[] = [];
    const client = createPrismaClient(database.url, 1, {
      anchorSink: createAnchorSink(blocked, {
        info: (f, m) => lines.push({ level: "info", fields: f, message: m }),
        error: (f, m) => lines.push({ level: "error", fields: f, message: m }),
      }),
    });
    try {
      const appended = await append(client, 5);
      expect((await stored()).at(-1)).toMatchObject(appended);
      expect(lines.map((l) => l.level)).toEqual(["error", "info"]);
      expect(lines[0]).toMatchObject({ fields: { file: blocked }, message: "audit anchor not written to its file" });
      expect(lines[1]).toMatchObject({ fields: { auditAnchor: { id: appended.id, hash: appended.hash } } });
    } finally {
      await client.$disconnect();
    }
    // Not in the file: from here on the file lacks that entry, which a check tolerates (it was never anchored there).
    expect(
      checkAnchors(anchored(), (await prisma.auditLog.findMany({ orderBy: { id: "asc" } })).map(toChainRow)),
    ).toMatchObject({ ok: true });
  });
});

describe("npm run audit:verify -- --anchor", () => {
  it("passes an intact chain, naming how much of it the anchor covers", async () => {
    const rows = await stored();
    const run = auditVerify("--anchor", anchorFile);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    const anchoredIds = anchored().map((a) => a.id);
    expect(run.out.trim()).toBe(
      `audit log intact: ${rows.length} entries, last hash ${rows.at(-1)?.hash.slice(0, 12)}; matches the anchor: ${anchoredIds.length} anchored entries, the last ${anchoredIds.at(-1)}`,
    );
  });

  it("catches a chain recomputed from an entry onwards, which the chain check alone passes", async () => {
    const original = await prisma.auditLog.findMany({ orderBy: { id: "asc" } });
    const from = original[4];
    if (!from) throw new Error("too few entries");
    await asSuperuser(async () => {
      let prevHash = original[3]?.hash ?? null;
      for (const row of original.slice(4)) {
        const forged = { ...toChainRow(row), actorName: row.id === from.id ? "Mallory" : row.actorName, prevHash };
        const hash = auditHash(forged);
        await admin.query("UPDATE audit_log SET actor_name = $2, prev_hash = $3, hash = $4 WHERE id = $1", [
          row.id,
          forged.actorName,
          prevHash,
          hash,
        ]);
        prevHash = hash;
      }
    });
    try {
      const plain = auditVerify();
      expect(plain.code, "the chain alone accepts the recomputed log").toBe(0);
      expect((await verifyAuditLog(prisma)).ok).toBe(true);

      const run = auditVerify("--anchor", anchorFile);
      expect(run.code).toBe(1);
      expect(run.out).toBe("");
      const forgedHash = (await stored()).find((r) => r.id === String(from.id))?.hash;
      expect(run.err.trim()).toBe(
        `audit log BROKEN: recomputed from entry ${from.id}: the anchor has hash ${from.hash.slice(0, 12)} for it, the database ${forgedHash?.slice(0, 12)}`,
      );
    } finally {
      await asSuperuser(async () => {
        for (const row of original.slice(4)) {
          await admin.query("UPDATE audit_log SET actor_name = $2, prev_hash = $3, hash = $4 WHERE id = $1", [
            row.id,
            row.actorName,
            row.prevHash,
            row.hash,
          ]);
        }
      });
    }
    expect(auditVerify("--anchor", anchorFile).code).toBe(0);
  });

  it("catches a log whose last entries were deleted, which the chain check alone passes", async () => {
    const rows = await stored();
    const keep = rows.at(-3);
    if (!keep) throw new Error("too few entries");
    // The newest entry was never anchored (its file could not be written, above): the anchor ends one before it.
    const lastAnchored = anchored().reduce((max, a) => (BigInt(a.id) > max ? BigInt(a.id) : max), 0n);
    expect(lastAnchored).toBe(BigInt(rows.at(-2)?.id ?? 0));
    await asSuperuser(async () => {
      await admin.query("DELETE FROM audit_log WHERE id > $1", [keep.id]);
    });
    expect(auditVerify().code, "the chain alone accepts a shortened log").toBe(0);
    const run = auditVerify("--anchor", anchorFile);
    expect(run.code).toBe(1);
    expect(run.err.trim()).toBe(
      `audit log BROKEN: cut off: the anchor has entries up to ${lastAnchored}, the database ends at ${keep.id}`,
    );
  });

  it.each([
    [
      "a missing file",
      () => join(dir, "nope.log"),
      (p: string) => `preflight: cannot read the anchor file ${p}: no such file`,
    ],
    ["a directory", () => dir, (p: string) => `preflight: cannot read the anchor file ${p}: it is a directory`],
    [
      "a malformed file",
      () => {
        const p = join(dir, "bad.log");
        writeFileSync(p, `${readFileSync(anchorFile, "utf8")}{"chain": "not a hash"}\n`);
        return p;
      },
      (p: string) =>
        `preflight: the anchor file ${p} is malformed: line ${anchored().length + 1} is not an anchor entry`,
    ],
  ])("says what is wrong with %s in one line, without a stack, and exits 1", (_name, make, message) => {
    const path = make();
    const run = auditVerify("--anchor", path);
    expect(run.code).toBe(1);
    expect(run.err).toContain(message(path));
    expect(run.err.trim().split("\n")).toHaveLength(1);
    expect(run.err).not.toMatch(/\n\s+at /);
  });

  it("refuses an unknown option with the usage", () => {
    const run = auditVerify("--anchr", anchorFile);
    expect(run.code).toBe(1);
    expect(run.err).toContain("usage: npm run audit:verify [-- --anchor FILE]");
  });
});
