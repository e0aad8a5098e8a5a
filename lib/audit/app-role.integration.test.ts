import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TActor } from "../auth/actor";
import { createPrismaClient } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import type { PrismaClient } from "../generated/prisma/client";
import { dropExpiredPartitions, ensurePartitions, listPartitions, partitionName } from "../history/partitions";
import { saveTask } from "../services/plan/save-task";
import { MIGRATIONS_DIR, TEST_POSTGRES_URL } from "../testing/database";
import { writeTempConfig } from "../testing/worker-process";
import { authenticate, createToken, revokeToken } from "../tokens/store";
import { createAnchorSink } from "./anchor-sink";
import { appendAudit } from "./append";
import { findAuditExposure } from "./protection";
import { verifyAuditLog } from "./verify";

// The audit log's owner is not the app. As in docker compose (deploy/postgres-init): an owner role migrates and owns
// every table, the app logs in as a member of the preflight_app group the migrations grant to. The app can do all
// its work, audited, but cannot switch the append-only trigger off, nor rewrite, delete or truncate the log; and at
// start it says so when it runs as a role that could.

const root = join(import.meta.dirname, "..", "..");
const suffix = randomBytes(5).toString("hex");
const OWNER = `pf_owner_${suffix}`;
const APP = `pf_app_${suffix}`;
const MEMBER = `pf_member_${suffix}`;
const DB = `pf_roles_${suffix}`;
const FRESH = [`pf_roles_${suffix}_mig`, `pf_roles_${suffix}_nomig`];
const dir = mkdtempSync(join(tmpdir(), "pf-roles-"));
const EDITOR: TActor = { id: "u-ed", name: "Ed Editor", email: "ed@example.com", role: "editor", signOffRoles: [] };

const urlFor = (user: string, database = DB) => {
  const url = new URL(TEST_POSTGRES_URL);
  url.username = user;
  url.pathname = `/${database}`;
  return url.toString();
};

let superuser: pg.Client;
let asApp: pg.Client;
let app: PrismaClient;

async function auditRows() {
  return (await superuser.query("SELECT id::text, actor_name, hash FROM audit_log ORDER BY audit_log.id")).rows;
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    // What deploy/postgres-init does; the group may exist already (roles are server-wide, shared by every database).
    await admin.query("CREATE ROLE preflight_app NOLOGIN").catch((error: { code?: string }) => {
      if (error.code !== "42710" && error.code !== "23505") throw error;
    });
    await admin.query(`CREATE ROLE "${OWNER}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
    await admin.query(`CREATE ROLE "${APP}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE preflight_app`);
    await admin.query(`CREATE ROLE "${MEMBER}" LOGIN NOSUPERUSER IN ROLE "${OWNER}"`);
    for (const name of [DB, ...FRESH]) await admin.query(`CREATE DATABASE "${name}" OWNER "${OWNER}"`);
  } finally {
    await admin.end();
  }
  // Migrated as the owner, who may not create roles: the migration grants to the existing group.
  await migrateDatabase(urlFor(OWNER), MIGRATIONS_DIR);
  superuser = new pg.Client({ connectionString: urlFor("postgres") });
  await superuser.connect();
  asApp = new pg.Client({ connectionString: urlFor(APP) });
  await asApp.connect();
  app = createPrismaClient(urlFor(APP), 2, {
    anchorSink: createAnchorSink(join(dir, "audit-anchor.log"), { info: () => undefined, error: () => undefined }),
  });
});

