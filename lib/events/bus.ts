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
  close: () => Promise<void>;
};

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
    close: async () => void emitter.removeAllListeners(),
  };
}

export function createRedisBus(url: string, namespace: string): EventBus {
  const channel = `${namespace}:events`;
  const publisher = new Redis(url, { connectionName: "preflight-events-pub", maxRetriesPerRequest: 1, enableOfflineQueue: false });
  let subscriber: Redis | null = null;
  const local = new EventEmitter();
  local.setMaxListeners(0);
  publisher.on("error", () => undefined);
  const ensureSubscriber = () => {
    if (subscriber) return;
    subscriber = new Redis(url, { connectionName: "preflight-events-sub" });
    subscriber.on("error", () => undefined);
    void subscriber.subscribe(channel);
    subscriber.on("message", (_channel: string, message: string) => {
      try {
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
    close: async () => {
      publisher.disconnect();
      subscriber?.disconnect();
      local.removeAllListeners();
    },
  };
}
