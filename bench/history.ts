import { performance } from "node:perf_hooks";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { seededRandom } from "../lib/history/histogram-test-support";
import { getLatencyStats, type LatencyStats } from "../lib/history/latency";
import { ensurePartitions } from "../lib/history/partitions";
import { runRollups } from "../lib/history/rollup";
import { getComponentStatuses, UPTIME_WINDOWS } from "../lib/queries/component-status";
import { buildTestConfig } from "../lib/testing/config";
import { ZSlos } from "../lib/config/slo-schema";
import { getSlos } from "../lib/slo/read";
import {
  DAY_MS,
  benchScale,
  dropDatabase,
  fixed,
  grouped,
  log,
  openDatabase,
  percentile,
  runBench,
  since,
  summary,
  timed,
  type BenchDatabase,
} from "./support";

// bench history: the read path of a component page (30-day latency percentiles from the rollups, plus
// uptime from the status periods) for ONE component, on a database holding 100 components x 30 days of
// 10 s results (~26 M raw rows, dataset A) and on one holding 1 % of that (1 component, dataset B). The
// component's own history is identical in both, so the ratio of query times shows whether reads grow with
// the total history. Target: ratio under 1.5 and p95 under 50 ms. BENCH_SCALE scales A's component count.

const FULL_COMPONENTS = 100;
const DAYS = 30;
const STEP_MS = 10_000;
const WARMUP = 20;
const ROUNDS = 200;
/** Data covers [START, END); END, the "now" of the queries, is minute- but not hour-aligned, so a 30-day
 *  window reads ~719 hour rows plus minute rows at both edges, as a page at an arbitrary time does. */
const END = Date.parse("2026-03-01T12:25:00Z");
const START = END - DAYS * DAY_MS;
const QUERIED = "c000";
const INCIDENTS_PER_COMPONENT = 5;

type Incident = { start: number; end: number };
type Component = { id: string; n: number; incidents: Incident[] };

function componentsOf(count: number): Component[] {
  return Array.from({ length: count }, (_, n) => {
    // A handful of down incidents per component, one per 6-day slot, 1 to 30 minutes each, seeded by n.
    const random = seededRandom(1_000 + n);
    const slot = (DAYS * DAY_MS) / INCIDENTS_PER_COMPONENT;
    const incidents = Array.from({ length: INCIDENTS_PER_COMPONENT }, (_, j) => {
      const start = START + j * slot + Math.floor((random() * (slot - DAY_MS)) / STEP_MS) * STEP_MS;
      return { start, end: start + (1 + Math.floor(random() * 30)) * 60_000 };
    });
    return { id: `c${String(n).padStart(3, "0")}`, n, incidents };
  });
}

// A uniform in (0, 1) from a hash of (epoch second, seed): the same component gets the same history in
// both databases and in any chunk order, unlike random().
const uniform = (seed: string) =>
  `((hashint8extended(e, ${seed}) & 4503599627370495)::float8 + 0.5) / 4503599627370496`;
// Log-normal: median 20-65 ms depending on the component, sigma 0.5 (p99 about 3.2 x the median).
const LATENCY = `(20 + 5 * (c.n % 10)) * exp(0.5 * sqrt(-2 * ln(${uniform("c.n * 8 + 1")})) * cos(2 * pi() * ${uniform("c.n * 8 + 2")}))`;

const INSERT_SQL = `
INSERT INTO "probe_result" ("component_id", "checked_at", "ok", "status", "latency_ms", "detail", "error", "worker_id")
SELECT id, t, ok, (CASE WHEN ok THEN 'up' ELSE 'down' END)::"ComponentStatus", CASE WHEN ok THEN latency ELSE 2000 END,
  CASE WHEN ok THEN 'HTTP 200' END, CASE WHEN NOT ok THEN 'timed out after 2000 ms' END, 'bench'
FROM (
  SELECT c.id, g.t, ${LATENCY} AS latency,
    i.n IS NULL AND ${uniform("c.n * 8 + 3")} >= 0.005 AS ok
  FROM unnest($1::text[], $2::int[]) AS c(id, n)
  CROSS JOIN generate_series($3::timestamptz, $4::timestamptz - interval '10 seconds', interval '10 seconds') AS g(t)
  CROSS JOIN LATERAL (SELECT extract(epoch FROM g.t)::bigint AS e) AS k
  LEFT JOIN unnest($5::int[], $6::timestamptz[], $7::timestamptz[]) AS i(n, s, x) ON i.n = c.n AND g.t >= i.s AND g.t < i.x
) AS rows`;

