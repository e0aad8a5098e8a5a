import { getDatabaseTarget } from "../db/connection";
import { getRedisConnections, redisNamespace } from "../redis";
import { createLocalBus, createRedisBus, type EventBus } from "./bus";

const globalForBus = globalThis as unknown as { preflightBus?: EventBus };

/** This process's event bus, shared by the embedded worker (publisher) and the SSE route (subscriber). */
export function getEventBus(): EventBus {
  if (!globalForBus.preflightBus) {
    const redis = getRedisConnections();
    globalForBus.preflightBus = redis
      ? createRedisBus(redis, redisNamespace(getDatabaseTarget().url))
      : createLocalBus();
  }
  return globalForBus.preflightBus;
}
