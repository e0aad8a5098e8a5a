import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import type { PrismaClient } from "../generated/prisma/client";
import { computeUptime } from "../monitor/uptime";
import { buildTestConfig } from "../testing/config";
import {
  createTestDatabase,
  MIGRATIONS_DIR,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  type TestDatabase,
} from "../testing/database";
import { slotOffsetMs } from "./scheduler";
import { startWorker } from "./run";

const logger = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const storeConfig = buildTestConfig({
  defaults: { interval: "1s", timeout: "500ms" },
  components: [
    { id: "db", name: "Database", service: "PostgreSQL", probe: { type: "postgres", url: TEST_POSTGRES_URL } },
    { id: "cache", name: "Cache", service: "Redis", probe: { type: "redis", url: TEST_REDIS_URL } },
    { id: "gone", name: "Gone", service: "nothing", probe: { type: "http", url: "http://127.0.0.1:9/health" } },
  ],
});

async function expectStoredHistory(prisma: PrismaClient) {
  const states = await prisma.componentState.findMany({ orderBy: { componentId: "asc" } });
  expect(states.map((s) => [s.componentId, s.status, s.observedStatus])).toEqual([
    ["cache", "up", "up"],
    ["db", "up", "up"],
    ["gone", "down", "down"],
  ]);
  expect(states.find((s) => s.componentId === "gone")?.lastError).toBe("connection refused (ECONNREFUSED)");
  for (const id of ["db", "cache", "gone"]) {
    const rows = await prisma.probeResult.count({ where: { componentId: id } });
    expect(rows).toBeGreaterThanOrEqual(2);
    expect(rows).toBeLessThanOrEqual(3);
  }
  // The confirmed history: one open period per component.
  const periods = await prisma.statePeriod.findMany({ where: { endedAt: null }, orderBy: { componentId: "asc" } });
  expect(periods.map((p) => [p.componentId, p.status])).toEqual([
    ["cache", "up"],
    ["db", "up"],
    ["gone", "down"],
  ]);
  expect(await prisma.workerHeartbeat.count()).toBe(0);
}

