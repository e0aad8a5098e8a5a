import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { getEventBus } from "../events/current";
import { getDatabaseTarget } from "../db/connection";
import { chooseOwnershipLock } from "./create-lock";
import { serveProbeNow } from "./probe-now";
import { redisNamespace } from "../redis";
import { getEnv } from "../env";
import { getLogger } from "../logger";
import { startWorker, type RunningWorker } from "./run";

const globalForWorker = globalThis as unknown as { preflightWorker?: Promise<RunningWorker | null> };

/**
 * Runs the scheduler inside the web server for single-instance deployments. Guarded on globalThis, so a
 * second call (dev reloads, a duplicate register()) returns the running worker instead of starting another.
 */
export function startEmbeddedWorker(): Promise<RunningWorker | null> {
  globalForWorker.preflightWorker ??= (async () => {
    if (!getEnv().PREFLIGHT_EMBEDDED_WORKER) {
      getLogger().info("embedded worker disabled (PREFLIGHT_EMBEDDED_WORKER=false); run `npm run worker`");
      return null;
    }
    const { config, secrets } = getConfig();
    const target = getDatabaseTarget();
    const createLock = chooseOwnershipLock({
      redisUrl: getEnv().REDIS_URL,
      databaseUrl: target.url,
      embedded: target.embedded,
      logger: getLogger(),
    });
    const worker = await startWorker({
      config,
      secrets,
      prisma: getPrisma(),
      logger: getLogger(),
      mode: "embedded",
      createLock,
      bus: getEventBus(),
    });
    const redisUrl = getEnv().REDIS_URL;
    const stopServingProbeNow = redisUrl
      ? serveProbeNow(worker, redisUrl, redisNamespace(target.url), getLogger())
      : null;
    // The web server (scripts/next-server.mjs) waits for this promise before it exits, so buffered results are written.
    const shutdown = () => {
      (globalThis as { preflightWorkerStopping?: Promise<void> }).preflightWorkerStopping ??= (
        stopServingProbeNow?.() ?? Promise.resolve()
      ).then(() => worker.stop());
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
    return worker;
  })();
  return globalForWorker.preflightWorker;
}

export function getEmbeddedWorker(): Promise<RunningWorker | null> | undefined {
  return globalForWorker.preflightWorker;
}
