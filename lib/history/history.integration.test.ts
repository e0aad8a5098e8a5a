import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { deliverDueNotifications } from "../worker/notifier";
import { MAX_RELATIVE_ERROR } from "./histogram";
import { getLatencyStats } from "./latency";
import { dropExpiredPartitions, ensurePartitions, listPartitions, partitionName } from "./partitions";
import { runRollups } from "./rollup";
import { writeBatch } from "./write-batch";

const DAY = 86_400_000;
let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase("pf_history");
  prisma = createPrismaClient(database.url, 4);
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe("day partitions", () => {
  it("are created ahead, and retention drops whole partitions, never rows of kept days", async () => {
    const now = new Date("2026-03-10T12:00:00Z");
    await ensurePartitions(prisma, now.getTime() - 40 * DAY, now.getTime() + 3 * DAY);
    const names = await listPartitions(prisma);
    expect(names).toContain(partitionName(Date.parse("2026-03-13T00:00:00Z")));
    expect(names).toContain(partitionName(Date.parse("2026-01-29T00:00:00Z")));
    // Creating again is a no-op.
    expect(await ensurePartitions(prisma, now.getTime(), now.getTime() + 3 * DAY)).toEqual([]);

    await prisma.$executeRawUnsafe(
      `INSERT INTO probe_result (component_id, checked_at, ok, status, latency_ms, worker_id)
       VALUES ('p', '2026-01-30T10:00:00Z', true, 'up', 1, 'w'), ('p', '2026-02-20T10:00:00Z', true, 'up', 1, 'w')`,
    );
    const dropped = await dropExpiredPartitions(prisma, 30 * DAY, now);
    expect(dropped).toContain("probe_result_p20260130");
    expect(dropped).not.toContain("probe_result_p20260208");
    expect(dropped.every((name) => name < "probe_result_p20260208")).toBe(true);
    const left = await prisma.probeResult.findMany({ where: { componentId: "p" } });
    expect(left.map((r) => r.checkedAt.toISOString())).toEqual(["2026-02-20T10:00:00.000Z"]);
  });
});

