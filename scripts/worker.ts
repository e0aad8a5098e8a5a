import { migrate, openDatabase, readConfig, readEnv } from "./boot";
import { getPrisma } from "../lib/db/client";
import { getLogger } from "../lib/logger";
import { startWorker } from "../lib/worker/run";
import { chooseOwnershipLock } from "../lib/worker/create-lock";

// `npm run worker`: the scheduler as its own process, from the same code the web server embeds. Run the
// web server with PREFLIGHT_EMBEDDED_WORKER=false when you run this.
const env = readEnv();
const { config, secrets, file } = readConfig(env);
const db = await openDatabase(env);
await migrate(db.url);
const logger = getLogger();
logger.info({ config: file, components: config.components.length, embeddedDatabase: Boolean(db.embedded) }, "starting worker");
const createLock = chooseOwnershipLock({ redisUrl: env.REDIS_URL, databaseUrl: db.url, embedded: db.embedded !== null, logger });
const worker = await startWorker({ config, secrets, prisma: getPrisma(), logger, mode: "standalone", heartbeatFile: env.PREFLIGHT_HEARTBEAT_FILE, createLock });

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await worker.stop();
  await getPrisma().$disconnect();
  await db.embedded?.stop();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
