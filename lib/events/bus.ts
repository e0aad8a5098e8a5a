import { EventEmitter } from "node:events";
import { Redis } from "ioredis";
import { z } from "zod";

// Live events from workers to every web replica: Redis pub/sub when REDIS_URL is set (any worker, any
// replica), otherwise an in-process emitter (the embedded worker and the pages share the process).

export const ZComponentUpdate = z.object({
  id: z.string(),
  status: z.enum(["up", "degraded", "down", "unknown"]),
  observedStatus: z.enum(["up", "degraded", "down", "unknown"]),
  checkedAt: z.string(),
  latencyMs: z.number(),
});
export const ZLiveEvent = z.object({ type: z.literal("results"), storedAt: z.string(), components: z.array(ZComponentUpdate) });
export type TLiveEvent = z.infer<typeof ZLiveEvent>;

export type EventBus = {
  kind: "redis" | "local";
  publish: (event: TLiveEvent) => Promise<void>;
  subscribe: (listener: (event: TLiveEvent) => void) => () => void;
  /** A person's access changed (disabled, sessions ended): their open streams ask again at once, on every replica. */
  publishAccessChange: (userId: string) => Promise<void>;
  subscribeAccessChanges: (listener: (userId: string) => void) => () => void;
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
    close: async () => void emitter.removeAllListeners(),
  };
}

export function createRedisBus(url: string, namespace: string): EventBus {
  const channel = `${namespace}:events`;
  const accessChannel = `${namespace}:access`;
  const publisher = new Redis(url, { connectionName: "preflight-events-pub", maxRetriesPerRequest: 1, enableOfflineQueue: false });
  let subscriber: Redis | null = null;
  const local = new EventEmitter();
  local.setMaxListeners(0);
  publisher.on("error", () => undefined);
  const ensureSubscriber = () => {
    if (subscriber) return;
    subscriber = new Redis(url, { connectionName: "preflight-events-sub" });
    subscriber.on("error", () => undefined);
    void subscriber.subscribe(channel, accessChannel);
    subscriber.on("message", (from: string, message: string) => {
      try {
        if (from === accessChannel) {
          const parsed = ZAccessChange.safeParse(JSON.parse(message));
          if (parsed.success) local.emit("access", parsed.data.userId);
          return;
        }
        const parsed = ZLiveEvent.safeParse(JSON.parse(message));
        if (parsed.success) local.emit("event", parsed.data);
      } catch {
        // not ours
      }
    });
  };
  return {
    kind: "redis",
    publish: async (event) => {
      // Best effort: a lost event only delays a page until its next refresh.
      await publisher.publish(channel, JSON.stringify(event)).catch(() => undefined);
    },
    subscribe: (listener) => {
      ensureSubscriber();
      local.on("event", listener);
      return () => local.off("event", listener);
    },
    publishAccessChange: async (userId) => {
      // This replica's streams hear it at once; the others through Redis. The 2 s re-check stays the backstop.
      local.emit("access", userId);
      await publisher.publish(accessChannel, JSON.stringify({ type: "access", userId })).catch(() => undefined);
    },
    subscribeAccessChanges: (listener) => {
      ensureSubscriber();
      local.on("access", listener);
      return () => local.off("access", listener);
    },
    close: async () => {
      publisher.disconnect();
      subscriber?.disconnect();
      local.removeAllListeners();
    },
  };
}
