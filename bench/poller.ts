import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import pino from "pino";
import { Agent, request as undiciRequest } from "undici";
import { createPrismaClient } from "../lib/db/client";
import { buildTestConfig } from "../lib/testing/config";
import { createTestDatabase } from "../lib/testing/database";
import { startWorker } from "../lib/worker/run";

// `bench poller`: the probe engine end to end (scheduler, HTTP probe, state tracking, batch writes to a real
// PostgreSQL) against a loopback target in another process.
//   steady: 2 000 HTTP components at a 5 s interval (400 probes/s) for 60 s: rate, CPU ms per probe, p99
//           scheduler lag, peak RSS.
//   limit:  the same engine with far more demand than it can serve (1 s interval), against bare request
//           loops at the same concurrency: node:http with a fresh connection per request (what a health
//           check does, like for like) and undici with keep-alive (the fastest client there is).

const STEADY = {
  components: Number(process.env.BENCH_COMPONENTS ?? 2_000),
  intervalS: 5,
  seconds: Number(process.env.BENCH_SECONDS ?? 60),
};
const LIMIT = { components: 6_000, intervalS: 1, seconds: 15, concurrency: 256 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] ?? Number.NaN;
}

async function startTarget(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "target-server.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve) =>
    child.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  return { url: `http://127.0.0.1:${port}/health`, stop: () => child.kill("SIGTERM") };
}

async function runEngine(
  url: string,
  databaseUrl: string,
  shape: { components: number; intervalS: number; seconds: number; concurrency?: number },
) {
  const config = buildTestConfig({
    defaults: { interval: `${shape.intervalS}s`, timeout: "800ms" },
    components: Array.from({ length: shape.components }, (_, i) => ({
      id: `c${i}`,
      name: `C${i}`,
      service: "HTTP",
      probe: { type: "http", url },
    })),
    worker: { concurrency: shape.concurrency ?? 256 },
  });
  const prisma = createPrismaClient(databaseUrl, 4);
  const lags: number[] = [];
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const worker = await startWorker({
    config,
    secrets: new Set(),
    prisma,
    logger: pino({ level: "warn" }),
    mode: "standalone",
    onSlotLag: (ms) => lags.push(ms),
  });
  // One full interval to fill the grid, then measure.
  await sleep(shape.intervalS * 1_000);
  const probes0 = worker.stats().scheduler.probes;
  const cpu0 = process.cpuUsage();
  const lagFrom = lags.length;
  const t0 = performance.now();
  await sleep(shape.seconds * 1_000);
  const elapsedS = (performance.now() - t0) / 1_000;
  const cpu = process.cpuUsage(cpu0);
  const probes = worker.stats().scheduler.probes - probes0;
  const stats = worker.stats();
  await worker.stop();
  clearInterval(rssTimer);
  await prisma.$disconnect();
  const window = lags.slice(lagFrom);
  return {
    rate: probes / elapsedS,
    cpuMsPerProbe: (cpu.user + cpu.system) / 1_000 / Math.max(1, probes),
    lagP50: percentile(window, 0.5),
    lagP99: percentile(window, 0.99),
    lagMax: Math.max(...window),
    peakRssMb: peakRss / 1_048_576,
    skipped: stats.scheduler.skippedBusy,
    written: stats.buffer.written,
    dropped: stats.buffer.dropped,
  };
}

async function bareLoop(seconds: number, concurrency: number, once: () => Promise<void>): Promise<number> {
  let done = 0;
  const deadline = performance.now() + seconds * 1_000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await once();
        done++;
      }
    }),
  );
  return done / seconds;
}

const freshConnection = (url: string) => () =>
  new Promise<void>((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", reject);
    req.end();
  });

async function main() {
  const target = await startTarget();
  const database = await createTestDatabase("pf_bench_poller");
  try {
    console.log(`steady: ${STEADY.components} components every ${STEADY.intervalS} s for ${STEADY.seconds} s…`);
    const steady = await runEngine(target.url, database.url, STEADY);
    console.log(steady);

    console.log(
      `limit: ${LIMIT.components} components every ${LIMIT.intervalS} s, concurrency ${LIMIT.concurrency}, ${LIMIT.seconds} s…`,
    );
    const limit = await runEngine(target.url, database.url, LIMIT);
    console.log(limit);
    await sleep(3_000);
    const bareHttp = await bareLoop(10, LIMIT.concurrency, freshConnection(target.url));
    console.log(`bare node:http loop, fresh connections: ${bareHttp.toFixed(0)} req/s`);
    await sleep(3_000);
    const agent = new Agent({ connections: LIMIT.concurrency });
    const bareUndici = await bareLoop(10, LIMIT.concurrency, async () => {
      const res = await undiciRequest(target.url, { dispatcher: agent });
      await res.body.dump();
    });
    await agent.close();
    console.log(`bare undici loop, keep-alive: ${bareUndici.toFixed(0)} req/s`);

    const f = (n: number, d = 1) => n.toFixed(d);
    console.log(
      `bench poller: components=${STEADY.components} interval_s=${STEADY.intervalS} probes_per_s=${f(steady.rate)} cpu_ms_per_probe=${f(steady.cpuMsPerProbe, 3)} ` +
        `lag_p99_ms=${f(steady.lagP99)} lag_max_ms=${f(steady.lagMax)} peak_rss_mb=${f(steady.peakRssMb, 0)} dropped=${steady.dropped} ` +
        `limit_probes_per_s=${f(limit.rate)} bare_fresh_conn_per_s=${f(bareHttp)} ratio_vs_fresh=${f(limit.rate / bareHttp, 2)} ` +
        `bare_undici_keepalive_per_s=${f(bareUndici)} ratio_vs_undici=${f(limit.rate / bareUndici, 2)}`,
    );
  } finally {
    target.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
