import { openDatabase, readEnv } from "./boot";
import { verifyAuditLog } from "../lib/audit/verify";
import { createPrismaClient } from "../lib/db/client";
import { maskUrl } from "../lib/redact";

// Checks the audit log's hash chain from its first entry to its last (DATABASE_URL, or the embedded database):
//   npm run audit:verify
// Exit 0 when intact; exit 1, naming the first entry that does not verify, when a row was rewritten, deleted,
// reordered or forged (which takes disabling the append-only trigger, so only someone with the database's
// owner or superuser rights). It reads only: no migrations, so it can run against any copy or backup.

const env = readEnv();
const db = await openDatabase(env);
const prisma = createPrismaClient(db.url, 1);
try {
  const verdict = await verifyAuditLog(prisma);
  if (verdict.ok) {
    console.log(`audit log intact: ${verdict.entries} entries, last hash ${verdict.lastHash?.slice(0, 12) ?? "none"}`);
  } else {
    console.error(`audit log BROKEN at entry ${verdict.brokenAt}: ${verdict.reason}`);
    process.exitCode = 1;
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
