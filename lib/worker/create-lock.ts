import type { Logger } from "pino";
import { redisNamespace } from "../redis";
import { createLocalLock, createPostgresLock, createRedisLock, type OwnershipLock } from "./locks";

/**
 * Redis when configured; otherwise PostgreSQL advisory locks on a real server. The embedded database serves
 * every connection from one PostgreSQL session, where advisory locks cannot tell workers apart, so there a
 * single scheduler process is assumed and the lock is local.
 */
export function chooseOwnershipLock(options: {
  redisUrl?: string;
  databaseUrl: string;
  embedded: boolean;
  logger: Logger;
}) {
  return (workerId: string): OwnershipLock => {
    if (options.redisUrl)
      return createRedisLock(options.redisUrl, workerId, options.logger, redisNamespace(options.databaseUrl));
    if (!options.embedded) return createPostgresLock(options.databaseUrl, workerId, options.logger);
    return createLocalLock(workerId);
  };
}
