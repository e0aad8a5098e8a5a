import { parseArgs } from "node:util";
import { userInfo } from "node:os";
import { fail, migrate, openDatabase, readEnv } from "./boot";
import { answerHelp } from "./cli-help";
import { createPrismaClient } from "../lib/db/client";
import { createToken, listTokens, revokeToken, TokenError } from "../lib/tokens/store";
import { isScope, SCOPES, type TScope } from "../lib/tokens/token";

// API tokens for CI, from the shell of the machine that runs Preflight (who can run this is an admin):
//   npm run token -- create --name ci --scope evidence:write --scope readiness:read
//   npm run token -- list
//   npm run token -- revoke --name ci
// The token is printed once, at creation; only its SHA-256 is stored.

const usage = `usage: npm run token -- create --name NAME --scope SCOPE [--scope SCOPE]
       npm run token -- list
       npm run token -- revoke --name NAME
API tokens for CI, on the database of this Preflight (DATABASE_URL, or the embedded one in PREFLIGHT_DATA_DIR).
create prints the new token once; only its SHA-256 is stored.
scopes: ${SCOPES.join(", ")}`;

answerHelp(usage);

const { positionals, values } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { name: { type: "string" }, scope: { type: "string", multiple: true } },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
})();
const command = positionals[0];
if (command !== "create" && command !== "list" && command !== "revoke") fail(usage);

const env = readEnv();
const db = await openDatabase(env);
await migrate(db.url);
const prisma = createPrismaClient(db.url, 1);
try {
  if (command === "create") {
    if (!values.name) fail(`--name is required\n${usage}`);
    const scopes = values.scope ?? [];
    const unknown = scopes.filter((s) => !isScope(s));
    if (unknown.length > 0) fail(`unknown scope ${unknown.join(", ")}: expected ${SCOPES.join(", ")}`);
    if (scopes.length === 0) fail(`at least one --scope is required (${SCOPES.join(", ")})`);
    const by = `shell:${userInfo().username}`;
    const { token, row } = await createToken(
      prisma,
      { name: values.name, scopes: scopes as TScope[], createdBy: by },
      { type: "system", id: null, name: by },
    );
    console.log(
      `token "${row.name}" (${row.scopes.join(", ")}) created. It is shown this once; store it as a CI secret:\n\n${token}\n`,
    );
  } else if (command === "revoke") {
    if (!values.name) fail(`--name is required\n${usage}`);
    const row = await revokeToken(prisma, values.name, new Date(), {
      type: "system",
      id: null,
      name: `shell:${userInfo().username}`,
    });
    console.log(`token "${row.name}" revoked at ${row.revokedAt?.toISOString()}`);
  } else {
    const rows = await listTokens(prisma);
    if (rows.length === 0) console.log("no tokens");
    for (const row of rows) {
      const state = row.revokedAt
        ? `revoked ${row.revokedAt.toISOString()}`
        : `last used ${row.lastUsedAt?.toISOString() ?? "never"}`;
      console.log(
        `${row.name.padEnd(24)} ${row.hint.padEnd(10)} ${row.scopes.join(",").padEnd(32)} created ${row.createdAt.toISOString()} by ${row.createdBy}, ${state}`,
      );
    }
  }
} catch (error) {
  if (error instanceof TokenError) fail(error.message);
  throw error;
} finally {
  await prisma.$disconnect();
  await db.embedded?.stop();
}