const iso = (ms: number) => new Date(ms).toISOString();

/** Raw results, one statement per day for every component (~864 000 rows at full scale). */
async function generateRaw(prisma: PrismaClient, components: Component[]): Promise<number> {
  await ensurePartitions(prisma, START, END);
  const incidents = components.flatMap((c) => c.incidents.map((i) => ({ n: c.n, ...i })));
  const started = performance.now();
  for (let day = 0; day < DAYS; day++) {
    const from = START + day * DAY_MS;
    const { value: rows, ms } = await timed(() =>
      prisma.$executeRawUnsafe(
        INSERT_SQL,
        components.map((c) => c.id),
        components.map((c) => c.n),
        iso(from),
        iso(from + DAY_MS),
        incidents.map((i) => i.n),
        incidents.map((i) => iso(i.start)),
        incidents.map((i) => iso(i.end)),
      ),
    );
    log(
      `  raw day ${String(day + 1).padStart(2)}/${DAYS}: ${grouped(rows)} rows in ${fixed(ms / 1000, 1)} s (${grouped(Math.round(rows / (ms / 1000)))} rows/s)`,
    );
  }
  return since(started);
}

/** Status periods consistent with the raw rows: up, down for each incident, up again; the last one open. */
async function generatePeriods(prisma: PrismaClient, components: Component[]): Promise<number> {
  type Period = { id: string; status: "up" | "down"; start: number; lastSeen: number; end: number | null };
  const periods: Period[] = components.flatMap((c) => {
    const out: Period[] = [];
    let upFrom = START;
    for (const i of c.incidents) {
      out.push({ id: c.id, status: "up", start: upFrom, lastSeen: i.start - STEP_MS, end: i.start });
      out.push({ id: c.id, status: "down", start: i.start, lastSeen: i.end - STEP_MS, end: i.end });
      upFrom = i.end;
    }
    out.push({ id: c.id, status: "up", start: upFrom, lastSeen: END - STEP_MS, end: null });
    return out;
  });
  return prisma.$executeRawUnsafe(
    `INSERT INTO "state_period" ("component_id", "status", "started_at", "last_seen_at", "ended_at", "interval_ms")
     SELECT c, s::"ComponentStatus", a, l, x, ${STEP_MS} FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[]) AS p(c, s, a, l, x)`,
    periods.map((p) => p.id),
    periods.map((p) => p.status),
    periods.map((p) => iso(p.start)),
    periods.map((p) => iso(p.lastSeen)),
    periods.map((p) => (p.end === null ? null : iso(p.end))),
  );
}

/** Rollups through the real code path, a day at a time: mark the day's minutes dirty, then runRollups. */
async function rollUp(prisma: PrismaClient, components: Component[]): Promise<number> {
  const started = performance.now();
  for (let day = 0; day < DAYS; day++) {
    const from = START + day * DAY_MS;
    const { value, ms } = await timed(async () => {
      await prisma.$executeRawUnsafe(
        `INSERT INTO "rollup_dirty" ("component_id", "minute")
         SELECT c, m FROM unnest($1::text[]) AS c, generate_series($2::timestamptz, $3::timestamptz - interval '1 minute', interval '1 minute') AS m
         ON CONFLICT DO NOTHING`,
        components.map((c) => c.id),
        iso(from),
        iso(from + DAY_MS),
      );
      return runRollups(prisma, new Date(from + DAY_MS - 1));
    });
    log(
      `  rollup day ${String(day + 1).padStart(2)}/${DAYS}: ${grouped(value.minutes)} minute rows, ${grouped(value.hours)} hour rows in ${fixed(ms / 1000, 1)} s`,
    );
  }
  return since(started);
}

type Counts = { raw: number; periods: number; minutes: number; hours: number };

