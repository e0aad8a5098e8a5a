import { parseArgs } from "node:util";
import { fail, openDatabase, readEnv } from "./boot";
import { createAnchorCheck, type TAnchor } from "../lib/audit/anchor";
import { readAnchorFile } from "../lib/audit/anchor-file";
import { verifyAuditLog } from "../lib/audit/verify";
import { createPrismaClient } from "../lib/db/client";
import { maskUrl } from "../lib/redact";
import { answerHelp } from "./cli-help";

// Checks the audit log's hash chain from its first entry to its last (DATABASE_URL, or the embedded database):
//   npm run audit:verify [-- --anchor FILE]
// Exit 0 when intact; exit 1, naming the first entry that does not verify, when a row was rewritten, deleted,
// reordered or forged (which takes disabling the append-only trigger, so only someone with the database's
// owner or superuser rights). With --anchor (the data directory's audit-anchor.log, kept outside the database) it
// also catches what the chain alone cannot: a chain recomputed from some entry onwards, and one cut off at its end.
// It reads only: no migrations, so it can run against any copy or backup.

const usage = "usage: npm run audit:verify [-- --anchor FILE]";
answerHelp(usage);
const { values } = (() => {
  try {
    return parseArgs({ options: { anchor: { type: "string" } } });
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
})();

let anchors: TAnchor[] | null = null;
if (values.anchor !== undefined) {
  const file = readAnchorFile(values.anchor);
  if (!file.ok) fail(file.error);
  anchors = file.anchors;
}

const env = readEnv();
const db = await openDatabase(env);
const prisma = createPrismaClient(db.url, 1);
try {
  const check = anchors ? createAnchorCheck(anchors) : null;
  const verdict = await verifyAuditLog(prisma, { onRow: check?.see });
  const anchored = check?.finish();
  if (!verdict.ok) {
    console.error(`audit log BROKEN at entry ${verdict.brokenAt}: ${verdict.reason}`);
    process.exitCode = 1;
  } else if (anchored && !anchored.ok) {
    console.error(`audit log BROKEN: ${anchored.reason}`);
    process.exitCode = 1;
  } else {
    const against = anchored?.ok
      ? `; matches the anchor: ${anchored.anchored} anchored entries, the last ${anchored.lastAnchored ?? "none"}`
      : "";
    console.log(
      `audit log intact: ${verdict.entries} entries, last hash ${verdict.lastHash?.slice(0, 12) ?? "none"}${against}`,
    );
  }
} catch (error) {
  // P2021: the table does not exist, i.e. a database that was never migrated to a version with the audit log.
  const code = (error as { code?: unknown }).code;
  if (code !== "P2021") throw error;
  console.error(`\npreflight: no audit log in the database at ${maskUrl(db.url)}: run npm run db:migrate first\n`);
  process.exitCode = 1;
} finally {
  await prisma.$disconnect();
  await db.embedded?.stop();
}
