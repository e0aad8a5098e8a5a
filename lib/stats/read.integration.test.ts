import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { BUCKET_SQL, histogramCount, histogramFromColumns, type SparseHistogram } from "../history/histogram";
import { ensurePartitions } from "../history/partitions";
import { pruneMinuteRollups, runRollups } from "../history/rollup";
import { writeBatch } from "../history/write-batch";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { toWriteItem, type WriteItem } from "../worker/state-tracker";
import { getLatencyHistogram } from "./read";

// The regression check's histogram read from the rollups, against the raw rows it summarises. Results go through the
// real write path (writeBatch) and the real rollups (runRollups); the expectation is recomputed from probe_result
// alone: the successful results whose minute starts in the window, bucketed by the same SQL expression the rollups use.

const MINUTE = 60_000;
const HOUR = 3_600_000;
const at = (hhmmss: string) => new Date(`2026-03-10T${hhmmss}Z`);
const START = at("09:13:20").getTime(); // neither on the hour nor on the minute
const END = at("14:47:00").getTime();
const NOW = at("15:00:00");
const INTERVAL = 20_000;

const config = buildTestConfig({
  components: ["api", "other"].map((id) => ({
    id,
    name: id,
    service: "S",
    probe: { type: "tcp", host: "127.0.0.1", port: 1 },
    interval: "20s",
    timeout: "5s",
  })),
});

/** Deterministic latencies spread over ~150 buckets (5-400 ms); "other" is ten times slower, so a leak shows. */
function latencyOf(i: number, component: string): number {
  const h = (Math.imul(i + 1, 2_654_435_761) >>> 0) % 39_501;
  return (5 + h / 100) * (component === "other" ? 10 : 1);
}

let database: TestDatabase;
let prisma: PrismaClient;
/** Check time and latency of every successful "api" result, for a count independent of SQL. */
const written: { t: number; ms: number }[] = [];

beforeAll(async () => {
  database = await createTestDatabase("pf_stats");
  prisma = createPrismaClient(database.url, 4);
  await ensurePartitions(prisma, START, END);
  const items: WriteItem[] = [];
  for (let t = START, i = 0; t <= END; t += INTERVAL, i++) {
    for (const component of config.components) {
      // One result in 13 fails: failures are not latencies and must stay out of the histogram.
      const ok = i % 13 !== 5;
      const ms = ok ? latencyOf(i, component.id) : 5_000;
      if (ok && component.id === "api") written.push({ t, ms });
      items.push(
        toWriteItem(component, { ok, latencyMs: ms, detail: null, error: ok ? null : "refused" }, new Date(t), false),
      );
    }
  }
  for (let k = 0; k < items.length; k += 500) {
    await writeBatch(prisma, items.slice(k, k + 500), { workerId: "test", webhooks: [], redact: (s) => s });
  }
  await runRollups(prisma, NOW);
}, 120_000);
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

/** The histogram of the raw successful results whose minute starts in [from, to). */
async function fromRawRows(componentId: string, from: Date, to: Date): Promise<SparseHistogram> {
  const rows = await prisma.$queryRawUnsafe<{ idx: number[] | null; counts: string[] | null }[]>(
    `SELECT array_agg(b ORDER BY b) AS idx, array_agg(n ORDER BY b) AS counts FROM (
       SELECT ${BUCKET_SQL('"latency_ms"')} AS b, count(*)::bigint AS n FROM "probe_result"
       WHERE "component_id" = $1 AND "ok"
         AND date_trunc('minute', "checked_at") >= $2::timestamptz
         AND date_trunc('minute', "checked_at") < $3::timestamptz
       GROUP BY 1) h`,
    componentId,
    from.toISOString(),
    to.toISOString(),
  );
  return histogramFromColumns(rows[0]?.idx ?? [], rows[0]?.counts ?? []);
}

const writtenIn = (from: Date, to: Date) =>
  written.filter(({ t }) => {
    const minute = Math.floor(t / MINUTE) * MINUTE;
    return minute >= from.getTime() && minute < to.getTime();
  }).length;

const WINDOWS: [string, Date, Date][] = [
  ["partial hours at both edges", at("09:27:40"), at("14:31:10")],
  ["whole hours only", at("11:00:00"), at("13:00:00")],
  ["inside one hour", at("12:05:00"), at("12:50:00")],
  ["the whole history", at("09:00:00"), at("16:00:00")],
  ["one minute", at("10:30:00"), at("10:31:00")],
];

describe("getLatencyHistogram", () => {
  it.each(WINDOWS)("equals the raw results' buckets: %s", async (_name, from, to) => {
    const histogram = await getLatencyHistogram({ prisma }, { componentId: "api", from, to });
    const expected = await fromRawRows("api", from, to);
    expect(histogram).toEqual(expected);
    expect(histogramCount(histogram)).toBe(writtenIn(from, to));
    expect(histogramCount(histogram)).toBeGreaterThan(0);
  });

  // Runs after the window tests above (vitest keeps a file's order): it deletes minute rows they read.
  it("reads whole hours from rollup_hour: they survive the pruning of minute rollups", async () => {
    const hours = await prisma.rollupHour.count({ where: { componentId: "api" } });
    expect(hours).toBe(6); // 09:00 to 14:00
    const whole = [at("10:00:00"), at("14:00:00")] as const;
    const before = await getLatencyHistogram({ prisma }, { componentId: "api", from: whole[0], to: whole[1] });
    // Every minute row before 14:00 goes; the 14:xx minutes stay.
    const pruned = await pruneMinuteRollups(prisma, NOW.getTime() - at("14:00:00").getTime(), NOW);
    expect(pruned).toBeGreaterThan(200);
    const after = await getLatencyHistogram({ prisma }, { componentId: "api", from: whole[0], to: whole[1] });
    expect(after).toEqual(before);
    expect(histogramCount(after)).toBe(writtenIn(...whole));
    // The partial 09:xx edge came from minute rows and is gone; the 14:xx edge still comes from them.
    const edged = await getLatencyHistogram(
      { prisma },
      { componentId: "api", from: at("09:27:40"), to: at("14:31:10") },
    );
    expect(edged).toEqual(await fromRawRows("api", at("10:00:00"), at("14:31:10")));
    expect(histogramCount(edged)).toBeLessThan(writtenIn(at("09:27:40"), at("14:31:10")));
  });

  it("is empty for a window without results and for an unknown component", async () => {
    expect(
      await getLatencyHistogram({ prisma }, { componentId: "api", from: at("06:00:00"), to: at("09:00:00") }),
    ).toEqual({
      idx: [],
      counts: [],
    });
    const none = await getLatencyHistogram(
      { prisma },
      { componentId: "nobody", from: at("09:00:00"), to: at("16:00:00") },
    );
    expect(histogramCount(none)).toBe(0);
  });

  it("rejects a window that ends before it starts", async () => {
    await expect(
      getLatencyHistogram(
        { prisma },
        { componentId: "api", from: at("12:00:00"), to: new Date(at("12:00:00").getTime() - HOUR) },
      ),
    ).rejects.toThrow(RangeError);
  });
});