async function countRows(prisma: PrismaClient): Promise<Counts> {
  const [row] = await prisma.$queryRawUnsafe<{ raw: bigint; periods: bigint; minutes: bigint; hours: bigint }[]>(
    `SELECT (SELECT count(*) FROM "probe_result") AS raw, (SELECT count(*) FROM "state_period") AS periods,
            (SELECT count(*) FROM "rollup_minute") AS minutes, (SELECT count(*) FROM "rollup_hour") AS hours`,
  );
  if (!row) throw new Error("count query returned no row");
  return { raw: Number(row.raw), periods: Number(row.periods), minutes: Number(row.minutes), hours: Number(row.hours) };
}

type Dataset = { name: string; bench: BenchDatabase; counts: Counts; generateMs: number; rollupMs: number };

async function buildDataset(name: string, componentCount: number): Promise<Dataset> {
  const bench = await openDatabase(`pf_bench_history_${name.toLowerCase()}`);
  const components = componentsOf(componentCount);
  log(
    `dataset ${name}: ${componentCount} component(s) x ${DAYS} days at ${STEP_MS / 1000} s (${grouped(componentCount * DAYS * (DAY_MS / STEP_MS))} raw rows), database ${bench.db.name}`,
  );
  const generateMs = await generateRaw(bench.prisma, components);
  const periods = await generatePeriods(bench.prisma, components);
  log(`  generated in ${fixed(generateMs / 1000, 1)} s; ${grouped(periods)} status periods`);
  const rollupMs = await rollUp(bench.prisma, components);
  log(`  rollups in ${fixed(rollupMs / 1000, 1)} s`);
  const vacuum = await timed(() => bench.prisma.$executeRawUnsafe("VACUUM (ANALYZE)"));
  log(`  VACUUM (ANALYZE) in ${fixed(vacuum.ms / 1000, 1)} s`);
  const counts = await countRows(bench.prisma);
  log(
    `  rows: ${grouped(counts.raw)} raw, ${grouped(counts.periods)} periods, ${grouped(counts.minutes)} minute rollups, ${grouped(counts.hours)} hour rollups`,
  );
  return { name, bench, counts, generateMs, rollupMs };
}

const config = buildTestConfig({
  components: [
    { id: QUERIED, name: "C000", service: "HTTP", probe: { type: "http", url: "http://127.0.0.1:9/health" } },
  ],
});

type Sample = { combinedMs: number; latencyMs: number; uptimeMs: number };
type Reading = { stats: LatencyStats; uptimePct: number | null };

/** What a page does for one component over 30 days: both queries at once, as getSystemHealth runs them. */
async function readComponent(prisma: PrismaClient): Promise<{ sample: Sample; reading: Reading }> {
  const now = new Date(END);
  const started = performance.now();
  const [latency, uptime] = await Promise.all([
    timed(() => getLatencyStats(prisma, QUERIED, new Date(END - DAYS * DAY_MS), now)),
    timed(() => getComponentStatuses({ prisma, config, now })),
  ]);
  const combinedMs = since(started);
  return {
    sample: { combinedMs, latencyMs: latency.ms, uptimeMs: uptime.ms },
    reading: {
      stats: latency.value,
      uptimePct: uptime.value.get(QUERIED)?.uptime.get(UPTIME_WINDOWS["30d"])?.pct ?? null,
    },
  };
}

function describeReading(r: Reading): string {
  const s = r.stats;
  return `count=${s.count} failures=${s.failures} p50=${fixed(s.p50Ms ?? Number.NaN, 2)} p95=${fixed(s.p95Ms ?? Number.NaN, 2)} p99=${fixed(s.p99Ms ?? Number.NaN, 2)} ms (${s.source}), uptime 30d=${fixed(r.uptimePct ?? Number.NaN, 4)} %`;
}

async function measure(datasets: Dataset[]): Promise<Map<string, Sample[]>> {
  const samples = new Map<string, Sample[]>(datasets.map((d) => [d.name, []]));
  for (const d of datasets) {
    let reading: Reading | undefined;
    for (let i = 0; i < WARMUP; i++) reading = (await readComponent(d.bench.prisma)).reading;
    if (reading) log(`  ${d.name}: ${QUERIED} over ${DAYS} d: ${describeReading(reading)}`);
  }
  log(`measuring ${ROUNDS} rounds after ${WARMUP} warm-ups each, datasets alternating`);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? datasets : [...datasets].reverse();
    for (const d of order) samples.get(d.name)?.push((await readComponent(d.bench.prisma)).sample);
  }
  return samples;
}

