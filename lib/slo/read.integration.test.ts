import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZSlos, type TSlo } from "../config/slo-schema";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { BUCKET_SQL, bucketIndex } from "../history/histogram";
import { ensurePartitions } from "../history/partitions";
import { runRollups } from "../history/rollup";
import { writeBatch } from "../history/write-batch";
import { clipInterval, lengthOutside, totalLength, type Interval } from "../monitor/intervals";
import { maintenanceIntervals } from "../monitor/maintenance";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { toWriteItem, type WriteItem } from "../worker/state-tracker";
import {
  BURN_WINDOW_NAMES,
  BURN_WINDOWS,
  budgetPointTimes,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  type TSloAmounts,
} from "./compute";
import type { TSloMeasurement } from "./measurement";
import { getSlo, getSlos, toResult } from "./read";

// SLO figures from stored history on a real PostgreSQL, against a recomputation from the raw probe_result rows.
// Five days of 30 s checks go through the real write path (writeBatch folds them into state periods) and the real
// rollups; the SLOs read only periods and rollups. The recomputation reads only raw rows: availability by giving each
// result the time to the next one (or one interval, when the next is later than the staleness limit, as the state
// tracker does), latency by counting each result in the minute it was taken. Thresholds are 1, so a result's status
// is the confirmed status and the raw rows say exactly what the periods should.

const NOW = Date.parse("2026-03-10T12:34:30Z"); // neither on the hour nor on the minute: every edge is partial
const INTERVAL = 30_000;
const STALE_AFTER = 3 * INTERVAL + 2_000;
const START = Math.floor((NOW - 5 * DAY_MS) / MINUTE_MS) * MINUTE_MS + 5_000;
const WINDOW_START = NOW - 4 * DAY_MS;
const ago = (ms: number) => NOW - ms;
const span = (from: number, minutes: number): Interval => ({ start: from, end: from + minutes * MINUTE_MS });

// What happens to each component, as intervals of check times.
const ALPHA = {
  down: [
    span(ago(4.5 * DAY_MS), 30), // before the 4 d window: must not count
    span(WINDOW_START + 5 * MINUTE_MS, 10), // in the window's first, partial hour (minute rows)
    span(ago(2 * DAY_MS), 25), // in hour rows
    span(ago(4 * HOUR_MS), 2), // in the last six hours (minute rows)
    span(ago(20 * MINUTE_MS), 20), // still down: a fast burn
  ],
  gap: [span(ago(3.5 * DAY_MS), 180)], // no worker for three hours: unknown
  slow: [span(ago(DAY_MS), 60)], // answers in 250-900 ms
};
const MAINTENANCE = { start: Date.parse("2026-03-08T10:20:00Z"), end: Date.parse("2026-03-08T11:40:00Z") };
const BETA = {
  down: [span(Date.parse("2026-03-08T10:30:00Z"), 30), span(Date.parse("2026-03-08T11:30:00Z"), 20)],
  gap: [] as Interval[],
  slow: [MAINTENANCE, span(ago(3 * HOUR_MS), 15)],
};

const config = buildTestConfig({
  components: ["alpha", "beta", "gamma"].map((id) => ({
    id,
    name: id,
    service: "S",
    probe: { type: "tcp", host: "127.0.0.1", port: 1 },
    interval: "30s",
    timeout: "5s",
    failureThreshold: 1,
    successThreshold: 1,
  })),
  maintenance: [
    {
      name: "beta upgrade",
      components: ["beta"],
      start: new Date(MAINTENANCE.start).toISOString(),
      end: new Date(MAINTENANCE.end).toISOString(),
    },
  ],
});

const SLOS: TSlo[] = ZSlos.parse([
  {
    id: "alpha-up",
    name: "Alpha availability",
    component: "alpha",
    sli: { availability: {} },
    objective: 98,
    window: "4d",
  },
  {
    id: "system-up",
    name: "System availability",
    system: true,
    sli: { availability: {} },
    objective: 99.5,
    window: "4d",
  },
  {
    id: "alpha-fast",
    name: "Alpha latency",
    component: "alpha",
    sli: { latency: { threshold: "200ms" } },
    objective: 99,
    window: "4d",
  },
  {
    id: "system-fast",
    name: "System latency",
    system: true,
    sli: { latency: { threshold: "100ms" } },
    objective: 60,
    window: "4d",
  },
  { id: "alpha-month", name: "Alpha, 30 days", component: "alpha", sli: { availability: {} }, objective: 99.9 },
  { id: "gamma-up", name: "Gamma", component: "gamma", sli: { availability: {} }, objective: 99.9, window: "4d" },
]);

