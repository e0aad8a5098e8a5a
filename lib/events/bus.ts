import { EventEmitter } from "node:events";
import { z } from "zod";
import type { TRedisConnections, TRedisHealth, TRedisSubscription } from "../redis";

// Live events from workers to every web replica: Redis pub/sub when REDIS_URL is set (any worker, any
// replica), otherwise an in-process emitter (the embedded worker and the pages share the process).

export const ZComponentUpdate = z.object({
  id: z.string(),
  status: z.enum(["up", "degraded", "down", "unknown"]),
  observedStatus: z.enum(["up", "degraded", "down", "unknown"]),
  checkedAt: z.string(),
  latencyMs: z.number(),
});
export const ZLiveEvent = z.object({
  type: z.literal("results"),
  storedAt: z.string(),
  components: z.array(ZComponentUpdate),
});
export type TLiveEvent = z.infer<typeof ZLiveEvent>;

/** down: the bus cannot deliver (Redis unreachable), so pages must poll. */
export type TBusState = "up" | "down";

export type EventBus = {
  kind: "redis" | "local";
  publish: (event: TLiveEvent) => Promise<void>;
  subscribe: (listener: (event: TLiveEvent) => void) => () => void;
  /** A person's access changed (disabled, sessions ended): their open streams ask again at once, on every replica. */
  publishAccessChange: (userId: string) => Promise<void>;
  subscribeAccessChanges: (listener: (userId: string) => void) => () => void;
  state: () => TBusState;
  /** Told on every change of state. */
  subscribeState: (listener: (state: TBusState) => void) => () => void;
  close: () => Promise<void>;
};

const ZAccessChange = z.object({ type: z.literal("access"), userId: z.string().min(1) });

export function createLocalBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    kind: "local",
    publish: async (event) => void emitter.emit("event", event),
    subscribe: (listener) => {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
    publishAccessChange: async (userId) => void emitter.emit("access", userId),
    subscribeAccessChanges: (listener) => {
      emitter.on("access", listener);
      return () => emitter.off("access", listener);
    },
    // In one process nothing can come between the worker and the streams.
    state: () => "up",
    subscribeState: () => () => undefined,
    close: async () => void emitter.removeAllListeners(),
  };
}

/**
 * Over the process's shared Redis connections (lib/redis.ts): publishing is best effort, and while Redis is
 * unreachable the bus says "down", so that the event streams tell the pages to poll instead of staying "Live"
 * on a bus that delivers nothing.
 */
export function createRedisBus(redis: TRedisConnections, namespace: string): EventBus {
  const channel = `${namespace}:events`;
  const accessChannel = `${namespace}:access`;
  const local = new EventEmitter();
  local.setMaxListeners(0);
  let subscriptions: TRedisSubscription[] | null = null;
  const ensureSubscribed = () => {
    subscriptions ??= [
      redis.subscriber.subscribe(channel, (message) => {
        const parsed = ZLiveEvent.safeParse(parseJson(message));
        if (parsed.success) local.emit("event", parsed.data);
      }),
      redis.subscriber.subscribe(accessChannel, (message) => {
        const parsed = ZAccessChange.safeParse(parseJson(message));
        if (parsed.success) local.emit("access", parsed.data.userId);
      }),
    ];
  };
  const stateOf = (health: TRedisHealth): TBusState => (health.state === "down" ? "down" : "up");
  return {
    kind: "redis",
    publish: async (event) => {
      // Best effort: a lost event only delays a page until its next refresh.
      await redis.commands.publish(channel, JSON.stringify(event)).catch(() => undefined);
    },
    subscribe: (listener) => {
      ensureSubscribed();
      local.on("event", listener);
      return () => local.off("event", listener);
    },
    publishAccessChange: async (userId) => {
      // This replica's streams hear it at once; the others through Redis. The 2 s re-check stays the backstop.
      local.emit("access", userId);
      await redis.commands.publish(accessChannel, JSON.stringify({ type: "access", userId })).catch(() => undefined);
    },
    subscribeAccessChanges: (listener) => {
      ensureSubscribed();
      local.on("access", listener);
      return () => local.off("access", listener);
    },
    state: () => stateOf(redis.health()),
    subscribeState: (listener) => redis.onHealthChange((health) => listener(stateOf(health))),
    // The connections are the process's, shared: only this bus's subscriptions end here.
    close: async () => {
      for (const subscription of subscriptions ?? []) subscription.unsubscribe();
      subscriptions = null;
      local.removeAllListeners();
    },
  };
}

/** Anyone who can publish on the shared Redis can send anything: a bad message is ignored, never thrown. */
function parseJson(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return null;
  }
}
