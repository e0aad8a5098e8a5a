import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { fail, migrate, openDatabase, readEnv } from "./boot";
import { answerHelp } from "./cli-help";
import { createPrismaClient } from "../lib/db/client";
import { createFirstAdmin } from "../lib/services/users/create-first-admin";

// npm run user:create -- --email you@example.com --name "Your Name" --admin [--password ...]
// Creates an administrator from the shell of the Preflight host (whoever can run this is already trusted with the
// database). Without --password (or PREFLIGHT_PASSWORD) a strong password is generated and printed once.

const usage = `usage: npm run user:create -- --email EMAIL --name "NAME" --admin [--password PASSWORD]
Creates an administrator on the database of this Preflight (DATABASE_URL, or the embedded one in PREFLIGHT_DATA_DIR);
everyone else is invited from the Users page. Without --password (or PREFLIGHT_PASSWORD) a strong password is
generated and printed once.`;

answerHelp(usage);
const { values } = (() => {
  try {
    return parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        admin: { type: "boolean" },
        password: { type: "string" },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
})();
if (!values.admin)
  fail(`only administrators are created here (--admin); they invite everyone else from the Users page\n${usage}`);
if (!values.email || !values.name) fail(`--email and --name are required\n${usage}`);
const generated = !values.password && !process.env.PREFLIGHT_PASSWORD;
const password = values.password ?? process.env.PREFLIGHT_PASSWORD ?? randomBytes(18).toString("base64url");

const env = readEnv();
const db = await openDatabase(env);
await migrate(db.url);
const prisma = createPrismaClient(db.url, 1);
try {
  const result = await createFirstAdmin(
    prisma,
    { email: values.email, name: values.name, password },
    { type: "system", id: null, name: `shell:${userInfo().username}` },
    { onlyIfNoUsers: false },
  );
  if (!result.ok) fail(result.message);
  console.log(
    `administrator ${result.user.email} created${generated ? `; password (shown this once): ${password}` : ""}`,
  );
} finally {
  await prisma.$disconnect();
  await db.embedded?.stop();
}