await runBench(async () => {
  const components = Math.max(1, Math.round(FULL_COMPONENTS * benchScale()));
  log(`history benchmark: ${components} components in A, 1 in B; ${DAYS} days ending ${iso(END)}; querying ${QUERIED}`);
  const b = await buildDataset("B", 1);
  const a = await buildDataset("A", components);
  log("warm-up readings (the same component history in both):");
  const samples = await measure([a, b]);

  const stats = (name: string, pick: (s: Sample) => number) => {
    const values = (samples.get(name) ?? []).map(pick);
    return { p50: percentile(values, 0.5), p95: percentile(values, 0.95), max: Math.max(...values) };
  };
  for (const d of [a, b]) {
    const c = stats(d.name, (s) => s.combinedMs);
    const l = stats(d.name, (s) => s.latencyMs);
    const u = stats(d.name, (s) => s.uptimeMs);
    log(
      `  ${d.name} (${grouped(d.counts.raw)} raw rows): combined p50=${fixed(c.p50, 2)} p95=${fixed(c.p95, 2)} max=${fixed(c.max, 2)} ms` +
        ` | latency p50=${fixed(l.p50, 2)} p95=${fixed(l.p95, 2)} | uptime p50=${fixed(u.p50, 2)} p95=${fixed(u.p95, 2)}`,
    );
  }
  const ca = stats("A", (s) => s.combinedMs);
  const cb = stats("B", (s) => s.combinedMs);
  const ratio = ca.p95 / cb.p95;
  const met = ratio < 1.5 && ca.p95 < 50 && cb.p95 < 50;
  log(`  ratio p95(A)/p95(B) = ${fixed(ratio, 3)}; target (ratio < 1.5, p95 < 50 ms): ${met ? "met" : "NOT met"}`);

  // bench slo: 100 SLOs over 30 days on dataset A, as the overview, the gate and /metrics evaluate them (one
  // getSlos call): one per component, half availability (status periods), half latency under 200 ms (rollups).
  const sloComponents = componentsOf(components).map((c) => c.id);
  const sloConfig = buildTestConfig({
    components: sloComponents.map((id) => ({
      id,
      name: id,
      service: "HTTP",
      probe: { type: "http", url: "http://127.0.0.1:9/" },
    })),
  });
  const slos = ZSlos.parse(
    sloComponents.map((id, i) =>
      i % 2 === 0
        ? { id: `${id}-up`, name: id, component: id, sli: { availability: {} }, objective: 99.9, window: "30d" }
        : {
            id: `${id}-fast`,
            name: id,
            component: id,
            sli: { latency: { threshold: "200ms" } },
            objective: 99,
            window: "30d",
          },
    ),
  );
  const sloCtx = { prisma: a.bench.prisma, config: sloConfig, now: new Date(END) };
  for (let i = 0; i < 5; i++) await getSlos(sloCtx, slos);
  const sloTimes: number[] = [];
  for (let i = 0; i < 40; i++) sloTimes.push((await timed(() => getSlos(sloCtx, slos))).ms);
  const sloP50 = percentile(sloTimes, 0.5);
  const sloP95 = percentile(sloTimes, 0.95);
  log(
    `  ${slos.length} SLOs over ${DAYS} d on A: p50=${fixed(sloP50, 2)} p95=${fixed(sloP95, 2)} ms (target p95 < 100 ms)`,
  );

  await dropDatabase(a.bench);
  await dropDatabase(b.bench);
  log(
    summary("history", {
      components_a: components,
      raw_rows_a: a.counts.raw,
      raw_rows_b: b.counts.raw,
      p50_ms_a: fixed(ca.p50, 2),
      p95_ms_a: fixed(ca.p95, 2),
      p50_ms_b: fixed(cb.p50, 2),
      p95_ms_b: fixed(cb.p95, 2),
      ratio: fixed(ratio, 3),
      generate_s: fixed(a.generateMs / 1000, 1),
      rollup_s: fixed(a.rollupMs / 1000, 1),
      target_met: met ? "yes" : "no",
    }),
  );
  log(
    summary("slo", {
      slos: slos.length,
      window_days: DAYS,
      raw_rows: a.counts.raw,
      p50_ms: fixed(sloP50, 2),
      p95_ms: fixed(sloP95, 2),
      target_met: sloP95 < 100 ? "yes" : "no",
    }),
  );
});