const inAny = (t: number, intervals: Interval[]) => intervals.some((i) => t >= i.start && t < i.end);

/** Deterministic latencies: 20-150 ms (hundredths), 250-900 ms when slow. */
function latencyAt(i: number, slow: boolean): number {
  const h = (Math.imul(i + 1, 2_654_435_761) >>> 0) % 13_001;
  return slow ? 250 + (h % 65_001) / 100 : 20 + h / 100;
}

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase("pf_slo");
  prisma = createPrismaClient(database.url, 4);
  await ensurePartitions(prisma, START - DAY_MS, NOW + DAY_MS);
  const plan = { alpha: ALPHA, beta: BETA };
  const items: WriteItem[] = [];
  for (let t = START, i = 0; t <= NOW; t += INTERVAL, i++) {
    for (const [id, events] of Object.entries(plan)) {
      if (inAny(t, events.gap)) continue;
      const component = config.components.find((c) => c.id === id);
      if (!component) throw new Error(id);
      const ok = !inAny(t, events.down);
      // Alpha also has a slow answer now and then (every 37th check): hours whose tail above 200 ms is a few entries.
      const slow = inAny(t, events.slow) || (id === "alpha" && i % 37 === 0);
      const outcome = { ok, latencyMs: ok ? latencyAt(i, slow) : 5_000, detail: null, error: ok ? null : "refused" };
      items.push(toWriteItem(component, outcome, new Date(t), id === "beta" && inAny(t, [MAINTENANCE])));
    }
  }
  // Batches of up to 2 000 results, as a worker catching up writes them; a batch ends where checks stopped, as the
  // worker's own batches do when it stops (a gap inside one batch is closed early by writeBatch: see the report).
  const gapStarts = ALPHA.gap.map((g) => g.start);
  let batch: typeof items = [];
  for (const item of items) {
    const t = item.checkedAt.getTime();
    if (batch.length >= 2_000 || gapStarts.some((g) => (batch.at(-1)?.checkedAt.getTime() ?? t) < g && t >= g)) {
      await writeBatch(prisma, batch, { workerId: "test", webhooks: [], redact: (s) => s });
      batch = [];
    }
    batch.push(item);
  }
  await writeBatch(prisma, batch, { workerId: "test", webhooks: [], redact: (s) => s });
  await runRollups(prisma, new Date(NOW));
}, 120_000);
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

type RawRow = { component_id: string; t: number; m: number; ok: boolean; latency_ms: number; b: number };

async function rawRows(): Promise<RawRow[]> {
  const rows = await prisma.$queryRawUnsafe<RawRow[]>(
    `SELECT component_id, (extract(epoch FROM checked_at) * 1000)::float8 AS t,
            (extract(epoch FROM date_trunc('minute', checked_at)) * 1000)::float8 AS m, ok, latency_ms,
            ${BUCKET_SQL("latency_ms")}::int AS b
     FROM probe_result ORDER BY component_id, checked_at`,
  );
  return rows.map((r) => ({ ...r, t: Number(r.t), m: Number(r.m), b: Number(r.b) }));
}

const maintenanceOf = (id: string, from: number, to: number): Interval[] =>
  maintenanceIntervals(config.maintenance, id, { start: from, end: to }, { uptimeOnly: true })
    .map((m) => clipInterval(m, { start: from, end: to }))
    .filter((m): m is Interval => m !== null);

/** Each result vouches for the time to the next one, or for one interval when the next comes after a gap. */
function spans(rows: RawRow[]): (Interval & { ok: boolean })[] {
  return rows.map((row, i) => {
    const next = rows[i + 1];
    const end = next && next.t - row.t <= STALE_AFTER ? next.t : Math.min(row.t + INTERVAL, NOW);
    return { start: row.t, end, ok: row.ok };
  });
}

