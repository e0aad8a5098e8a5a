import { migrate, openDatabase, readConfig, readEnv, warnIfAuditUnprotected } from "./boot";
import { getPrisma } from "../lib/db/client";
import { getLogger } from "../lib/logger";
import { startWorker } from "../lib/worker/run";
import { chooseOwnershipLock } from "../lib/worker/create-lock";
import { serveProbeNow } from "../lib/worker/probe-now";
import { createRedisBus } from "../lib/events/bus";
import { closeRedis, getRedisConnections, redisNamespace } from "../lib/redis";
import { answerHelp } from "./cli-help";

// `npm run worker`: the scheduler as its own process, from the same code the web server embeds. Run the
// web server with PREFLIGHT_EMBEDDED_WORKER=false when you run this.
answerHelp(`usage: npm run worker
Runs the probe scheduler as its own process, on DATABASE_URL (or the embedded database in PREFLIGHT_DATA_DIR), with
REDIS_URL for locks and live events when it is set. Start the web server with PREFLIGHT_EMBEDDED_WORKER=false
beside it.`);

const env = readEnv();
const { config, secrets, file } = readConfig(env);
const db = await openDatabase(env);
await migrate(db.url);
await warnIfAuditUnprotected(db);
const logger = getLogger();
logger.info(
  { config: file, components: config.components.length, embeddedDatabase: Boolean(db.embedded) },
  "starting worker",
);
const createLock = chooseOwnershipLock({
  redisUrl: env.REDIS_URL,
  databaseUrl: db.url,
  embedded: db.embedded !== null,
  logger,
});
// Without Redis the pages cannot hear a worker in another process: they poll instead.
const redis = getRedisConnections(env.REDIS_URL);
const bus = redis ? createRedisBus(redis, redisNamespace(db.url)) : undefined;
const worker = await startWorker({
  config,
  secrets,
  prisma: getPrisma(),
  logger,
  mode: "standalone",
  heartbeatFile: env.PREFLIGHT_HEARTBEAT_FILE,
  createLock,
  bus,
});

const stopServingProbeNow = env.REDIS_URL ? serveProbeNow(worker, env.REDIS_URL, redisNamespace(db.url), logger) : null;

// The scheduler's timers are unref'd (they must never keep a web server from exiting); this process exists
// to run them, so it holds itself open until it is told to stop.
const keepAlive = setInterval(() => undefined, 60_000);

let stopping = false;
const shutdown = async () => {
  if (stopping) {
    // A second signal: stop now.
    process.exit(1);
  }
  stopping = true;
  // Never hang on the way out (a database that is gone, say): writes get 5 s, everything 15 s.
  setTimeout(() => {
    logger.error("worker did not stop within 15 s; exiting");
    process.exit(1);
  }, 15_000).unref();
  clearInterval(keepAlive);
  try {
    await stopServingProbeNow?.();
    await worker.stop();
    await bus?.close();
    await closeRedis();
    await getPrisma().$disconnect();
    await db.embedded?.stop();
  } catch (error) {
    logger.error({ err: (error as Error).message }, "error while stopping");
    process.exit(1);
  }
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
