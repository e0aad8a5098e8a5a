import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensurePartitions } from "../lib/history/partitions";
import { DAY_MS, fixed, log, openDatabase, percentile, runBench, since, summary } from "./support";

// bench read-path: server render of the overview page (`next start`, production build) for a system of
// 100 components with 30 days of history, under a load generator (a concurrent request loop on loopback).
// The page reads the latest-state table, the status periods and the hour rollups, never raw results, so
// the history is made where the page reads it: 30 days of hour rollups and 2 days of minute rollups per
// component (histograms ~150 buckets wide per hour, ~12 per minute, as 10 s checks of a log-normal latency
// give), a handful of incidents each, and the last hour of raw results (the component page reads those).

const COMPONENTS = 100;
const DAYS = 30;
const CONCURRENCY = 4;
const WARMUP = 30;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const ROOT = join(import.meta.dirname, "..");

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

await runBench(async () => {
  const bench = await openDatabase("pf_bench_read");
  const { prisma } = bench;
  const now = Date.now();
  const hourNow = Math.floor(now / 3_600_000) * 3_600_000;
  const ids = Array.from({ length: COMPONENTS }, (_, i) => `c${String(i).padStart(3, "0")}`);
  const start = performance.now();
  await ensurePartitions(prisma, now - DAY_MS, now + DAY_MS);
  await prisma.$executeRawUnsafe(
    `INSERT INTO component_state (component_id, status, since, observed_status, streak, last_checked_at, last_latency_ms, last_detail, updated_at)
     SELECT id, 'up', now() - interval '3 days', 'up', 100, now(), 20 + random() * 30, 'HTTP 200', now() FROM unnest($1::text[]) id`,
    ids,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO state_period (component_id, status, started_at, last_seen_at, ended_at, interval_ms)
     SELECT id, CASE WHEN k % 2 = 0 THEN 'up' ELSE 'down' END::"ComponentStatus", s, e - interval '10 seconds', CASE WHEN k = 11 THEN NULL ELSE e END, 10000
     FROM unnest($1::text[]) id, generate_series(0, 11) k,
          -- Every 5 days a period: up for all of it, down for its first day (then unknown), never overlapping
          -- (state_period refuses that since migration 20261202150000_state_period_no_overlap).
          LATERAL (SELECT now() - interval '30 days' + k * interval '5 days' AS s) p,
          LATERAL (SELECT p.s + CASE WHEN k % 2 = 1 THEN interval '1 day' ELSE interval '5 days' END AS e) q`,
    ids,
  );
  // Hour rollups: 360 checks each, ~150 contiguous buckets around a per-component median.
  await prisma.$executeRawUnsafe(
    `INSERT INTO rollup_hour (component_id, bucket, count, failures, sum_ms, min_ms, max_ms, hist_idx, hist_counts)
     SELECT id, to_timestamp($2::float8 / 1000) - h * interval '1 hour', 360, 1, 360 * 35.0, 5, 400,
            (SELECT array_agg(b::smallint ORDER BY b) FROM generate_series(840 + (n % 40), 989 + (n % 40)) b),
            (SELECT array_agg(CASE WHEN b = 900 + (n % 40) THEN 211 ELSE 1 END::bigint ORDER BY b) FROM generate_series(840 + (n % 40), 989 + (n % 40)) b)
     FROM unnest($1::text[]) WITH ORDINALITY AS c(id, n), generate_series(0, $3::int * 24 - 1) h`,
    ids,
    hourNow,
    DAYS,
  );
  // Minute rollups for the last two days: 6 checks each over ~6 buckets.
  await prisma.$executeRawUnsafe(
    `INSERT INTO rollup_minute (component_id, bucket, count, failures, sum_ms, min_ms, max_ms, hist_idx, hist_counts)
     SELECT id, to_timestamp($2::float8 / 1000) - m * interval '1 minute', 6, 0, 6 * 35.0, 20, 60,
            (SELECT array_agg(b::smallint ORDER BY b) FROM generate_series(880 + (n % 40), 885 + (n % 40)) b),
            '{1,1,1,1,1,1}'::bigint[]
     FROM unnest($1::text[]) WITH ORDINALITY AS c(id, n), generate_series(0, 2 * 24 * 60 - 1) m`,
    ids,
    Math.floor(now / 60_000) * 60_000,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO probe_result (component_id, checked_at, ok, status, latency_ms, detail, worker_id)
     SELECT id, now() - s * interval '10 seconds', true, 'up', 20 + random() * 30, 'HTTP 200', 'bench' FROM unnest($1::text[]) id, generate_series(0, 359) s`,
    ids,
  );
  await prisma.$executeRawUnsafe("VACUUM ANALYZE");
  const rows = await prisma.$queryRawUnsafe<{ hours: number; minutes: number }[]>(
    `SELECT (SELECT count(*)::int FROM rollup_hour) AS hours, (SELECT count(*)::int FROM rollup_minute) AS minutes`,
  );
  log(
    `data: ${COMPONENTS} components, ${rows[0]?.hours} hour rollups, ${rows[0]?.minutes} minute rollups, in ${fixed(since(start) / 1000, 1)} s`,
  );

  const dir = mkdtempSync(join(tmpdir(), "pf-read-"));
  const configPath = join(dir, "preflight.config.yaml");
  writeFileSync(
    configPath,
    `version: 1\nsystem: { name: read-path bench }\ndefaults: { interval: 10s, timeout: 2s }\ncomponents:\n${ids
      .map(
        (id) =>
          `  - { id: ${id}, name: ${id.toUpperCase()}, service: HTTP, probe: { type: http, url: "http://127.0.0.1:9/health" } }`,
      )
      .join("\n")}\n`,
  );
  const port = await freePort();
  // The production server, with no scheduler: only reads are measured.
  const server = spawn(
    process.execPath,
    [join(ROOT, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port)],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: bench.db.url,
        PREFLIGHT_CONFIG: configPath,
        PREFLIGHT_EMBEDDED_WORKER: "false",
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
      },
      stdio: "ignore",
    },
  );
  try {
    const url = `http://127.0.0.1:${port}/`;
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(url).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    for (let i = 0; i < WARMUP; i++) await (await fetch(url)).text();
    const phase = async (concurrency: number) => {
      const timings: number[] = [];
      let bytes = 0;
      let failures = 0;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < REQUESTS) {
            next++;
            const started = performance.now();
            const response = await fetch(url);
            const body = await response.text();
            timings.push(performance.now() - started);
            bytes += body.length;
            if (!response.ok || !body.includes("C099")) failures++;
          }
        }),
      );
      const rate = REQUESTS / (since(t0) / 1000);
      log(
        `overview, concurrency ${concurrency}: ${REQUESTS} requests, p50 ${fixed(percentile(timings, 0.5), 1)} ms, p95 ${fixed(percentile(timings, 0.95), 1)} ms, p99 ${fixed(percentile(timings, 0.99), 1)} ms, ${fixed(rate, 1)} req/s, ${Math.round(bytes / REQUESTS / 1024)} KiB a page, ${failures} failed`,
      );
      return { p50: percentile(timings, 0.5), p95: percentile(timings, 0.95), rate, failures };
    };
    const one = await phase(1);
    const four = await phase(CONCURRENCY);
    log(
      summary("read-path", {
        components: COMPONENTS,
        history_days: DAYS,
        requests: REQUESTS,
        p50_ms_c1: fixed(one.p50, 1),
        p95_ms_c1: fixed(one.p95, 1),
        p50_ms_c4: fixed(four.p50, 1),
        p95_ms_c4: fixed(four.p95, 1),
        req_per_s_c4: fixed(four.rate, 1),
        failed: one.failures + four.failures,
      }),
    );
  } finally {
    server.kill("SIGTERM");
  }
});
