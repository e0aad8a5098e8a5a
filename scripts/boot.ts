import { resolve } from "node:path";
import { formatConfigIssue, loadConfigFile, ConfigError, type LoadedConfig } from "../lib/config/load";
import { AUDIT_OWNER_DOCS, describeAuditExposure, findAuditExposure } from "../lib/audit/protection";
import { attachOrStartEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrateDatabase } from "../lib/db/migrate";
import { maskUrl } from "../lib/redact";
import { getEnv, type TEnv } from "../lib/env";
import { getLogger } from "../lib/logger";

// Shared start-up steps of the command-line entry points (launcher, worker, migrate): validate the
// environment and configuration, find or start the database, apply migrations. Each failure stops the
// process with a message that says what to fix.

export const MIGRATIONS_DIR = resolve(import.meta.dirname, "..", "prisma", "migrations");

export function fail(message: string): never {
  console.error(`\npreflight: ${message}\n`);
  process.exit(1);
}

export function readEnv(): TEnv {
  try {
    return getEnv();
  } catch (error) {
    fail((error as Error).message);
  }
}

export function readConfig(env: TEnv): LoadedConfig {
  let loaded: LoadedConfig;
  try {
    loaded = loadConfigFile(env.PREFLIGHT_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  // Deprecated forms that still load: one warn line each, once per process start (npm run config:check lists them too).
  for (const warning of loaded.warnings)
    getLogger().warn({ config: loaded.file }, formatConfigIssue(loaded.file, warning));
  return loaded;
}

export type Database = { url: string; embedded: EmbeddedDatabase | null };

/** DATABASE_URL when set; otherwise the embedded database of PREFLIGHT_DATA_DIR (joined or started). */
export async function openDatabase(env: TEnv): Promise<Database> {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: null };
  const embedded = await attachOrStartEmbeddedDatabase(env.PREFLIGHT_DATA_DIR);
  // Everything this process starts (and its own Prisma client) talks to the embedded server.
  process.env.PREFLIGHT_EMBEDDED_DB_URL = embedded.url;
  return { url: embedded.url, embedded };
}

/**
 * Applies pending migrations over DATABASE_MIGRATE_URL when it is set (the schema owner's connection), else over
 * `url`, the app's own. With nothing pending the app's role only reads the record, so it needs no owner rights.
 */
export async function migrate(url: string, migrateUrl = readEnv().DATABASE_MIGRATE_URL): Promise<void> {
  const target = migrateUrl ?? url;
  try {
    const result = await migrateDatabase(target, MIGRATIONS_DIR);
    if (result.applied.length > 0) console.log(`preflight: applied migrations ${result.applied.join(", ")}`);
  } catch (error) {
    const code =
      (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
    // 42501 insufficient_privilege: a role that may use the tables but not change them.
    const hint =
      code === "42501" && !migrateUrl
        ? ` (this role may not change the schema: set DATABASE_MIGRATE_URL to the owner's connection, or run npm run db:migrate with it; ${AUDIT_OWNER_DOCS})`
        : "";
    fail(`database migration failed on ${maskUrl(target)}: ${(error as Error).message}${hint}`);
  }
}

/**
 * One warn line when the app's role could switch the audit log's append-only trigger off (a superuser, or the owner
 * of audit_log). Not on the embedded database: it has a single role, and its files are the app's to write anyway.
 */
export async function warnIfAuditUnprotected(db: Database): Promise<void> {
  if (db.embedded) return;
  const logger = getLogger();
  try {
    const exposure = await findAuditExposure(db.url);
    if (exposure) logger.warn({ role: exposure.role }, describeAuditExposure(exposure));
  } catch (error) {
    logger.warn(
      { err: (error as Error).message },
      `could not check who may rewrite the audit log (${AUDIT_OWNER_DOCS})`,
    );
  }
}
