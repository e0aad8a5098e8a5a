import { spawnSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";
import { hashToken } from "../lib/tokens/token";

// `npm run token`: an admin on the Preflight host creates, lists and revokes API tokens. The token is printed once
// and only its hash reaches the database.

const root = join(import.meta.dirname, "..");
let database: TestDatabase;

const token = (...args: string[]) => {
  const result = spawnSync(
    process.execPath,
    [join(root, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/token.ts", ...args],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent" },
      encoding: "utf8",
    },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
};

async function rows(): Promise<{ name: string; token_hash: string; scopes: string[]; revoked_at: Date | null }[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query("SELECT name, token_hash, scopes, revoked_at FROM api_token ORDER BY name")).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe("npm run token", () => {
  it("creates a token, prints it once, and stores only its SHA-256", async () => {
    const created = token("create", "--name", "ci", "--scope", "evidence:write", "--scope", "readiness:read");
    expect(created.code, created.err).toBe(0);
    const printed = /pf_[A-Za-z0-9_-]{43}/.exec(created.out)?.[0] ?? "";
    expect(printed).not.toBe("");
    const [row] = await rows();
    expect(row).toMatchObject({
      name: "ci",
      token_hash: hashToken(printed),
      scopes: ["evidence:write", "readiness:read"],
      revoked_at: null,
    });
    expect(JSON.stringify(await rows())).not.toContain(printed.slice(3));

    const listed = token("list");
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/^ci\s+pf_.{4}…\s+evidence:write,readiness:read\s+created .* last used never$/m);
    expect(listed.out).not.toContain(printed);
  });

  it("revokes by name, and the row stays for the record", async () => {
    const revoked = token("revoke", "--name", "ci");
    expect(revoked.code, revoked.err).toBe(0);
    expect(revoked.out).toMatch(/^token "ci" revoked at \d{4}-/);
    expect((await rows())[0]?.revoked_at).toBeInstanceOf(Date);
    expect(token("list").out).toMatch(/^ci .* revoked \d{4}-/m);
  });

  it.each([
    [
      ["create", "--name", "ci", "--scope", "evidence:write"],
      'a token named "ci" already exists (revoked); choose another name',
    ],
    [["create", "--name", "x", "--scope", "admin"], "unknown scope admin: expected evidence:write, readiness:read"],
    [["create", "--name", "x"], "at least one --scope is required"],
    [["create", "--scope", "evidence:write"], "--name is required"],
    [["create", "--name", "bad/name", "--scope", "evidence:write"], 'invalid token name "bad/name"'],
    [["revoke", "--name", "nope"], 'no token named "nope"'],
    [["rotate"], "usage: npm run token -- create"],
  ])("refuses %j with a message, changing nothing", async (args, message) => {
    const before = await rows();
    const result = token(...args);
    expect(result.code).toBe(1);
    expect(result.err).toContain(message);
    expect(await rows()).toEqual(before);
  });
});
