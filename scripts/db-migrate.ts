import { MIGRATIONS_DIR, migrate, openDatabase, readEnv } from "./boot";
import { listMigrations } from "../lib/db/migrate";
import { maskUrl } from "../lib/redact";
import { answerHelp } from "./cli-help";

answerHelp(`usage: npm run db:migrate
Applies the pending database migrations, over DATABASE_MIGRATE_URL (the schema owner) when it is set, else over
DATABASE_URL or the embedded database in PREFLIGHT_DATA_DIR, and prints how many migrations the database is at.`);

const env = readEnv();
const db = await openDatabase(env);
await migrate(db.url);
// DATABASE_MIGRATE_URL, when set, is the connection the migrations ran over (the schema owner's).
console.log(
  `preflight: ${maskUrl(env.DATABASE_MIGRATE_URL ?? db.url)} is at ${listMigrations(MIGRATIONS_DIR).length} migrations${db.embedded ? " (embedded database)" : ""}`,
);
await db.embedded?.stop();