describe("rollups", () => {
  const distributions = {
    // Latencies in ms: uniform 5-200, log-normal around 40, bimodal 8 / 250 (cache hits and misses).
    uniform: "5 + random() * 195",
    lognormal: "exp(ln(40) + 0.6 * sqrt(-2 * ln(greatest(random(), 1e-12))) * cos(2 * pi() * random()))",
    bimodal: "CASE WHEN random() < 0.8 THEN 8 + random() * 4 ELSE 230 + random() * 40 END",
  };

  it.each(Object.entries(distributions))(
    "match exact percentiles within the bound (%s)",
    async (name, expression) => {
      const component = `roll-${name}`;
      const start = new Date("2026-03-09T00:00:00Z");
      await ensurePartitions(prisma, start, start.getTime() + 3 * DAY);
      // Three days of 10 s checks, 1 % failures: 25 920 raw rows.
      await prisma.$executeRawUnsafe(
        `INSERT INTO probe_result (component_id, checked_at, ok, status, latency_ms, worker_id)
       SELECT $1, t, ok, CASE WHEN ok THEN 'up' ELSE 'down' END::"ComponentStatus", CASE WHEN ok THEN ${expression} ELSE 2000 END, 'bench'
       FROM (SELECT t, random() > 0.01 AS ok FROM generate_series($2::timestamptz, $2::timestamptz + interval '3 days' - interval '10 seconds', interval '10 seconds') t) s`,
        component,
        start.toISOString(),
      );
      await prisma.$executeRawUnsafe(
        `INSERT INTO rollup_dirty (component_id, minute) SELECT DISTINCT component_id, date_trunc('minute', checked_at) FROM probe_result WHERE component_id = $1 ON CONFLICT DO NOTHING`,
        component,
      );
      await runRollups(prisma, new Date("2026-03-12T00:00:00Z"));
      expect(await prisma.rollupDirty.count({ where: { componentId: component } })).toBe(0);

      for (const [from, to] of [
        [start, new Date(start.getTime() + 3_600_000)],
        [new Date(start.getTime() + 90 * 60_000), new Date(start.getTime() + DAY + 17 * 60_000)],
        [start, new Date(start.getTime() + 3 * DAY)],
      ] as const) {
        const stats = await getLatencyStats(prisma, component, from, to);
        const exact = (
          await prisma.$queryRawUnsafe<
            { n: number; f: number; p50: number; p95: number; p99: number; avg: number; mn: number; mx: number }[]
          >(
            `SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT ok)::int AS f,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE ok) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE ok) AS p95,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FILTER (WHERE ok) AS p99,
             avg(latency_ms) FILTER (WHERE ok) AS avg, min(latency_ms) FILTER (WHERE ok) AS mn, max(latency_ms) FILTER (WHERE ok) AS mx
           FROM probe_result WHERE component_id = $1 AND checked_at >= $2::timestamptz AND checked_at < $3::timestamptz`,
            component,
            from.toISOString(),
            to.toISOString(),
          )
        )[0];
        expect(stats.count).toBe(exact?.n);
        expect(stats.failures).toBe(exact?.f);
        expect(stats.minMs).toBeCloseTo(exact?.mn ?? 0, 9);
        expect(stats.maxMs).toBeCloseTo(exact?.mx ?? 0, 9);
        expect(stats.avgMs).toBeCloseTo(exact?.avg ?? 0, 6);
        for (const q of ["p50", "p95", "p99"] as const) {
          const approx = stats[`${q}Ms`] ?? 0;
          const truth = exact?.[q] ?? 0;
          expect(
            Math.abs(approx - truth) / truth,
            `${name} ${q} over ${from.toISOString()}..${to.toISOString()}`,
          ).toBeLessThanOrEqual(MAX_RELATIVE_ERROR + 1e-9);
        }
        expect(stats.source).toBe(to.getTime() - from.getTime() > 2 * DAY ? "hour" : "minute");
      }
    },
    60_000,
  );

  it("are recomputed, not added to, when late results arrive for a rolled-up minute", async () => {
    const t = "2026-03-11T05:05:00Z";
    const insert = (latency: number) =>
      prisma.$executeRawUnsafe(
        `INSERT INTO probe_result (component_id, checked_at, ok, status, latency_ms, worker_id) VALUES ('late', $1::timestamptz + make_interval(secs => $2), true, 'up', $2, 'w');
         `,
        t,
        latency,
      );
    const markDirty = () =>
      prisma.$executeRawUnsafe(`INSERT INTO rollup_dirty VALUES ('late', $1::timestamptz) ON CONFLICT DO NOTHING`, t);
    await insert(10);
    await markDirty();
    await runRollups(prisma, new Date("2026-03-12T00:00:00Z"));
    await runRollups(prisma, new Date("2026-03-12T00:00:00Z"));
    await insert(20);
    await markDirty();
    await runRollups(prisma, new Date("2026-03-12T00:00:00Z"));
    const minute = await prisma.rollupMinute.findFirst({ where: { componentId: "late" } });
    const hour = await prisma.rollupHour.findFirst({ where: { componentId: "late" } });
    expect(Number(minute?.count)).toBe(2);
    expect(Number(hour?.count)).toBe(2);
    expect(minute?.sumMs).toBe(30);
  });
});

