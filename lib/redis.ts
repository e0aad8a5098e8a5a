import { createHash } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";
import { getEnv } from "./env";
import { getLogger } from "./logger";
import { createRedisHealth, type TLinkStatus, type TRedisHealth } from "./redis-health";

// The one place Preflight connects to its own Redis (not the monitored systems' Redis: lib/probes/redis.ts). Per
// process and URL: one connection for commands and one for subscriptions, shared by the throttle, the event bus,
// probe now and the ownership locks. Redis is optional at run time as at start: a command fails within
// COMMAND_TIMEOUT_MS (at once when disconnected) so that every caller can fall back, and an outage is one warn line
// when it starts and one info line when it ends, however many times ioredis retries in between.

export type { TRedisHealth } from "./redis-health";

/** A command answers within this or fails; the callers fall back (throttle: PostgreSQL). */
export const COMMAND_TIMEOUT_MS = 500;
/** Each connection is pinged this often, so a Redis that stopped answering (no reset) is noticed too. */
const HEARTBEAT_MS = 3_000;
/** A connection that has been sent something and received nothing this long is dropped and made again. */
const SOCKET_TIMEOUT_MS = 2_000;
/** How long `subscribe(...).ready` waits for the first connection of the subscriber. */
const SUBSCRIBE_WAIT_MS = 2_000;

const COMMON: RedisOptions = {
  connectTimeout: 3_000,
  socketTimeout: SOCKET_TIMEOUT_MS,
  maxRetriesPerRequest: 1,
  // A command lost with its connection is not sent again on the next one: its caller has given up on it already
  // (and may have counted elsewhere: an INCR twice, a lock taken behind its back).
  autoResendUnfulfilledCommands: false,
  retryStrategy: (times) => Math.min(100 * 2 ** (times - 1), 2_000) + Math.floor(Math.random() * 100),
};

export type TRedisSubscription = {
  /**
   * true once the channel is subscribed; false when Redis is unreachable now (the handler stays, and is subscribed
   * again when it is back). Never rejects.
   */
  ready: Promise<boolean>;
  unsubscribe: () => void;
};

export type TRedisSubscriber = {
  /** Adds a handler for a channel; the process's one subscriber connection subscribes it, and again after a reconnection. */
  subscribe: (channel: string, handler: (message: string) => void) => TRedisSubscription;
};

export type TRedisConnections = {
  /** Commands: fail at once while disconnected, within COMMAND_TIMEOUT_MS when Redis does not answer. */
  commands: Redis;
  subscriber: TRedisSubscriber;
  health: () => TRedisHealth;
  onHealthChange: (listener: (health: TRedisHealth) => void) => () => void;
  close: () => Promise<void>;
};

