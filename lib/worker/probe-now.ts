import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { ProbeOutcome } from "../probes/types";
import type { RunningWorker } from "./run";

// "Probe now" across processes: the web process asks, the worker that owns the component answers. In one
// process (the embedded worker) the call is direct; between processes it goes over Redis pub/sub.

const channels = (namespace: string) => ({ requests: `${namespace}:probe-now`, replies: `${namespace}:probe-now:reply` });

const ZRequest = z.object({ requestId: z.string(), componentId: z.string() });
const ZReply = z.object({
  requestId: z.string(),
  outcome: z.object({ ok: z.boolean(), latencyMs: z.number(), detail: z.string().nullable(), error: z.string().nullable() }),
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

/** Worker side: answer requests for the components this worker owns. */
export function serveProbeNow(worker: RunningWorker, redisUrl: string, namespace: string, logger: Logger): () => Promise<void> {
  const { requests: REQUESTS, replies: REPLIES } = channels(namespace);
  const subscriber = new Redis(redisUrl, { connectionName: "preflight-probe-now-sub" });
  const publisher = new Redis(redisUrl, { connectionName: "preflight-probe-now-pub" });
  for (const client of [subscriber, publisher]) client.on("error", () => undefined);
  void subscriber.subscribe(REQUESTS);
  subscriber.on("message", (_channel: string, message: string) => {
    const parsed = ZRequest.safeParse(parseJson(message));
    if (!parsed.success) return;
    const { requestId, componentId } = parsed.data;
    // Only the owner answers (every worker hears the request); a component nobody owns yet is claimed.
    worker
      .claim(componentId)
      .then((mine) => (mine ? worker.scheduler.probeNow(componentId) : null))
      .then((outcome) =>
        outcome ? publisher.publish(REPLIES, JSON.stringify({ requestId, outcome: { ok: outcome.ok, latencyMs: outcome.latencyMs, detail: outcome.detail, error: outcome.error } })) : null,
      )
      .catch((error: unknown) => logger.warn({ component: componentId, err: (error as Error).message }, "probe-now failed"));
  });
  return async () => {
    subscriber.disconnect();
    publisher.disconnect();
  };
}

/** Web side: probe a component now through whichever worker owns it. */
export async function requestProbeNow(options: {
  componentId: string;
  localWorker: RunningWorker | null;
  redisUrl: string | undefined;
  namespace: string;
  timeoutMs: number;
}): Promise<ProbeOutcome> {
  const { componentId, localWorker, redisUrl } = options;
  const { requests: REQUESTS, replies: REPLIES } = channels(options.namespace);
  if (localWorker && (await localWorker.claim(componentId))) return localWorker.scheduler.probeNow(componentId);
  if (!redisUrl) throw new ProbeNowUnavailableError("no worker in this process owns the component, and without REDIS_URL no other worker can be asked");
  const requestId = randomUUID();
  const subscriber = new Redis(redisUrl, { connectionName: "preflight-probe-now-wait", maxRetriesPerRequest: 1 });
  const publisher = new Redis(redisUrl, { connectionName: "preflight-probe-now-ask", maxRetriesPerRequest: 1 });
  for (const client of [subscriber, publisher]) client.on("error", () => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    await subscriber.subscribe(REPLIES);
    const reply = new Promise<ProbeOutcome>((resolve, reject) => {
      timer = setTimeout(() => reject(new ProbeNowUnavailableError(`no worker answered within ${options.timeoutMs} ms`)), options.timeoutMs);
      subscriber.on("message", (_channel: string, message: string) => {
        const parsed = ZReply.safeParse(parseJson(message));
        if (parsed.success && parsed.data.requestId === requestId) resolve(parsed.data.outcome);
      });
    });
    const listeners = await publisher.publish(REQUESTS, JSON.stringify({ requestId, componentId }));
    if (listeners === 0) throw new ProbeNowUnavailableError("no worker is listening on Redis");
    return await reply;
  } finally {
    clearTimeout(timer);
    subscriber.disconnect();
    publisher.disconnect();
  }
}