afterAll(async () => {
  await app?.$disconnect();
  await asApp?.end();
  await superuser?.end();
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    for (const name of [DB, ...FRESH]) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS "${MEMBER}", "${APP}", "${OWNER}"`);
  } finally {
    await admin.end();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe("the app's role, which the migrations grant to", () => {
  it("does the app's work, every write audited: tokens created, used and revoked, a plan task saved, partitions made and dropped", async () => {
    const { token, row } = await createToken(app, { name: "ci", scopes: ["readiness:read"], createdBy: "test" });
    expect(await authenticate(app, `Bearer ${token}`, "readiness:read")).toMatchObject({ ok: true });
    await revokeToken(app, "ci");
    const saved = await saveTask({ prisma: app }, EDITOR, { title: "Rotate the keys" });
    expect(saved).toMatchObject({ ok: true, created: true });
    if (!saved.ok) return;
    expect(await saveTask({ prisma: app }, EDITOR, { id: saved.id, status: "done" })).toMatchObject({
      ok: true,
      created: false,
    });
    expect((await auditRows()).length).toBe(4);
    const actions = (await superuser.query("SELECT action, entity_id FROM audit_log ORDER BY audit_log.id")).rows;
    expect(actions).toEqual([
      { action: "token.create", entity_id: row.id },
      { action: "token.revoke", entity_id: row.id },
      { action: "plan.task.create", entity_id: saved.id },
      { action: "plan.task.update", entity_id: saved.id },
    ]);
    expect(await verifyAuditLog(app)).toMatchObject({ ok: true, entries: 4 });

    // The worker's day partitions, through the owner's functions: made ahead, and dropped by retention.
    const now = new Date("2026-03-15T12:00:00Z");
    const old = partitionName(Date.parse("2026-02-01T00:00:00Z"));
    expect(await ensurePartitions(app, Date.parse("2026-02-01T00:00:00Z"), now)).toContain(old);
    expect(await listPartitions(app)).toContain(old);
    expect(await dropExpiredPartitions(app, 30 * 86_400_000, now)).toContain(old);
    expect(await listPartitions(app)).not.toContain(old);
  });

  it("owns nothing, and may neither create tables nor become the owner", async () => {
    const owners = await superuser.query<{ owner: string }>(
      "SELECT DISTINCT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'S', 'i')",
    );
    expect(owners.rows.map((r) => r.owner)).toEqual([OWNER]);
    const privileges = await asApp.query(
      `SELECT has_table_privilege('audit_log', 'SELECT') AS select, has_table_privilege('audit_log', 'INSERT') AS insert,
              has_table_privilege('audit_log', 'UPDATE') AS update, has_table_privilege('audit_log', 'DELETE') AS delete,
              has_table_privilege('audit_log', 'TRUNCATE') AS truncate, has_table_privilege('audit_log', 'TRIGGER') AS trigger,
              pg_has_role('${OWNER}', 'MEMBER') AS owner_member`,
    );
    expect(privileges.rows[0]).toEqual({
      select: true,
      insert: true,
      update: false,
      delete: false,
      truncate: false,
      trigger: false,
      owner_member: false,
    });
    await expect(asApp.query("CREATE TABLE audit_log_copy (id int)")).rejects.toThrow(
      "permission denied for schema public",
    );
    await expect(asApp.query(`SET ROLE "${OWNER}"`)).rejects.toThrow(`permission denied to set role "${OWNER}"`);
  });

  it.each([
    ["ALTER TABLE audit_log DISABLE TRIGGER ALL", /must be owner of table audit_log/],
    ["ALTER TABLE audit_log DISABLE TRIGGER USER", /must be owner of table audit_log/],
    ["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete", /must be owner of table audit_log/],
    ["DROP TRIGGER audit_log_no_update_delete ON audit_log", /must be owner of (table|relation) audit_log/],
    ["UPDATE audit_log SET actor_name = 'Mallory'", /permission denied for table audit_log/],
    ["DELETE FROM audit_log", /permission denied for table audit_log/],
    ["TRUNCATE audit_log", /permission denied for table audit_log/],
    ["DROP TABLE audit_log", /must be owner of table audit_log/],
    ["ALTER TABLE audit_log RENAME TO audit_log_old", /must be owner of table audit_log/],
    [
      "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
      /permission denied for schema public|must be owner of function/,
    ],
    ["SET session_replication_role = replica", /permission denied to set parameter "session_replication_role"/],
    ["SELECT setval(pg_get_serial_sequence('audit_log', 'id'), 1)", /permission denied for sequence audit_log_id_seq/],
    ["SELECT preflight_drop_probe_partition('audit_log')", /not a day partition of probe_result: audit_log/],
  ])("refuses `%s` as the app, changing nothing", async (sql, refusal) => {
    const before = await auditRows();
    await expect(asApp.query(sql)).rejects.toThrow(refusal);
    expect(await auditRows()).toEqual(before);
    // And the trigger is still there for everybody, the owner included.
    const { rows } = await superuser.query(
      "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal ORDER BY tgname",
    );
    expect(rows).toEqual([
      { tgname: "audit_log_no_truncate", tgenabled: "O" },
      { tgname: "audit_log_no_update_delete", tgenabled: "O" },
    ]);
  });

  it("still appends entries itself, after all those refusals", async () => {
    const written = await app.$transaction((tx) =>
      appendAudit(tx, { actor: { type: "system", id: null, name: "test" }, action: "check", entityType: "test" }),
    );
    expect((await auditRows()).at(-1)).toMatchObject({ id: written.id, hash: written.hash });
    expect((await verifyAuditLog(app)).ok).toBe(true);
  });
});

describe("findAuditExposure, behind the start-up warning", () => {
  it("finds nothing to say of the app's role, and says why the owner, a member of it, or a superuser could rewrite the log", async () => {
    expect(await findAuditExposure(urlFor(APP))).toBeNull();
    expect(await findAuditExposure(urlFor(OWNER))).toEqual({ role: OWNER, why: `"${OWNER}" owns audit_log` });
    expect(await findAuditExposure(urlFor(MEMBER))).toEqual({
      role: MEMBER,
      why: `"${MEMBER}" is a member of ${OWNER}, which owns audit_log`,
    });
    expect(await findAuditExposure(urlFor("postgres"))).toEqual({ role: "postgres", why: '"postgres" is a superuser' });
  });

  it("finds nothing before there is an audit log", async () => {
    expect(await findAuditExposure(urlFor(OWNER, FRESH[1]))).toBeNull();
  });
});

type TLine = { level: number; msg: string; role?: string };

/** `npm run worker` until it says it is starting (and `until` holds); its log lines so far. */
async function workerStartLines(
  env: Record<string, string>,
  until: () => Promise<boolean> = async () => true,
): Promise<{ lines: TLine[]; raw: string }> {
  const config = writeTempConfig(`version: 1
system: { name: roles-test }
defaults: { interval: 1s, timeout: 500ms }
components:
  - { id: db, name: Database, service: PostgreSQL, probe: { type: postgres, url: "${TEST_POSTGRES_URL}" } }
`);
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      PREFLIGHT_CONFIG: config.path,
      PREFLIGHT_DATA_DIR: dir,
      REDIS_URL: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let raw = "";
  child.stdout.on("data", (chunk: Buffer) => (raw += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (raw += chunk.toString()));
  try {
    const started = () => raw.includes('"msg":"starting worker"');
    for (let i = 0; i < 300 && child.exitCode === null && !(started() && (await until())); i++)
      await new Promise((r) => setTimeout(r, 50));
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(config.dir, { recursive: true, force: true });
  }
  expect(raw).toContain('"msg":"starting worker"');
  const lines = raw
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as TLine);
  return { lines, raw };
}

describe("starting as a role that could rewrite the log", () => {
  it("logs one warn line, without a stack, pointing to the README", async () => {
    const { lines, raw } = await workerStartLines({ DATABASE_URL: urlFor(OWNER) });
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toBe(
      `the audit log is not protected from the app's own database role: "${OWNER}" owns audit_log, so it can switch the append-only trigger off; run the app as a role that does not own the schema (README, "The audit log's owner and its anchor")`,
    );
    expect(raw).not.toMatch(/\n\s+at /);
  });

  it("says nothing of the kind as the app's own role, which probes and stores results (into partitions it had made)", async () => {
    const stored = async () =>
      Number(
        (await superuser.query("SELECT count(*) AS n FROM probe_result WHERE worker_id LIKE 'standalone-%'")).rows[0]
          ?.n ?? 0,
      ) > 0;
    const { lines } = await workerStartLines({ DATABASE_URL: urlFor(APP) }, stored);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    expect(await stored()).toBe(true);
    expect(await listPartitions(app)).toContain(partitionName(Date.now()));
  });
});

