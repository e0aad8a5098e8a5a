import { getEnv } from "../env";

export type DatabaseTarget = {
  url: string;
  /** The embedded PGlite server serialises every query, so it gets one pooled connection per process. */
  embedded: boolean;
};

/**
 * Where this process's database is: DATABASE_URL when given, otherwise the embedded server that the launcher
 * (`npm start`, `npm run demo`) started and handed down in PREFLIGHT_EMBEDDED_DB_URL.
 */
export function getDatabaseTarget(): DatabaseTarget {
  const env = getEnv();
  if (env.DATABASE_URL) return { url: env.DATABASE_URL, embedded: false };
  const embedded = process.env.PREFLIGHT_EMBEDDED_DB_URL;
  if (embedded) return { url: embedded, embedded: true };
  throw new Error(
    "No database: set DATABASE_URL to a PostgreSQL server, or start Preflight with `npm start` / `npm run demo`, which run the embedded database.",
  );
}

export function poolSizeFor(target: DatabaseTarget): number {
  return target.embedded ? 1 : 10;
}
