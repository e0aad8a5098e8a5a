import { MIGRATIONS_DIR, migrate, openDatabase, readEnv } from "./boot";
import { listMigrations } from "../lib/db/migrate";
import { maskUrl } from "../lib/redact";

const env = readEnv();
const db = await openDatabase(env);
await migrate(db.url);
console.log(`preflight: ${maskUrl(db.url)} is at ${listMigrations(MIGRATIONS_DIR).length} migrations${db.embedded ? " (embedded database)" : ""}`);
await db.embedded?.stop();