/** host:port, never the password, for log lines. */
function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || "6379"}`;
  } catch {
    return "redis";
  }
}

/**
 * Makes a pair of connections. Code uses getRedisConnections() (one pair per process); tests use this for a
 * second "process".
 */
export function createRedisConnections(url: string, options: { logger?: () => Logger } = {}): TRedisConnections {
  const logger = options.logger ?? getLogger;
  const target = hostOf(url);
  const health = createRedisHealth();
  let closing = false;

  health.subscribe((next, previous) => {
    const line = { component: "redis", redis: target };
    if (next.state === "down") {
      logger().warn(
        { ...line, err: next.lastError },
        `Redis unreachable since ${next.since.toISOString()}: falling back to PostgreSQL for the sign-in throttle and to polling for live pages`,
      );
    } else if (next.state === "up" && previous.state === "down") {
      const downMs = next.since.getTime() - previous.since.getTime();
      logger().info({ ...line, downMs }, `Redis back after ${Math.max(1, Math.round(downMs / 1000))} s`);
    }
  });

  // Each connection's own view, beside the tracker's overall one: a subscription asks whether its connection is lost.
  const links = new Map<string, TLinkStatus>();
  const mark = (link: string, status: TLinkStatus, error?: string) => {
    if (closing) return;
    links.set(link, status);
    health.set(link, status, error);
  };

  /** Every client gets its error handler here: without one ioredis prints each failed retry as unhandled. */
  const watch = (client: Redis, link: string, onReady: () => Promise<boolean>) => {
    let said: string | undefined;
    mark(link, "connecting");
    client.on("error", (error: Error) => {
      said = error.message;
      // While ready, the "close" that follows says it (a socket timeout, say).
      if (client.status !== "ready") mark(link, "lost", said);
    });
    client.on("close", () => mark(link, "lost", said));
    client.on("ready", () => {
      said = undefined;
      void onReady().then((ok) => {
        if (ok && client.status === "ready") mark(link, "ready");
      });
    });
  };

  const commands = new Redis(url, {
    ...COMMON,
    connectionName: "preflight",
    enableOfflineQueue: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
  });
  watch(commands, "commands", async () => true);

  // The subscriber connects at its first subscription (a process that never subscribes never opens it).
  let subscriberClient: Redis | null = null;
  const channels = new Map<string, { handlers: Set<(message: string) => void>; subscribed: Promise<boolean> }>();
  const subscribeNow = (client: Redis, names: string[]): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS);
    });
    const done = client.subscribe(...names).then(
      () => true,
      () => false,
    );
    return Promise.race([done, late]).finally(() => clearTimeout(timer));
  };
  const openSubscriber = (): Redis => {
    if (subscriberClient) return subscriberClient;
    // The offline queue lets a subscription wait for the first connection; ours resubscribes on every reconnection.
    const client = new Redis(url, {
      ...COMMON,
      connectionName: "preflight-subscriber",
      enableOfflineQueue: true,
      autoResubscribe: false,
    });
    subscriberClient = client;
    watch(client, "subscriber", async () => {
      const names = [...channels.keys()];
      if (names.length === 0) return true;
      const subscribed = subscribeNow(client, names);
      for (const entry of channels.values()) entry.subscribed = subscribed;
      // Connected but not subscribed is no use: start again rather than stay down on a live connection.
      if (!(await subscribed) && !closing) client.disconnect(true);
      return subscribed;
    });
    client.on("message", (channel: string, message: string) => {
      for (const handler of channels.get(channel)?.handlers ?? []) {
        try {
          handler(message);
        } catch {
          // one handler's bug is not another's problem
        }
      }
    });
    return client;
  };

  const subscriber: TRedisSubscriber = {
    subscribe(channel, handler) {
      const client = openSubscriber();
      // Connected, or connecting for the first time (the offline queue holds the SUBSCRIBE). Otherwise the
      // connection is lost, and the ready handler subscribes every channel of the map when Redis is back.
      const reachable = client.status === "ready" || links.get("subscriber") === "connecting";
      let entry = channels.get(channel);
      if (!entry) {
        entry = {
          handlers: new Set(),
          subscribed: reachable ? subscribeNow(client, [channel]) : Promise.resolve(false),
        };
        channels.set(channel, entry);
      }
      entry.handlers.add(handler);
      const current = entry;
      return {
        ready: reachable ? current.subscribed : Promise.resolve(false),
        unsubscribe: () => {
          current.handlers.delete(handler);
          if (current.handlers.size > 0 || channels.get(channel) !== current) return;
          channels.delete(channel);
          // In order on the one connection: a later SUBSCRIBE of the same channel comes after this.
          if (client.status === "ready") client.unsubscribe(channel).catch(() => undefined);
        },
      };
    },
  };

  // A ping now and then: a connection that stopped answering gets no data within SOCKET_TIMEOUT_MS, which drops
  // it, which makes the state down and a reconnection begin.
  let heartbeat: NodeJS.Timeout | undefined;
  const beat = () => {
    heartbeat = setTimeout(() => {
      for (const client of [commands, subscriberClient])
        if (client?.status === "ready") client.ping().catch(() => undefined);
      if (!closing) beat();
    }, HEARTBEAT_MS);
    heartbeat.unref();
  };
  beat();

  return {
    commands,
    subscriber,
    health: health.get,
    onHealthChange: (listener) => health.subscribe((next) => listener(next)),
    close: async () => {
      closing = true;
      clearTimeout(heartbeat);
      channels.clear();
      health.remove("commands");
      health.remove("subscriber");
      commands.disconnect();
      subscriberClient?.disconnect();
    },
  };
}

const globalForRedis = globalThis as unknown as { preflightRedisConnections?: Map<string, TRedisConnections> };

/**
 * This process's connections to its Redis (REDIS_URL by default), or null when there is none: kept on globalThis,
 * so Next's duplicated modules and hot reloads share them.
 */
export function getRedisConnections(url: string | undefined = getEnv().REDIS_URL): TRedisConnections | null {
  if (!url) return null;
  const all = (globalForRedis.preflightRedisConnections ??= new Map());
  let connections = all.get(url);
  if (!connections) {
    connections = createRedisConnections(url);
    all.set(url, connections);
  }
  return connections;
}

/** The process's command connection, or null when REDIS_URL is unset. */
export function getRedis(): Redis | null {
  return getRedisConnections()?.commands ?? null;
}

/** The process's subscriber (one connection, every channel), or null when REDIS_URL is unset. */
export function getRedisSubscriber(): TRedisSubscriber | null {
  return getRedisConnections()?.subscriber ?? null;
}

export type TRedisHealthReport = ({ configured: true } & TRedisHealth) | { configured: false };

/** For /api/health: whether Redis is configured and, if so, reachable, since when, and what it last said. */
export function redisHealth(): TRedisHealthReport {
  const connections = getRedisConnections();
  return connections ? { configured: true, ...connections.health() } : { configured: false };
}

/** Closes every connection of this process (shutdown, tests). */
export async function closeRedis(): Promise<void> {
  const all = globalForRedis.preflightRedisConnections;
  if (!all) return;
  const open = [...all.values()];
  all.clear();
  await Promise.all(open.map((connections) => connections.close()));
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
