import { writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Logger } from "pino";
import type { TComponent, TConfig } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import { dropExpiredPartitions, ensurePartitions } from "../history/partitions";
import { pruneMinuteRollups, runRollups } from "../history/rollup";
import { refreshReadiness } from "../services/readiness/refresh";
import { isDataError, writeBatch, type BatchStates } from "../history/write-batch";
import { getMetrics } from "../metrics";
import { createHeartbeatPublisher, heartbeatStoreFor, type THeartbeatStore } from "../heartbeat";
import { activeMaintenance } from "../monitor/maintenance";
import { runProbe } from "../probes/run";
import { redactSecrets } from "../redact";
import type { EventBus, TLiveEvent } from "../events/bus";
import { createBatchWriter } from "./batch-writer";
import { createLocalLock, type OwnershipLock } from "./locks";
import { deliverDueNotifications } from "./notifier";
import { createComponentOwnership, ownershipTiming } from "./ownership";
import { createScheduler, type Scheduler } from "./scheduler";
import { toWriteItem, type WriteItem } from "./state-tracker";
import { slotsToCatchUp } from "./takeover";
import { announceSloAlerts } from "../slo/notify";

const HEARTBEAT_MS = 5_000;
const DAY_MS = 86_400_000;
const MAINTENANCE_KEY = "__maintenance";

export type RunningWorker = {
  workerId: string;
  scheduler: Scheduler;
  /** Writes every buffered result now; false if the database refused. */
  flush: () => Promise<boolean>;
  /** Partitions, retention and rollups, as the maintenance loop runs them. */
  runMaintenance: () => Promise<void>;
  stats: () => {
    buffer: ReturnType<ReturnType<typeof createBatchWriter>["stats"]>;
    scheduler: ReturnType<Scheduler["stats"]>;
  };
  /** Whether this worker probes the component: it holds the component's ownership lock (or none can be had). */
  claim: (componentId: string) => Promise<boolean>;
  stop: () => Promise<void>;
};

export type WorkerOptions = {
  config: TConfig;
  secrets: Set<string>;
  prisma: PrismaClient;
  logger: Logger;
  mode: "embedded" | "standalone";
  /** Touched on every heartbeat so a container health check can see the worker is alive. */
  heartbeatFile?: string;
  /** Where heartbeats go besides the database (a file, and Redis when configured); default: heartbeatStoreFor(prisma). */
  heartbeats?: THeartbeatStore;
  /** Ownership of components among several workers; one process alone needs none. */
  createLock?: (workerId: string) => OwnershipLock;
  maintenanceEveryMs?: number;
  /** How often readiness is evaluated for snapshots (default one minute). */
  readinessEveryMs?: number;
  flushEveryMs?: number;
  /** Where stored results are announced to the pages (Redis or in-process); none: pages poll. */
  bus?: EventBus;
  /** Instrumentation: how late each slot's timer fired (benchmarks). */
  onSlotLag?: (lagMs: number) => void;
};

/** The latest result of each component in a stored batch, for the pages' live updates. */
function liveEventOf(items: WriteItem[], states: BatchStates): TLiveEvent {
  const latest = new Map<string, WriteItem>();
  for (const item of items) latest.set(item.componentId, item);
  return {
    type: "results",
    storedAt: new Date().toISOString(),
    components: [...latest.values()].map((item) => ({
      id: item.componentId,
      status: states.get(item.componentId)?.status ?? "unknown",
      observedStatus: item.observed,
      checkedAt: item.checkedAt.toISOString(),
      latencyMs: item.outcome.latencyMs,
    })),
  };
}

