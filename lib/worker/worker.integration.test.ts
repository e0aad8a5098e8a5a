import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TConfig } from "../config/schema";
import { createPrismaClient } from "../db/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded";
import { migrateDatabase } from "../db/migrate";
import type { PrismaClient } from "../generated/prisma/client";
import { createTestDatabase, MIGRATIONS_DIR, TEST_POSTGRES_URL, TEST_REDIS_URL, type TestDatabase } from "../testing/database";
import { startWorker } from "./run";

const config: TConfig = {
  version: 1,
  system: { name: "itest" },
  defaults: { interval: 1_000, timeout: 500 },
  components: [
    { id: "db", name: "Database", service: "PostgreSQL", interval: 1_000, timeout: 500, probe: { type: "postgres", url: TEST_POSTGRES_URL } },
    { id: "cache", name: "Cache", service: "Redis", interval: 1_000, timeout: 500, probe: { type: "redis", url: TEST_REDIS_URL } },
    {
      id: "gone",
      name: "Gone",
      service: "nothing",
      interval: 1_000,
      timeout: 500,
      probe: { type: "http", url: "http://127.0.0.1:9/health", method: "GET", headers: {}, followRedirects: false },
    },
  ],
};

const logger = pino({ level: "silent" });

async function runWorkerFor(prisma: PrismaClient, ms: number) {
  const worker = await startWorker({ config, secrets: new Set(), prisma, logger, mode: "standalone" });
  const heartbeats = await prisma.workerHeartbeat.count({ where: { workerId: worker.workerId } });
  await new Promise((resolve) => setTimeout(resolve, ms));
  await worker.stop();
  return { heartbeats };
}

async function expectStoredHistory(prisma: PrismaClient) {
  const states = await prisma.componentState.findMany({ orderBy: { componentId: "asc" } });
  expect(states.map((s) => [s.componentId, s.status])).toEqual([
    ["cache", "up"],
    ["db", "up"],
    ["gone", "down"],
  ]);
  const gone = states.find((s) => s.componentId === "gone");
  expect(gone?.lastError).toBe("connection refused (ECONNREFUSED)");
  expect(gone?.consecutiveFailures).toBeGreaterThanOrEqual(2);
  const db = states.find((s) => s.componentId === "db");
  expect(db?.lastDetail).toBe("SELECT 1 → 1");
  // Two and a half intervals: two or three slots per component, each stored as one raw row.
  for (const id of ["db", "cache", "gone"]) {
    const rows = await prisma.probeResult.count({ where: { componentId: id } });
    expect(rows).toBeGreaterThanOrEqual(2);
    expect(rows).toBeLessThanOrEqual(3);
  }
  // The stopped worker removed its heartbeat.
  expect(await prisma.workerHeartbeat.count()).toBe(0);
}

describe("worker on the real PostgreSQL server", () => {
  let database: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    database = await createTestDatabase("pf_worker");
    prisma = createPrismaClient(database.url, 4);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await database.drop();
  });

  it("stores raw results and the latest state of every component", async () => {
    const { heartbeats } = await runWorkerFor(prisma, 2_500);
    expect(heartbeats).toBe(1);
    await expectStoredHistory(prisma);
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

  it("stores raw results and the latest state of every component", async () => {
    await runWorkerFor(prisma, 2_500);
    await expectStoredHistory(prisma);
  });

  it("applies migrations once: a second run applies nothing", async () => {
    expect(await migrateDatabase(embedded.url, MIGRATIONS_DIR)).toMatchObject({ applied: [] });
  });
});
