import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnchorSink } from "../lib/audit/anchor-sink";
import { appendAudit } from "../lib/audit/append";
import { findAuditExposure } from "../lib/audit/protection";
import { createPrismaClient } from "../lib/db/client";
import { startEmbeddedDatabase } from "../lib/db/embedded";
import { migrateDatabase } from "../lib/db/migrate";
import { MIGRATIONS_DIR } from "../lib/testing/database";
import { startPrivatePostgres, type PrivatePostgres } from "../lib/testing/private-postgres";
import { createToken } from "../lib/tokens/store";

// The set-up docker-compose.yml promises, for real: deploy/postgres-init's script run as the image runs it (as the
// superuser, on a server of this test's own, since roles are server-wide), `npm run db:migrate` as the owner, the app
// as its own role. And the two places where no such roles can exist still migrate: a server where the migrating
// role may not create the group (it is skipped with a notice) and the embedded PGlite.

const root = join(import.meta.dirname, "..");
const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
const dir = mkdtempSync(join(tmpdir(), "pf-db-roles-"));
const quiet = { info: () => undefined, error: () => undefined };
let server: PrivatePostgres;

const urlFor = (user: string, database: string) => {
  const url = new URL(server.url);
  url.username = user;
  url.pathname = `/${database}`;
  return url.toString();
};

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startPrivatePostgres();
}, 60_000);
afterAll(() => {
  server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe("a server where the migrating role may not create roles, and no group exists", () => {
  it("still migrates, granting nothing (a notice says why), and the owner-as-app is what start warns about", async () => {
    await sql(server.url, "CREATE ROLE plain_owner LOGIN NOCREATEROLE");
    await sql(server.url, "CREATE DATABASE plain OWNER plain_owner");
    await expect(migrateDatabase(urlFor("plain_owner", "plain"), MIGRATIONS_DIR)).resolves.toMatchObject({
      alreadyApplied: 0,
    });
    expect(
      (await sql(server.url, "SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'preflight_app'")).rows[0],
    ).toEqual({ n: 0 });
    expect(await findAuditExposure(urlFor("plain_owner", "plain"))).toEqual({
      role: "plain_owner",
      why: '"plain_owner" owns audit_log',
    });
    // The notice, from the migration itself, replayed (and rolled back) to hear it.
    const notices: string[] = [];
    const migration = readFileSync(join(MIGRATIONS_DIR, "20261128120000_app_role_privileges", "migration.sql"), "utf8");
    const replay = new pg.Client({ connectionString: urlFor("plain_owner", "plain") });
    replay.on("notice", (n) => notices.push(n.message ?? ""));
    await replay.connect();
    try {
      await replay.query("BEGIN");
      await replay.query(migration.replace(/^CREATE FUNCTION/gm, "CREATE OR REPLACE FUNCTION"));
      await replay.query("ROLLBACK");
    } finally {
      await replay.end();
    }
    expect(notices).toContain(
      `role preflight_app does not exist and plain_owner may not create it: no app privileges granted (README: "The audit log's owner and its anchor")`,
    );
  });
});

describe("deploy/postgres-init, then npm run db:migrate as the owner", () => {
  beforeAll(async () => {
    // What the postgres image does before running the init scripts: POSTGRES_DB, owned by POSTGRES_USER.
    await sql(server.url, "CREATE DATABASE preflight");
    const init = spawnSync("sh", [join(root, "deploy", "postgres-init", "10-preflight-roles.sh")], {
      env: {
        ...process.env,
        POSTGRES_USER: "postgres",
        POSTGRES_DB: "preflight",
        PGHOST: "127.0.0.1",
        PGPORT: String(server.port),
        PREFLIGHT_DB_OWNER_PASSWORD: "owner-pw",
        PREFLIGHT_DB_APP_PASSWORD: "app-pw",
      },
      encoding: "utf8",
    });
    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    const migrate = spawnSync(process.execPath, [tsx, "scripts/db-migrate.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: urlFor("preflight", "preflight"),
        DATABASE_MIGRATE_URL: urlFor("preflight_owner", "preflight"),
        LOG_LEVEL: "silent",
      },
      encoding: "utf8",
    });
    expect(migrate.stderr).toBe("");
    expect(migrate.status).toBe(0);
  }, 60_000);

  it("makes the owner own the database, the schema and every table, and the app a member of the group only", async () => {
    const { rows } = await sql(
      urlFor("postgres", "preflight"),
      `SELECT pg_get_userbyid(d.datdba) AS database, pg_get_userbyid(n.nspowner) AS schema,
              (SELECT array_agg(DISTINCT pg_get_userbyid(relowner)::text) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')) AS tables,
              (SELECT array_agg(r.rolname::text ORDER BY r.rolname) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE m.member = 'preflight'::regrole) AS app_groups,
              (SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = 'preflight') AS app_may_more,
              (SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = 'preflight_owner') AS owner_may_more
         FROM pg_database d, pg_namespace n WHERE d.datname = 'preflight' AND n.nspname = 'public'`,
    );
    expect(rows[0]).toEqual({
      database: "preflight_owner",
      schema: "preflight_owner",
      tables: ["preflight_owner"],
      app_groups: ["preflight_app"],
      app_may_more: false,
      owner_may_more: false,
    });
  });

  it("lets the app work, audited, and not switch the trigger off or rewrite the log", async () => {
    const appUrl = urlFor("preflight", "preflight");
    const app = createPrismaClient(appUrl, 1, { anchorSink: createAnchorSink(join(dir, "anchor.log"), quiet) });
    try {
      await createToken(app, { name: "ci", scopes: ["evidence:write"], createdBy: "test" });
      await app.$transaction((tx) =>
        appendAudit(tx, { actor: { type: "system", id: null, name: "test" }, action: "check", entityType: "test" }),
      );
    } finally {
      await app.$disconnect();
    }
    expect(await findAuditExposure(appUrl)).toBeNull();
    for (const [statement, refusal] of [
      ["ALTER TABLE audit_log DISABLE TRIGGER ALL", "must be owner of table audit_log"],
      ["UPDATE audit_log SET actor_name = 'Mallory'", "permission denied for table audit_log"],
      ["DELETE FROM audit_log", "permission denied for table audit_log"],
      ["TRUNCATE audit_log", "permission denied for table audit_log"],
    ] as const) {
      await expect(sql(appUrl, statement), statement).rejects.toThrow(refusal);
    }
    expect((await sql(appUrl, "SELECT count(*)::int AS n FROM audit_log")).rows[0]).toEqual({ n: 2 });
    expect(readFileSync(join(dir, "anchor.log"), "utf8").trim().split("\n")).toHaveLength(2);
  });
});

describe("the embedded PGlite", () => {
  it("migrates (as its one superuser, making the group), and anchors what it appends", async () => {
    const embedded = await startEmbeddedDatabase(join(dir, "embedded"));
    try {
      await expect(migrateDatabase(embedded.url, MIGRATIONS_DIR)).resolves.toMatchObject({ alreadyApplied: 0 });
      const prisma = createPrismaClient(embedded.url, 1, {
        anchorSink: createAnchorSink(join(dir, "embedded", "audit-anchor.log"), quiet),
      });
      try {
        const written = await prisma.$transaction((tx) =>
          appendAudit(tx, { actor: { type: "system", id: null, name: "test" }, action: "check", entityType: "test" }),
        );
        expect(JSON.parse(readFileSync(join(dir, "embedded", "audit-anchor.log"), "utf8"))).toMatchObject({
          id: written.id,
          hash: written.hash,
          chain: written.hash,
        });
        expect(await prisma.$queryRaw`SELECT rolname FROM pg_roles WHERE rolname = 'preflight_app'`).toEqual([
          { rolname: "preflight_app" },
        ]);
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      await embedded.stop();
    }
  }, 120_000);
});