function availabilityOver(raw: RawRow[], ids: string[], from: number, to: number): TSloAmounts {
  const total = { good: 0, bad: 0, unknown: 0 };
  for (const id of ids) {
    const maintenance = maintenanceOf(id, from, to);
    let known = 0;
    for (const s of spans(raw.filter((r) => r.component_id === id))) {
      const clipped = clipInterval(s, { start: from, end: to });
      if (!clipped) continue;
      const length = lengthOutside(clipped, maintenance);
      known += length;
      if (s.ok) total.good += length;
      else total.bad += length;
    }
    total.unknown += to - from - totalLength(maintenance) - known;
  }
  return total;
}

function latencyOver(raw: RawRow[], ids: string[], thresholdMs: number, from: number, to: number) {
  const total = { good: 0, bad: 0, unknown: 0, plainGood: 0 };
  const threshold = bucketIndex(thresholdMs);
  for (const row of raw) {
    if (!ids.includes(row.component_id) || row.m < from || row.m >= to) continue;
    // A minute that overlaps maintenance is left out whole.
    if (maintenanceOf(row.component_id, from, to).some((w) => w.start < row.m + MINUTE_MS && w.end > row.m)) continue;
    if (row.ok && row.b < threshold) total.good += 1;
    else total.bad += 1;
    if (row.ok && row.latency_ms < thresholdMs) total.plainGood += 1;
  }
  return total;
}

/** The whole measurement of one SLO, from raw rows only; for latency also the good count by the plain threshold. */
function recompute(slo: TSlo, raw: RawRow[]): { measurement: TSloMeasurement; plainGood?: number } {
  const ids = "component" in slo.target ? [slo.target.component] : config.components.map((c) => c.id);
  const start = NOW - slo.window;
  if (slo.sli.kind === "availability") {
    const over = (from: number) => availabilityOver(raw, ids, from, NOW);
    const burn = Object.fromEntries(
      BURN_WINDOW_NAMES.map((n) => [n, over(NOW - BURN_WINDOWS[n])]),
    ) as TSloMeasurement["burn"];
    const points = budgetPointTimes(start, NOW).map((t) => {
      const before = availabilityOver(raw, ids, start, t);
      return { t, badSoFar: before.bad, knownSoFar: before.good + before.bad };
    });
    return { measurement: { unit: "ms", window: over(start), burn, points, source: "", reason: null } };
  }
  if (slo.sli.kind !== "latency") throw new Error("not a stored SLI");
  const { thresholdMs } = slo.sli;
  const over = (from: number, to = NOW) => latencyOver(raw, ids, thresholdMs, from, to);
  // The 3 d window starts at its first whole hour (hour rows cannot be split); the others are exact to the minute.
  const from = (n: (typeof BURN_WINDOW_NAMES)[number]) =>
    n === "3d" ? Math.ceil((NOW - BURN_WINDOWS[n]) / HOUR_MS) * HOUR_MS : NOW - BURN_WINDOWS[n];
  const amounts = ({ good, bad }: { good: number; bad: number }) => ({ good, bad, unknown: 0 });
  const burn = Object.fromEntries(BURN_WINDOW_NAMES.map((n) => [n, amounts(over(from(n)))])) as TSloMeasurement["burn"];
  const window = over(start);
  const expected = ids.reduce(
    (sum, id) => sum + (slo.window - totalLength(maintenanceOf(id, start, NOW))) / INTERVAL,
    0,
  );
  const points = budgetPointTimes(start, NOW).map((t) => {
    const before = over(start, t);
    return { t, badSoFar: before.bad, knownSoFar: before.good + before.bad };
  });
  const coverage = Math.min(1, (window.good + window.bad) / expected);
  return {
    measurement: { unit: "events", window: amounts(window), burn, coverage, points, source: "", reason: null },
    plainGood: window.plainGood,
  };
}

