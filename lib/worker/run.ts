import { writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { TConfig } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import { runProbe } from "../probes/run";
import { createResultStore } from "./result-store";
import { createScheduler, type Scheduler } from "./scheduler";

const HEARTBEAT_MS = 5_000;

export type RunningWorker = { workerId: string; scheduler: Scheduler; stop: () => Promise<void> };

/** Starts probing every configured component and beating the worker heartbeat; used by both processes. */
export async function startWorker(options: {
  config: TConfig;
  secrets: Set<string>;
  prisma: PrismaClient;
  logger: Logger;
  mode: "embedded" | "standalone";
  /** Touched on every heartbeat so a container health check can see the worker is alive. */
  heartbeatFile?: string;
}): Promise<RunningWorker> {
  const { config, prisma, logger } = options;
  const workerId = `${options.mode}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const store = createResultStore({ prisma, workerId, secrets: options.secrets });
  const startedAt = new Date();

  const heartbeatFile = options.heartbeatFile;
  const beat = async () => {
    const now = new Date();
    if (heartbeatFile) writeFileSync(heartbeatFile, now.toISOString());
    await prisma.workerHeartbeat.upsert({
      where: { workerId },
      create: { workerId, host: hostname(), pid: process.pid, startedAt, beatAt: now },
      update: { beatAt: now },
    });
  };
  await beat();

  const scheduler = createScheduler({
    components: config.components,
    probe: (component) => runProbe(component.probe, component.timeout),
    sink: async (component, outcome, slotAt) => {
      const next = await store.record(component, outcome, slotAt);
      logger.debug({ component: component.id, ok: outcome.ok, latencyMs: Math.round(outcome.latencyMs), status: next.status }, "probe");
    },
    onError: (error, component) => logger.error({ component: component.id, err: error }, "storing probe result failed"),
  });
  scheduler.start();

  let heartbeatTimer: NodeJS.Timeout | undefined;
  const loop = () => {
    heartbeatTimer = setTimeout(() => {
      beat()
        .catch((error: unknown) => logger.warn({ err: error }, "worker heartbeat failed"))
        .finally(() => {
          if (heartbeatTimer) loop();
        });
    }, HEARTBEAT_MS);
    heartbeatTimer.unref?.();
  };
  loop();
  logger.info({ workerId, components: config.components.length }, "worker started");

  return {
    workerId,
    scheduler,
    async stop() {
      clearTimeout(heartbeatTimer);
      heartbeatTimer = undefined;
      await scheduler.stop();
      await prisma.workerHeartbeat.delete({ where: { workerId } }).catch(() => undefined);
      logger.info({ workerId }, "worker stopped");
    },
  };
}