describe("migrations over DATABASE_MIGRATE_URL", () => {
  const dbMigrate = (env: Record<string, string>) =>
    spawnSync(process.execPath, [join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/db-migrate.ts"], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: "silent", DATABASE_MIGRATE_URL: "", ...env },
      encoding: "utf8",
    });

  it("run as the owner while the app keeps its own connection, so the owner owns what they create", async () => {
    const [database = ""] = FRESH;
    const run = dbMigrate({ DATABASE_URL: urlFor(APP, database), DATABASE_MIGRATE_URL: urlFor(OWNER, database) });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`preflight: postgresql://${OWNER}@`);
    const client = new pg.Client({ connectionString: urlFor("postgres", database) });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'");
      expect(rows).toEqual([{ tableowner: OWNER }]);
    } finally {
      await client.end();
    }
    // The app's own start then finds nothing pending, and needs no right to change the schema to find it out.
    await expect(migrateDatabase(urlFor(APP, database), MIGRATIONS_DIR)).resolves.toMatchObject({ applied: [] });
  });

  it("without it, fail as the app's role with a message saying what to set", () => {
    const [, database = ""] = FRESH;
    const run = dbMigrate({ DATABASE_URL: urlFor(APP, database) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("permission denied for schema public");
    expect(run.stderr).toContain("set DATABASE_MIGRATE_URL to the owner's connection");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
