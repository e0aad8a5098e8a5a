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
