import { resolve } from "node:path";
import { loadConfigFile, ConfigError, type LoadedConfig } from "../lib/config/load";
import { attachOrStartEmbeddedDatabase, type EmbeddedDatabase } from "../lib/db/embedded";
import { migrateDatabase } from "../lib/db/migrate";
import { maskUrl } from "../lib/redact";
import { getEnv, type TEnv } from "../lib/env";

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
  try {
    return loadConfigFile(env.PREFLIGHT_CONFIG);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
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

export async function migrate(url: string): Promise<void> {
  try {
    const result = await migrateDatabase(url, MIGRATIONS_DIR);
    if (result.applied.length > 0) console.log(`preflight: applied migrations ${result.applied.join(", ")}`);
  } catch (error) {
    fail(`database migration failed on ${maskUrl(url)}: ${(error as Error).message}`);
  }
}
