import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { startPrivateRedis, type PrivateRedis } from "../testing/private-redis";
import { startProbeTarget, type ProbeTarget } from "../testing/probe-target";
import { createRedisLock } from "./locks";
import { startWorker, type RunningWorker } from "./run";

// Two workers share the components through a private Redis, which is killed for 60 s mid-run ("Trust III": both
// workers then tracked state at once). Without Redis both probe everything and store every result, and the
// components fail twice: once while Redis is away, once across its return (and blip once, for one slot). The history must still hold one
// period at a time per component, none inverted, exactly one incident per outage and one notification per change,
// with no slot missed; once Redis is back the workers split the components again and stop duplicating. Then Redis
// hangs for 10 s (SIGSTOP: connections open, no answers), which must not cost a slot either.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const COMPONENTS = 10;
const logger = pino({ level: "silent" });

type Period = { component_id: string; status: string; started_at: Date; last_seen_at: Date; ended_at: Date | null };

describe("Redis outage with two workers", () => {
  let redis: PrivateRedis;
  let database: TestDatabase;
  const clients: PrismaClient[] = [];
  let target: ProbeTarget;
  let hook: Server;
  let hookUrl = "";

  beforeAll(async () => {
    redis = await startPrivateRedis();
    database = await createTestDatabase("pf_redis_out");
    target = await startProbeTarget();
    hook = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    for (const prisma of clients) await prisma.$disconnect();
    await database?.drop();
    await redis?.destroy();
    await target?.close();
    await new Promise((resolve) => hook?.close(resolve));
  });

  it("keeps one state history per component, one incident per outage, and no slot lost", async () => {
    const namespace = `pf-outage-${Date.now().toString(36)}`;
    const config = buildTestConfig({
      defaults: { interval: "1s", timeout: "500ms" },
      components: Array.from({ length: COMPONENTS }, (_, i) => ({
        id: `c${i}`,
        name: `C${i}`,
        service: "HTTP",
        probe: { type: "http", url: target.urlFor(`c${i}`) },
      })),
      notifications: { webhooks: [{ name: "ops", url: hookUrl, format: "json" }] },
    });
    const start = (): Promise<RunningWorker> => {
      const prisma = createPrismaClient(database.url, 4);
      clients.push(prisma);
      return startWorker({
        config,
        secrets: new Set(),
        prisma,
        logger,
        mode: "standalone",
        flushEveryMs: 100,
        createLock: (id) => createRedisLock(redis.url, id, logger, namespace),
      });
    };
    const owners = async () => {
      const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await client.connect();
        const keys = await client.keys(`${namespace}:owner:*`);
        return keys.length > 0 ? new Set(await client.mget(...keys)) : new Set();
      } finally {
        client.disconnect();
      }
    };

    const t0 = Date.now();
    const at = (ms: number) => sleep(Math.max(0, t0 + ms - Date.now()));
    const a = await start();
    const b = await start();
    const prisma = clients[0];
    if (!prisma) throw new Error("no client");
    let stopped = false;
    try {
      await at(4_000);
      expect((await owners()).size, "both workers hold a share before the outage").toBe(2);

      await at(5_000);
      const redisDownAt = Date.now();
      await redis.kill();
      await at(12_000);
      target.setFailing(true);
      const firstFaultAt = Date.now();
      await at(24_000);
      target.setFailing(false);
      const firstRecoveryAt = Date.now();
      // A blip both workers see in the same slot: one failure, not an incident, however many copies are stored.
      await at(32_000);
      target.setFailing(true);
      await sleep(400);
      target.setFailing(false);
      await at(40_000);
      target.setFailing(true);
      const secondFaultAt = Date.now();
      await at(65_000);
      await redis.start();
      const redisUpAt = Date.now();
      await at(72_000);
      target.setFailing(false);
      const secondRecoveryAt = Date.now();
      await at(78_000);
      expect((await owners()).size, "both workers hold a share again").toBe(2);
      const pausedAt = Date.now();
      redis.pause();
      await at(88_000);
      redis.resume();
      await at(96_000);
      expect((await owners()).size, "both workers hold a share after the hang").toBe(2);
      await Promise.all([a.stop(), b.stop()]);
      stopped = true;

      // Both workers probed every component while Redis was away: the slots probed twice prove it; each is stored
      // once all the same. Once the shares are settled again, no slot is probed twice.
      const stored = await prisma.$queryRawUnsafe<{ twice: number }[]>(
        `SELECT count(*)::int AS twice FROM (SELECT 1 FROM probe_result GROUP BY component_id, checked_at HAVING count(*) > 1) d`,
      );
      expect(stored[0]?.twice, "each slot stored once").toBe(0);
      const count = (m: Map<string, number[]>) => [...m.values()].reduce((n, slots) => n + slots.length, 0);
      expect(count(target.slotsProbedTwice(1_000, redisDownAt, redisUpAt))).toBeGreaterThan(COMPONENTS * 40);
      expect(
        count(target.slotsProbedTwice(1_000, redisUpAt + 5_000, pausedAt)),
        "no slot probed twice once the shares are settled again",
      ).toBe(0);

      const periods = await prisma.$queryRawUnsafe<Period[]>(
        `SELECT component_id, status::text AS status, started_at, last_seen_at, ended_at FROM state_period ORDER BY component_id, started_at`,
      );
      const outbox = await prisma.$queryRawUnsafe<{ component_id: string; to: string }[]>(
        `SELECT component_id, payload->>'to' AS to FROM notification_outbox ORDER BY id`,
      );
      for (let i = 0; i < COMPONENTS; i++) {
        const id = `c${i}`;
        const mine = periods.filter((p) => p.component_id === id);
        // Up, the outage while Redis was away, up, the outage across its return, up: nothing twice, nothing inverted.
        expect(
          mine.map((p) => p.status),
          id,
        ).toEqual(["up", "down", "up", "down", "up"]);
        for (const [k, p] of mine.entries()) {
          const next = mine[k + 1];
          if (p.ended_at) {
            expect(p.ended_at.getTime(), `${id} period ${k} ends after it starts`).toBeGreaterThan(
              p.started_at.getTime(),
            );
            expect(p.ended_at.getTime(), `${id} period ${k} ends after its last check`).toBeGreaterThanOrEqual(
              p.last_seen_at.getTime(),
            );
          }
          if (next)
            expect(p.ended_at?.getTime(), `${id} period ${k} ends where the next starts`).toBe(
              next.started_at.getTime(),
            );
        }
        const downs = mine.filter((p) => p.status === "down");
        const near = (actual: Date | null | undefined, expected: number) =>
          expect(Math.abs((actual?.getTime() ?? 0) - expected)).toBeLessThan(1_600);
        near(downs[0]?.started_at, firstFaultAt);
        near(downs[0]?.ended_at, firstRecoveryAt);
        near(downs[1]?.started_at, secondFaultAt);
        near(downs[1]?.ended_at, secondRecoveryAt);
        // One notification per change: down and up, twice.
        expect(
          outbox.filter((n) => n.component_id === id).map((n) => n.to),
          id,
        ).toEqual(["down", "up", "down", "up"]);
      }

      // Not a slot missed, Redis or not: one result (or two) for every slot from the first to the last.
      const slots = await prisma.$queryRawUnsafe<{ component_id: string; gaps: number; first: Date; last: Date }[]>(
        `SELECT component_id, count(*) FILTER (WHERE gap > interval '1 second')::int AS gaps, min(t) AS first, max(t) AS last
         FROM (SELECT component_id, t, t - lag(t) OVER (PARTITION BY component_id ORDER BY t) AS gap
               FROM (SELECT DISTINCT component_id, checked_at AS t FROM probe_result) s) g
         GROUP BY component_id ORDER BY component_id`,
      );
      expect(slots).toHaveLength(COMPONENTS);
      for (const s of slots) {
        expect(s.gaps, `${s.component_id}: slots missed`).toBe(0);
        expect(s.first.getTime() - t0).toBeLessThan(3_000);
        expect(s.last.getTime()).toBeGreaterThan(pausedAt + 15_000);
      }
      expect(redisUpAt - redisDownAt).toBeGreaterThanOrEqual(60_000);
    } finally {
      if (!stopped) await Promise.allSettled([a.stop(), b.stop()]);
    }
  }, 170_000);
});