describe("webhook notifications", () => {
  let server: Server;
  let url = "";
  const received: { body: string; at: number }[] = [];
  let failFirst = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        if (failFirst > 0) {
          failFirst--;
          res.writeHead(500).end();
          return;
        }
        received.push({ body, at: Date.now() });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("delivers generic JSON and Slack-compatible bodies, retrying a failed delivery with backoff", async () => {
    const webhooks = [
      { name: "ops-json", url, format: "json" as const, headers: {} },
      { name: "ops-slack", url, format: "slack" as const, headers: {} },
    ];
    const payload = {
      event: "component.state_changed",
      component: "api",
      from: "up",
      to: "down",
      at: "2026-01-14T10:00:00.000Z",
      error: "connection refused (ECONNREFUSED)",
    };
    await prisma.notificationOutbox.createMany({
      data: webhooks.map((w) => ({ webhook: w.name, componentId: "api", payload })),
    });
    failFirst = 1;
    const logger = pino({ level: "silent" });
    const first = await deliverDueNotifications({ prisma, webhooks, systemName: "x0tta6bl4", logger });
    expect(first).toEqual({ delivered: 1, failed: 0 });
    const pending = await prisma.notificationOutbox.findFirst({ where: { deliveredAt: null } });
    expect(pending?.attempts).toBe(1);
    expect(pending?.lastError).toBe("HTTP 500");
    // Not due again before its backoff (1 s) has passed.
    expect(await deliverDueNotifications({ prisma, webhooks, systemName: "x0tta6bl4", logger })).toEqual({
      delivered: 0,
      failed: 0,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await deliverDueNotifications({ prisma, webhooks, systemName: "x0tta6bl4", logger })).toEqual({
      delivered: 1,
      failed: 0,
    });
    const bodies = received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies).toContainEqual(expect.objectContaining({ system: "x0tta6bl4", component: "api", to: "down" }));
    expect(bodies).toContainEqual({
      text: expect.stringMatching(/x0tta6bl4: api is DOWN since 2026-01-14T10:00:00.000Z, was up \(connection refused/),
    });
    expect(await prisma.notificationOutbox.count({ where: { deliveredAt: null } })).toBe(0);
  });
});

describe("writeBatch", () => {
  it("stores a reply with a NUL byte (which PostgreSQL text refuses) without it, and redacts secrets", async () => {
    const now = new Date();
    await ensurePartitions(prisma, now, now);
    const item = {
      componentId: "nul",
      checkedAt: now,
      outcome: { ok: false, latencyMs: 1, detail: "a\u0000b", error: "token s3cret-value\u0000 refused" },
      observed: "down" as const,
      rules: { intervalMs: 1_000, failureThreshold: 2, successThreshold: 1 },
      inMaintenance: false,
    };
    await writeBatch(prisma, [item], {
      workerId: "w",
      webhooks: [],
      redact: (t) => t.replaceAll("s3cret-value", "****"),
    });
    const row = await prisma.probeResult.findFirst({ where: { componentId: "nul" } });
    expect(row).toMatchObject({ detail: "ab", error: "token **** refused" });
  });
});

describe("status periods across a gap inside one batch", () => {
  it("end where the last check before the gap stopped vouching, not at the previous batch's last check", async () => {
    // A buffered replay: one result at 12:00:00, then one batch of checks every 10 s to 12:01:40 and one at 12:05:00.
    const { buildTestConfig } = await import("../testing/config");
    const { toWriteItem } = await import("../worker/state-tracker");
    const config = buildTestConfig({
      components: [
        {
          id: "replay",
          name: "R",
          service: "S",
          probe: { type: "tcp", host: "127.0.0.1", port: 1 },
          interval: "10s",
          timeout: "5s",
        },
      ],
    });
    const component = config.components[0];
    if (!component) throw new Error("no component");
    const t = (hhmmss: string) => new Date(`2026-03-11T${hhmmss}Z`);
    await ensurePartitions(prisma, t("00:00:00").getTime(), t("23:59:59").getTime());
    const up = (at: Date) => toWriteItem(component, { ok: true, latencyMs: 5, detail: null, error: null }, at, false);
    const options = { workerId: "w", webhooks: [], redact: (s: string) => s };
    await writeBatch(prisma, [up(t("12:00:00"))], options);
    const batch = [];
    for (let s = 10; s <= 100; s += 10) batch.push(up(new Date(t("12:00:00").getTime() + s * 1000)));
    batch.push(up(t("12:05:00")));
    await writeBatch(prisma, batch, options);
    const periods = await prisma.statePeriod.findMany({
      where: { componentId: "replay" },
      orderBy: { startedAt: "asc" },
    });
    expect(periods.map((p) => [p.status, p.startedAt.toISOString(), p.endedAt?.toISOString() ?? null])).toEqual([
      ["up", t("12:00:00").toISOString(), t("12:01:50").toISOString()],
      ["up", t("12:05:00").toISOString(), null],
    ]);
    expect(periods[0]?.lastSeenAt.toISOString()).toBe(t("12:01:40").toISOString());
  });
});
