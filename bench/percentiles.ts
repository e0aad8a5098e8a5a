import type { PrismaClient } from "../lib/generated/prisma/client";
import { MAX_RELATIVE_ERROR } from "../lib/history/histogram";
import { getLatencyStats } from "../lib/history/latency";
import { ensurePartitions } from "../lib/history/partitions";
import { runRollups } from "../lib/history/rollup";
import {
  DAY_MS,
  benchScale,
  dropDatabase,
  fixed,
  grouped,
  log,
  openDatabase,
  runBench,
  summary,
  timed,
} from "./support";

// bench percentiles: p50/p95/p99 from the rollups (getLatencyStats: minute rows up to two days, hour rows
// with minute edges beyond) against the exact percentile_cont over the raw rows of the same window, for
// three latency distributions. Target: every relative error under 1 % (the histogram's bound is 0.4975 %).
// BENCH_SCALE scales the days of data (at least 3, so the longest window still reads hour rows).

const STEP_MS = 10_000;
/** Minute- but not hour-aligned, so the longest window reads hour rows plus minute rows at both edges. */
const START = Date.parse("2026-02-02T00:20:00Z");
const QUANTILES = [0.5, 0.95, 0.99] as const;

/** One standard normal deviate per use, by Box-Muller (1 - random() keeps ln away from 0). */
const NORMAL = "(sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()))";
/** The shapes of lib/history/histogram-test-support.ts, in SQL. */
const DISTRIBUTIONS = {
  uniform: "1 + random() * 499",
  lognormal: `40 * exp(${NORMAL})`,
  bimodal: `CASE WHEN random() < 0.8 THEN abs(2 + 0.3 * ${NORMAL}) ELSE abs(250 + 40 * ${NORMAL}) END`,
} as const;
type Distribution = keyof typeof DISTRIBUTIONS;

type Window = { label: string; from: number; to: number };

function windowsFor(days: number): Window[] {
  const at = (d: number, h: number, m: number) => START + d * DAY_MS + (h * 60 + m) * 60_000;
  return [
    { label: "1h", from: at(1, 10, 10), to: at(1, 11, 10) },
    { label: "24h", from: at(1, 5, 15), to: at(2, 5, 15) },
    { label: `${days}d`, from: START, to: START + days * DAY_MS },
  ];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** 10 s results with ~0.5 % failures; random() after a fixed setseed, on the transaction's one connection. */
async function generate(
  prisma: PrismaClient,
  component: string,
  expression: string,
  seed: number,
  days: number,
): Promise<number> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$queryRawUnsafe("SELECT setseed($1::float8)::text", seed);
      return tx.$executeRawUnsafe(
        `INSERT INTO "probe_result" ("component_id", "checked_at", "ok", "status", "latency_ms", "worker_id")
       SELECT $1, t, ok, (CASE WHEN ok THEN 'up' ELSE 'down' END)::"ComponentStatus", CASE WHEN ok THEN ${expression} ELSE 2000 END, 'bench'
       FROM (SELECT t, random() >= 0.005 AS ok FROM generate_series($2::timestamptz, $3::timestamptz - interval '10 seconds', interval '10 seconds') AS t) AS s`,
        component,
        iso(START),
        iso(START + days * DAY_MS),
      );
    },
    { timeout: 120_000 },
  );
}

async function exactPercentiles(
  prisma: PrismaClient,
  component: string,
  w: Window,
): Promise<{ n: number; p: number[] }> {
  const [row] = await prisma.$queryRawUnsafe<{ n: bigint; p: number[] | null }[]>(
    `SELECT count(*) AS n, percentile_cont($4::float8[]) WITHIN GROUP (ORDER BY "latency_ms") AS p FROM "probe_result"
     WHERE "component_id" = $1 AND "ok" AND "checked_at" >= $2::timestamptz AND "checked_at" < $3::timestamptz`,
    component,
    iso(w.from),
    iso(w.to),
    [...QUANTILES],
  );
  return { n: Number(row?.n ?? 0), p: row?.p ?? [] };
}

await runBench(async () => {
  const days = Math.max(3, Math.round(7 * benchScale()));
  const bench = await openDatabase("pf_bench_percentiles");
  const prisma = bench.prisma;
  const names = Object.keys(DISTRIBUTIONS) as Distribution[];
  log(
    `percentiles benchmark: ${names.length} components x ${days} days at ${STEP_MS / 1000} s, database ${bench.db.name}`,
  );

  await ensurePartitions(prisma, START, START + days * DAY_MS);
  for (const [n, name] of names.entries()) {
    const { value: rows, ms } = await timed(() => generate(prisma, name, DISTRIBUTIONS[name], 0.1 + n / 10, days));
    log(`  ${name}: ${grouped(rows)} raw rows in ${fixed(ms / 1000, 1)} s`);
  }
  const rollup = await timed(async () => {
    await prisma.$executeRawUnsafe(
      `INSERT INTO "rollup_dirty" ("component_id", "minute")
       SELECT c, m FROM unnest($1::text[]) AS c, generate_series($2::timestamptz, $3::timestamptz - interval '1 minute', interval '1 minute') AS m`,
      names,
      iso(START),
      iso(START + days * DAY_MS),
    );
    return runRollups(prisma, new Date(START + days * DAY_MS));
  });
  log(
    `  rollups: ${grouped(rollup.value.minutes)} minute rows, ${grouped(rollup.value.hours)} hour rows in ${fixed(rollup.ms / 1000, 1)} s`,
  );
  await prisma.$executeRawUnsafe("ANALYZE");

  log(`rollup vs exact percentile_cont (relative error; histogram bound ${fixed(100 * MAX_RELATIVE_ERROR, 4)} %):`);
  const worst = new Map<Distribution, number>(names.map((name) => [name, 0]));
  for (const name of names) {
    for (const w of windowsFor(days)) {
      const stats = await getLatencyStats(prisma, name, new Date(w.from), new Date(w.to));
      const exact = await exactPercentiles(prisma, name, w);
      const rollupValues = [stats.p50Ms, stats.p95Ms, stats.p99Ms];
      const parts = QUANTILES.map((q, i) => {
        const got = rollupValues[i] ?? Number.NaN;
        const want = exact.p[i] ?? Number.NaN;
        const err = (100 * Math.abs(got - want)) / Math.abs(want);
        worst.set(name, Math.max(worst.get(name) ?? 0, Number.isNaN(err) ? Infinity : err));
        return `p${Math.round(q * 100)} ${fixed(got, 3)} vs ${fixed(want, 3)} (${fixed(err, 3)} %)`;
      });
      const successes = stats.count - stats.failures;
      const counts = successes === exact.n ? `n=${exact.n}` : `n=${successes} vs exact ${exact.n} (MISMATCH)`;
      log(`  ${name.padEnd(9)} ${w.label.padEnd(3)} ${stats.source.padEnd(6)} ${counts}  ${parts.join("  ")}`);
    }
  }

  await dropDatabase(bench);
  const max = Math.max(...worst.values());
  log(`  max relative error ${fixed(max, 3)} %; target (< 1 %): ${max < 1 ? "met" : "NOT met"}`);
  log(
    summary("percentiles", {
      max_rel_err_pct: fixed(max, 3),
      uniform_max: fixed(worst.get("uniform") ?? Number.NaN, 3),
      lognormal_max: fixed(worst.get("lognormal") ?? Number.NaN, 3),
      bimodal_max: fixed(worst.get("bimodal") ?? Number.NaN, 3),
    }),
  );
});
