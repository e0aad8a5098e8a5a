import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from "../testing/database";
import { spawnWorkerProcess, stopProcess, writeTempConfig } from "../testing/worker-process";
import { redisNamespace } from "../redis";
import { ProbeNowUnavailableError, requestProbeNow } from "./probe-now";
import { startWorker } from "./run";

let database: TestDatabase;
let prisma: PrismaClient;
beforeAll(async () => {
  database = await createTestDatabase("pf_probenow");
  prisma = createPrismaClient(database.url, 2);
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe("probe now", () => {
  it("runs in this process when the embedded worker owns the component, and stores the result", async () => {
    const config = buildTestConfig({
      defaults: { interval: "1h", timeout: "5s" },
      components: [{ id: "now-local", name: "Cache", service: "Redis", probe: { type: "redis", url: TEST_REDIS_URL } }],
    });
    const worker = await startWorker({
      config,
      secrets: new Set(),
      prisma,
      logger: pino({ level: "silent" }),
      mode: "embedded",
      flushEveryMs: 50,
    });
    try {
      const outcome = await requestProbeNow({
        componentId: "now-local",
        localWorker: worker,
        redisUrl: undefined,
        namespace: "unused",
        timeoutMs: 3_000,
      });
      expect(outcome).toMatchObject({ ok: true, detail: "PONG" });
      await worker.flush();
      expect(await prisma.probeResult.count({ where: { componentId: "now-local" } })).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it("reaches a worker in another process over Redis", async () => {
    const { path: configPath } = writeTempConfig(
      `version: 1\nsystem: { name: now }\ndefaults: { interval: 1h, timeout: 5s }\ncomponents:\n  - { id: now-remote, name: Cache, service: Redis, probe: { type: redis, url: "${TEST_REDIS_URL}" } }\n`,
    );
    const child = spawnWorkerProcess({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      PREFLIGHT_CONFIG: configPath,
    });
    try {
      // The worker claims its component at its first slot; with a 1 h interval that is the probe-now itself.
      let outcome = null;
      for (let i = 0; i < 40 && !outcome; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        outcome = await requestProbeNow({
          componentId: "now-remote",
          localWorker: null,
          redisUrl: TEST_REDIS_URL,
          namespace: redisNamespace(database.url),
          timeoutMs: 6_000,
        }).catch(() => null);
      }
      expect(outcome).toMatchObject({ ok: true, detail: "PONG" });
    } finally {
      await stopProcess(child);
    }
  }, 30_000);

  it("says why when no worker can be asked", async () => {
    await expect(
      requestProbeNow({
        componentId: "x",
        localWorker: null,
        redisUrl: undefined,
        namespace: "unused",
        timeoutMs: 500,
      }),
    ).rejects.toThrow(ProbeNowUnavailableError);
  });
});