describe("worker on the real PostgreSQL server", () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  let flaky: Server;
  let flakyUrl = "";
  let requests = 0;
  const failOn = new Set<number>();

  beforeAll(async () => {
    database = await createTestDatabase("pf_worker");
    prisma = createPrismaClient(database.url, 4);
    flaky = createServer((_req, res) => {
      requests++;
      res.writeHead(failOn.has(requests) ? 503 : 200).end("ok");
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/health`;
  });
  afterAll(async () => {
    await new Promise((resolve) => flaky.close(resolve));
    await prisma.$disconnect();
    await database.drop();
  });

  it("stores raw results, the latest state and the status periods of every component", async () => {
    const worker = await startWorker({
      config: storeConfig,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(2_500);
    await worker.stop();
    await expectStoredHistory(prisma);
  });

  it("probes on the fixed grid with no drift over many slots", async () => {
    const config = buildTestConfig({
      defaults: { interval: "1s", timeout: "500ms" },
      components: [{ id: "grid", name: "Grid", service: "Redis", probe: { type: "redis", url: TEST_REDIS_URL } }],
    });
    const worker = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(12_300);
    await worker.stop();
    const rows = await prisma.probeResult.findMany({ where: { componentId: "grid" }, orderBy: { checkedAt: "asc" } });
    const times = rows.map((r) => r.checkedAt.getTime());
    expect(times.length).toBeGreaterThanOrEqual(11);
    const offset = slotOffsetMs("grid", 1_000);
    for (const t of times) expect((t - offset) % 1_000).toBe(0);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBe(1_000);
    // The timers themselves fire close to their slots.
    expect(worker.stats().scheduler.maxLagMs).toBeLessThan(200);
  });

  it("suppresses a single failure (failureThreshold 2): raw result down, confirmed state stays up", async () => {
    failOn.clear();
    requests = 0;
    for (const n of [3]) failOn.add(n);
    const config = buildTestConfig({
      defaults: { interval: "1s", timeout: "500ms" },
      components: [{ id: "flaky", name: "Flaky", service: "HTTP", probe: { type: "http", url: flakyUrl } }],
    });
    const worker = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(5_300);
    await worker.stop();
    const raw = await prisma.probeResult.findMany({ where: { componentId: "flaky" }, orderBy: { checkedAt: "asc" } });
    expect(raw.map((r) => r.status)).toContain("down");
    expect(raw.filter((r) => r.status === "down")).toHaveLength(1);
    const periods = await prisma.statePeriod.findMany({ where: { componentId: "flaky" } });
    expect(periods.map((p) => p.status)).toEqual(["up"]);
    expect((await prisma.componentState.findUnique({ where: { componentId: "flaky" } }))?.status).toBe("up");
  });

  it("confirms down after two consecutive failures, dated from the first", async () => {
    failOn.clear();
    requests = 0;
    for (const n of [3, 4, 5]) failOn.add(n);
    const config = buildTestConfig({
      defaults: { interval: "1s", timeout: "500ms" },
      components: [{ id: "flaky2", name: "Flaky", service: "HTTP", probe: { type: "http", url: flakyUrl } }],
    });
    const worker = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(7_300);
    await worker.stop();
    const raw = await prisma.probeResult.findMany({ where: { componentId: "flaky2" }, orderBy: { checkedAt: "asc" } });
    const firstFailure = raw.find((r) => r.status === "down")?.checkedAt;
    const periods = await prisma.statePeriod.findMany({
      where: { componentId: "flaky2" },
      orderBy: { startedAt: "asc" },
    });
    expect(periods.map((p) => p.status)).toEqual(["up", "down", "up"]);
    expect(periods[1]?.startedAt).toEqual(firstFailure);
    expect(periods[0]?.endedAt).toEqual(firstFailure);
    // Time to recover is the down period's length: three failed one-second slots.
    expect((periods[1]?.endedAt?.getTime() ?? 0) - (periods[1]?.startedAt.getTime() ?? 0)).toBe(3_000);
  });

  it("announces confirmed changes to webhooks, not single failures, and not inside a maintenance window", async () => {
    const received: Record<string, unknown>[] = [];
    const hook = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    failOn.clear();
    requests = 0;
    for (const n of [2, 5, 6]) failOn.add(n);
    const now = Date.now();
    const config = buildTestConfig({
      defaults: { interval: "1s", timeout: "500ms" },
      components: [
        { id: "hooked", name: "Hooked", service: "HTTP", probe: { type: "http", url: flakyUrl } },
        { id: "quiet", name: "Quiet", service: "HTTP", probe: { type: "http", url: "http://127.0.0.1:9/" } },
      ],
      maintenance: [
        {
          name: "quiet time",
          components: ["quiet"],
          start: new Date(now - 60_000).toISOString(),
          end: new Date(now + 600_000).toISOString(),
        },
      ],
      notifications: { webhooks: [{ name: "ops", url: hookUrl, format: "json" }] },
    });
    const worker = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(9_500);
    await worker.stop();
    await new Promise((resolve) => hook.close(resolve));
    const transitions = received.map((r) => `${String(r.component)}:${String(r.from)}->${String(r.to)}`);
    // Request 2 alone fails (suppressed); 5 and 6 fail (down confirmed), then it recovers. "quiet" is down
    // throughout, inside its maintenance window: recorded, but never announced.
    // The first "up" (from unknown, at start) is not news and is not announced.
    expect(transitions).toEqual(["hooked:up->down", "hooked:down->up"]);
    expect(received[0]).toMatchObject({ system: "test-system", error: "HTTP 503, expected 2xx" });
    expect((await prisma.componentState.findUnique({ where: { componentId: "quiet" } }))?.status).toBe("down");
  }, 20_000);

  it("reads a gap as unknown: no worker for a while is neither up nor down", async () => {
    const config = buildTestConfig({
      defaults: { interval: "1s", timeout: "500ms" },
      components: [{ id: "gappy", name: "Gappy", service: "Redis", probe: { type: "redis", url: TEST_REDIS_URL } }],
    });
    const first = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(2_200);
    await first.stop();
    // Longer than three intervals plus the 2 s grace: the state goes stale.
    await sleep(6_500);
    const second = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(2_200);
    await second.stop();
    const periods = await prisma.statePeriod.findMany({
      where: { componentId: "gappy" },
      orderBy: { startedAt: "asc" },
    });
    expect(periods.map((p) => p.status)).toEqual(["up", "up"]);
    const gapStart = periods[0]?.endedAt?.getTime() ?? 0;
    const gapEnd = periods[1]?.startedAt.getTime() ?? 0;
    expect(gapEnd - gapStart).toBeGreaterThan(5_000);
    const window = { start: periods[0]?.startedAt.getTime() ?? 0, end: Date.now() };
    const uptime = computeUptime(periods, window, [], new Date());
    expect(uptime.unknownMs).toBeGreaterThan(5_000);
    expect(uptime.downMs).toBe(0);
    expect(uptime.uptimePct).toBe(100);
  });
});

describe("worker on the embedded database", () => {
  let embedded: EmbeddedDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    embedded = await startEmbeddedDatabase(mkdtempSync(join(tmpdir(), "pf-embedded-")));
    await migrateDatabase(embedded.url, MIGRATIONS_DIR);
    prisma = createPrismaClient(embedded.url, 1);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await embedded.stop();
  });

  it("stores raw results, the latest state and the status periods of every component", async () => {
    const worker = await startWorker({
      config: storeConfig,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
    });
    await sleep(2_500);
    await worker.stop();
    await expectStoredHistory(prisma);
  });

  it("rolls the results up, partitions included", async () => {
    const worker = await startWorker({
      config: storeConfig,
      secrets: new Set(),
      prisma,
      logger,
      mode: "standalone",
      flushEveryMs: 50,
      maintenanceEveryMs: 60_000,
    });
    await sleep(2_200);
    await worker.stop();
    await worker.runMaintenance();
    for (const id of ["db", "gone"]) {
      const rollups = await prisma.rollupMinute.findMany({ where: { componentId: id } });
      const raw = await prisma.probeResult.findMany({ where: { componentId: id } });
      expect(rollups.reduce((n, r) => n + Number(r.count), 0)).toBe(raw.length);
      expect(rollups.reduce((n, r) => n + Number(r.failures), 0)).toBe(raw.filter((r) => !r.ok).length);
    }
    expect(await prisma.rollupDirty.count()).toBe(0);
    const partitions = await prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = '"probe_result"'::regclass`,
    );
    expect(partitions[0]?.n).toBeGreaterThanOrEqual(5);
  });
});
