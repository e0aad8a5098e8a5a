import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The session-signing secret: PREFLIGHT_AUTH_SECRET, or one kept in the data directory, created on first use
 * (readable by this user only). Several replicas must share PREFLIGHT_AUTH_SECRET instead.
 */
export function resolveAuthSecret(env: {
  PREFLIGHT_AUTH_SECRET?: string | undefined;
  PREFLIGHT_DATA_DIR: string;
}): string {
  if (env.PREFLIGHT_AUTH_SECRET) return env.PREFLIGHT_AUTH_SECRET;
  const file = join(env.PREFLIGHT_DATA_DIR, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(env.PREFLIGHT_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
  chmodSync(file, 0o600);
  return secret;
}