/** Starts probing every configured component; used by the web process and by `npm run worker`. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { config, prisma, logger } = options;
  const metrics = getMetrics();
  const workerId = `${options.mode}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const lock = (options.createLock ?? ((id: string) => createLocalLock(id)))(workerId);
  const startedAt = new Date();
  const heartbeats = createHeartbeatPublisher(
    options.heartbeats ?? heartbeatStoreFor(prisma),
    { workerId, mode: options.mode, startedAt },
    logger,
  );
  const ownership = createComponentOwnership({
    lock,
    componentIds: config.components.map((c) => c.id),
    timing: ownershipTiming(config.components.map((c) => c.interval)),
    logger,
    onAcquired: (ids) => {
      const taken = config.components.filter((c) => ids.includes(c.id));
      void slotsToCatchUp(prisma, taken, Date.now(), logger).then((due) => {
        for (const { component, slotAt } of due) scheduler.catchUp(component.id, slotAt);
      });
    },
    // What this worker probed of them is stored before another takes them, so the other sees those slots done.
    beforeRelease: async (ids) => {
      await scheduler.settle(ids);
      await writer.flush();
    },
  });
  const owned = ownership.owned;

  const writer = createBatchWriter({
    write: async (items) => {
      const states = await writeBatch(prisma, items, {
        workerId,
        webhooks: config.notifications.webhooks,
        redact: (t) => redactSecrets(t, options.secrets),
      });
      if (options.bus) await options.bus.publish(liveEventOf(items, states));
    },
    logger,
    limit: config.worker.bufferLimit,
    flushEveryMs: options.flushEveryMs,
    isDataError,
  });

  const beat = async () => {
    const now = new Date();
    const buffer = writer.stats();
    if (options.heartbeatFile) writeFileSync(options.heartbeatFile, now.toISOString());
    // Before the database row, and whatever becomes of it: these are what /api/health reads while PostgreSQL is down.
    await heartbeats.publish(buffer, owned, now);
    const values = {
      beatAt: now,
      bufferDepth: buffer.depth,
      droppedResults: BigInt(buffer.dropped),
      components: owned.size,
    };
    await prisma.workerHeartbeat.upsert({
      where: { workerId },
      create: { workerId, host: hostname(), pid: process.pid, startedAt, ...values },
      update: values,
    });
  };

  const runMaintenance = async () => {
    const now = new Date();
    if (!(await lock.claim(MAINTENANCE_KEY, 5 * 60_000))) return;
    await ensurePartitions(prisma, now.getTime() - DAY_MS, now.getTime() + 3 * DAY_MS);
    const dropped = await dropExpiredPartitions(prisma, config.history.retention, now);
    if (dropped.length > 0) logger.info({ dropped }, "retention dropped raw partitions");
    await runRollups(prisma, now);
    await pruneMinuteRollups(prisma, config.history.minuteRollupRetention, now);
    await prisma.notificationOutbox.deleteMany({
      where: { createdAt: { lt: new Date(now.getTime() - 7 * DAY_MS) }, NOT: { deliveredAt: null } },
    });
  };

  await ensurePartitions(prisma, startedAt.getTime() - DAY_MS, startedAt.getTime() + 3 * DAY_MS).catch(
    (error: unknown) => logger.warn({ err: (error as Error).message }, "could not create partitions yet"),
  );
  await beat().catch((error: unknown) => logger.warn({ err: (error as Error).message }, "worker heartbeat failed"));

  const claimComponent = (component: TComponent): Promise<boolean> => ownership.claim(component.id);

  const scheduler = createScheduler({
    components: config.components,
    concurrency: config.worker.concurrency,
    claim: claimComponent,
    probe: (component) => runProbe(component.probe, component.timeout),
    sink: async (component, outcome, slotAt) => {
      metrics.probeDuration.observe(
        { component: component.id, result: outcome.ok ? "ok" : "fail" },
        outcome.latencyMs / 1000,
      );
      const inMaintenance = activeMaintenance(config.maintenance, component.id, slotAt) !== null;
      writer.enqueue(toWriteItem(component, outcome, slotAt, inMaintenance));
    },
    onLag: (lagMs) => {
      metrics.schedulerLag.observe(Math.max(0, lagMs) / 1000);
      options.onSlotLag?.(lagMs);
    },
    onError: (error, component) => logger.error({ component: component.id, err: error }, "probe failed unexpectedly"),
  });
  scheduler.start();
  await ownership.start();

  const timers: NodeJS.Timeout[] = [];
  let running = true;
  const every = (ms: number, task: () => Promise<unknown>, label: string, firstAfterMs = ms) => {
    const loop = (delay = ms) => {
      const timer = setTimeout(() => {
        task()
          .catch((error: unknown) => logger.warn({ err: (error as Error).message }, `${label} failed`))
          .finally(() => {
            if (running) loop();
          });
      }, delay);
      timer.unref?.();
      timers.push(timer);
    };
    loop(firstAfterMs);
  };
  every(HEARTBEAT_MS, beat, "worker heartbeat");
  // Rollups keep the latency figures at most ~15 s behind; partitions and retention are cheap to check.
  every(
    options.maintenanceEveryMs ?? 15_000,
    runMaintenance,
    "history maintenance",
    Math.min(5_000, options.maintenanceEveryMs ?? 15_000),
  );
  if (config.scorecard) {
    // Readiness snapshots: a new one when a verdict or the score changes (a component going down, evidence
    // ageing past its maxAge), and hourly for the trend. Several workers are serialised by recordSnapshot.
    every(
      options.readinessEveryMs ?? 60_000,
      () => refreshReadiness({ prisma, config }),
      "readiness snapshot",
      Math.min(10_000, options.readinessEveryMs ?? 60_000),
    );
  }
  if (config.slos.length > 0) {
    // SLO alerts (fast burn, budget exhausted) as notification events, raised and cleared once each.
    every(
      options.readinessEveryMs ?? 60_000,
      () => announceSloAlerts({ prisma, config, now: new Date() }),
      "SLO alerts",
      Math.min(15_000, options.readinessEveryMs ?? 60_000),
    );
  }
  if (config.notifications.webhooks.length > 0) {
    every(
      1_000,
      () =>
        deliverDueNotifications({
          prisma,
          webhooks: config.notifications.webhooks,
          systemName: config.system.name,
          logger,
        }),
      "notifications",
    );
  }
  logger.info({ workerId, components: config.components.length, lock: lock.kind }, "worker started");

  return {
    workerId,
    scheduler,
    flush: () => writer.flush(),
    runMaintenance,
    stats: () => ({ buffer: writer.stats(), scheduler: scheduler.stats() }),
    claim: async (componentId) => {
      const component = config.components.find((c) => c.id === componentId);
      return component ? claimComponent(component) : false;
    },
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      await scheduler.stop();
      await writer.stop();
      await ownership.stop();
      await lock.release(MAINTENANCE_KEY);
      await lock.close();
      await prisma.workerHeartbeat.delete({ where: { workerId } }).catch(() => undefined);
      await heartbeats.remove();
      logger.info({ workerId }, "worker stopped");
    },
  };
}
