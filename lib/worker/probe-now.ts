import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import type { ProbeOutcome } from "../probes/types";
import { getRedisConnections } from "../redis";
import type { RunningWorker } from "./run";

// "Probe now" across processes: the web process asks, the worker that owns the component answers. In one
// process (the embedded worker) the call is direct; between processes it goes over Redis pub/sub, on the
// process's shared connections (lib/redis.ts): a request opens none. Replies share one channel and are told
// apart by the request's id.

const channels = (namespace: string) => ({
  requests: `${namespace}:probe-now`,
  replies: `${namespace}:probe-now:reply`,
});

const ZRequest = z.object({ requestId: z.string(), componentId: z.string() });
const ZReply = z.object({
  requestId: z.string(),
  outcome: z.object({
    ok: z.boolean(),
    latencyMs: z.number(),
    detail: z.string().nullable(),
    error: z.string().nullable(),
  }),
});

export class ProbeNowUnavailableError extends Error {}

/** Anyone who can publish on the shared Redis can send anything: a bad message is ignored, never thrown. */
function parseJson(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return null;
  }
}

/**
 * Worker side: answer requests for the components this worker owns. A worker that starts while Redis is
 * unreachable listens once it is back.
 */
export function serveProbeNow(
  worker: RunningWorker,
  redisUrl: string,
  namespace: string,
  logger: Logger,
): () => Promise<void> {
  const redis = getRedisConnections(redisUrl);
  if (!redis) return async () => undefined;
  const { requests: REQUESTS, replies: REPLIES } = channels(namespace);
  const subscription = redis.subscriber.subscribe(REQUESTS, (message) => {
    const parsed = ZRequest.safeParse(parseJson(message));
    if (!parsed.success) return;
    const { requestId, componentId } = parsed.data;
    // Only the owner answers (every worker hears the request); a component nobody owns yet is claimed.
    worker
      .claim(componentId)
      .then((mine) => (mine ? worker.scheduler.probeNow(componentId) : null))
      .then((outcome) => {
        if (!outcome) return null;
        const { ok, latencyMs, detail, error } = outcome;
        return redis.commands.publish(
          REPLIES,
          JSON.stringify({ requestId, outcome: { ok, latencyMs, detail, error } }),
        );
      })
      .catch((error: unknown) =>
        logger.warn({ component: componentId, err: (error as Error).message }, "probe-now failed"),
      );
  });
  return async () => subscription.unsubscribe();
}

/** Web side: probe a component now through whichever worker owns it. */
export async function requestProbeNow(options: {
  componentId: string;
  localWorker: RunningWorker | null;
  redisUrl: string | undefined;
  namespace: string;
  timeoutMs: number;
}): Promise<ProbeOutcome> {
  const { componentId, localWorker } = options;
  const { requests: REQUESTS, replies: REPLIES } = channels(options.namespace);
  if (localWorker && (await localWorker.claim(componentId))) return localWorker.scheduler.probeNow(componentId);
  const redis = getRedisConnections(options.redisUrl);
  if (!redis)
    throw new ProbeNowUnavailableError(
      "no worker in this process owns the component, and without REDIS_URL no other worker can be asked",
    );
  if (redis.health().state === "down")
    throw new ProbeNowUnavailableError("Redis is unreachable: no other worker can be asked");
  const requestId = randomUUID();
  let answer: (outcome: ProbeOutcome) => void = () => undefined;
  const reply = new Promise<ProbeOutcome>((resolve) => {
    answer = resolve;
  });
  const subscription = redis.subscriber.subscribe(REPLIES, (message) => {
    const parsed = ZReply.safeParse(parseJson(message));
    if (parsed.success && parsed.data.requestId === requestId) answer(parsed.data.outcome);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    if (!(await subscription.ready))
      throw new ProbeNowUnavailableError("Redis is unreachable: no other worker can be asked");
    const listeners = await redis.commands.publish(REQUESTS, JSON.stringify({ requestId, componentId })).catch(() => {
      throw new ProbeNowUnavailableError("Redis is unreachable: no other worker can be asked");
    });
    if (listeners === 0) throw new ProbeNowUnavailableError("no worker is listening on Redis");
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ProbeNowUnavailableError(`no worker answered within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
    });
    return await Promise.race([reply, timeout]);
  } finally {
    clearTimeout(timer);
    subscription.unsubscribe();
  }
}
