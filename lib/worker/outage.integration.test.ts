import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import type { PrismaClient } from "../generated/prisma/client";
import { buildTestConfig } from "../testing/config";
import { MIGRATIONS_DIR } from "../testing/database";
import { startPrivatePostgres, type PrivatePostgres } from "../testing/private-postgres";
import { startWorker } from "./run";

// The history database goes away mid-run (a private PostgreSQL server the test stops and starts again):
// the worker keeps probing, buffers the results, and writes every one of them when the database is back.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const COMPONENTS = 50;

describe("database outage", () => {
  let postgres: PrivatePostgres;
  let prisma: PrismaClient;
  let target: Server;
  let targetUrl = "";

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    await migrateDatabase(postgres.url, MIGRATIONS_DIR);
    prisma = createPrismaClient(postgres.url, 4);
    target = createServer((_req, res) => res.writeHead(200).end("ok"));
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/health`;
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    postgres?.destroy();
    await new Promise((resolve) => target.close(resolve));
  });

  it("loses no result while PostgreSQL is stopped and restarted", async () => {
    const config = buildTestConfig({
      defaults: { interval: "1s", timeout: "500ms" },
      components: Array.from({ length: COMPONENTS }, (_, i) => ({
        id: `c${i}`,
        name: `C${i}`,
        service: "HTTP",
        probe: { type: "http", url: targetUrl },
      })),
    });
    const worker = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger: pino({ level: "silent" }),
      mode: "standalone",
      flushEveryMs: 100,
    });
    await sleep(3_000);
    postgres.stop();
    await sleep(8_000);
    const during = worker.stats().buffer;
    expect(during.depth).toBeGreaterThanOrEqual(COMPONENTS * 6);
    expect(during.lastError).not.toBeNull();
    postgres.start();
    for (let i = 0; i < 60 && worker.stats().buffer.depth > 0; i++) await sleep(250);
    await sleep(2_000);
    await worker.stop();

    const { probes } = worker.stats().scheduler;
    const { dropped, failedFlushes } = worker.stats().buffer;
    expect(dropped).toBe(0);
    expect(failedFlushes).toBeGreaterThan(0);
    const rows = await prisma.probeResult.findMany({
      select: { componentId: true, checkedAt: true },
      orderBy: { checkedAt: "asc" },
    });
    expect(rows).toHaveLength(probes);
    // Every component has one row per slot from its first to its last: no slot is missing.
    const byComponent = new Map<string, number[]>();
    for (const row of rows)
      byComponent.set(row.componentId, [...(byComponent.get(row.componentId) ?? []), row.checkedAt.getTime()]);
    expect(byComponent.size).toBe(COMPONENTS);
    for (const times of byComponent.values()) {
      expect(times.length).toBeGreaterThanOrEqual(12);
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBe(1_000);
    }
  }, 60_000);
});