describe("SLO figures from stored history", () => {
  let raw: RawRow[];
  beforeAll(async () => {
    raw = await rawRows();
  });
  const ctx = () => ({ prisma, config, now: new Date(NOW) });

  it("equal a recomputation from the raw rows, for every SLO, budget chart included", async () => {
    const results = await getSlos(ctx(), SLOS, { series: true });
    expect(results.map((r) => r.id)).toEqual(SLOS.map((s) => s.id));
    for (const slo of SLOS) {
      const result = results.find((r) => r.id === slo.id);
      const { measurement } = recompute(slo, raw);
      expect(result, slo.id).toEqual(toResult(slo, { ...measurement, source: result?.source ?? "" }));
    }
  });

  it("show the outages the history was given", async () => {
    const alpha = await getSlo(ctx(), SLOS, "alpha-up");
    // Down 10 + 25 + 2 minutes, and the last 20 minutes (to the last check at 12:34:05, covered to now): 57 minutes,
    // give or take a check either side of each outage.
    expect(Math.abs((alpha?.amounts.bad ?? 0) - 57 * MINUTE_MS)).toBeLessThanOrEqual(4 * INTERVAL);
    // The three-hour gap is unknown, neither good nor bad.
    expect(Math.abs((alpha?.amounts.unknown ?? 0) - 3 * HOUR_MS)).toBeLessThanOrEqual(INTERVAL);
    // 1 h: 20 of 60 minutes down, over the 2 % allowed = 16.7; 5 m: 50. A fast burn, half the budget left.
    expect(alpha?.burn["1h"]).toBeCloseTo((19 * MINUTE_MS + 55_000) / HOUR_MS / 0.02, 6);
    expect(alpha?.state).toBe("fast burn");
    expect(alpha?.budget.remainingPct).toBeGreaterThan(40);
    expect(alpha?.budget.exhaustsInMs).toBeGreaterThan(0);
    expect(alpha?.source).toBe("probe history (state periods) of alpha, 4d rolling");
    expect(alpha?.series).toEqual([]);
    const charted = await getSlo(ctx(), SLOS, "alpha-up", { series: true });
    expect(charted?.series.at(-1)?.remainingPct).toBeCloseTo(alpha?.budget.remainingPct ?? 0, 9);
    expect({ ...charted, series: [] }).toEqual(alpha);
  });

  it("leave maintenance out: beta's outage inside the window costs nothing, the part after it does", async () => {
    const raw4d = availabilityOver(raw, ["beta"], WINDOW_START, NOW);
    // The 11:30-11:50 outage counts from 11:40, when maintenance ended: 10 minutes and the 5 s to the first check.
    expect(raw4d.bad).toBe(10 * MINUTE_MS + 5_000);
    const system = await getSlo(ctx(), SLOS, "system-up");
    const alpha = await getSlo(ctx(), SLOS, "alpha-up");
    expect(system?.amounts.bad).toBe((alpha?.amounts.bad ?? 0) + raw4d.bad);
    // Gamma never reported: its whole window is unknown in the system's figures.
    expect(system?.amounts.unknown).toBe((alpha?.amounts.unknown ?? 0) + 4 * DAY_MS);
  });

  it("count latency conservatively: the threshold's own histogram bucket is bad", async () => {
    const strict = recompute(SLOS[2] as TSlo, raw);
    const loose = recompute(SLOS[3] as TSlo, raw);
    // No alpha latency lies within 1 % under 200 ms, so the histogram count is the exact count.
    expect(strict.plainGood).toBe(strict.measurement.window.good);
    // Around 100 ms some do: they count as bad, never the other way round.
    expect(loose.plainGood).toBeGreaterThan(loose.measurement.window.good);
    expect((loose.plainGood ?? 0) - loose.measurement.window.good).toBeLessThan(0.02 * loose.measurement.window.good);
    const alphaFast = await getSlo(ctx(), SLOS, "alpha-fast");
    // The slow hour (120 checks), the slow answers now and then (1 in 37) and the failed checks are the bad events.
    expect(alphaFast?.amounts.bad).toBeGreaterThanOrEqual(120 + 11_000 / 37);
    expect(alphaFast?.coverage).toBeGreaterThan(0.9);
    expect(alphaFast?.coverage).toBeLessThan(1);
  });

  it("say what they do not know: a window mostly before the history, a component never checked", async () => {
    const month = await getSlo(ctx(), SLOS, "alpha-month");
    // Five days of thirty, less the three-hour gap.
    expect(month?.coverage).toBeCloseTo((5 * DAY_MS - 3 * HOUR_MS - 25_000) / (30 * DAY_MS), 4);
    const gamma = await getSlo(ctx(), SLOS, "gamma-up");
    expect(gamma).toMatchObject({ state: "no data", sli: null, coverage: 0 });
  });

  it("read rollups and periods only: with the raw rows gone, every figure stands", async () => {
    const before = await getSlos(ctx(), SLOS, { series: true });
    await prisma.$executeRawUnsafe(`DELETE FROM probe_result`);
    expect(await getSlos(ctx(), SLOS, { series: true })).toEqual(before);
  });
});
