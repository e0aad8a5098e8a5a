import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import { getEnv } from "./env";

const globalForRedis = globalThis as unknown as { preflightRedis?: Redis };

/** The process's one Redis client, or null when REDIS_URL is unset (locks and pub/sub stay in-process). */
export function getRedis(): Redis | null {
  const url = getEnv().REDIS_URL;
  if (!url) return null;
  globalForRedis.preflightRedis ??= new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false, connectionName: "preflight" });
  return globalForRedis.preflightRedis;
}

/**
 * Prefix of every Redis key and channel of one Preflight installation, derived from its database (host, port,
 * name; never the password), so that two installations sharing a Redis never take each other's locks.
 */
export function redisNamespace(databaseUrl: string): string {
  let identity = databaseUrl;
  try {
    const url = new URL(databaseUrl);
    identity = `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    // not a URL: hash it as it is
  }
  return `preflight:${createHash("sha256").update(identity).digest("hex").slice(0, 12)}`;
}
