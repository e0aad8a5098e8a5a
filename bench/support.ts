import { performance } from "node:perf_hooks";
import { createPrismaClient } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";

// Shared by the benchmarks: scratch databases that are dropped on every way out, timing and formatting.

export const DAY_MS = 86_400_000;

/** BENCH_SCALE (default 1): a factor on the data a benchmark generates, for quick runs while developing. */
export function benchScale(): number {
  const raw = process.env.BENCH_SCALE;
  if (raw === undefined || raw === "") return 1;
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`BENCH_SCALE must be a positive number, got "${raw}"`);
  return scale;
}

export type BenchDatabase = { db: TestDatabase; prisma: PrismaClient };

const open = new Set<BenchDatabase>();

async function close(entry: BenchDatabase): Promise<void> {
  open.delete(entry);
  await entry.prisma.$disconnect().catch(() => undefined);
  await entry.db.drop();
}

let signalsHooked = false;
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`\n${signal}: dropping ${open.size} benchmark database(s)`);
      void Promise.allSettled([...open].map(close)).finally(() => process.exit(130));
    });
  }
}

/** A fresh migrated database with a Prisma client (pool 4); dropped by dropDatabase, or on SIGINT/SIGTERM. */
export async function openDatabase(prefix: string): Promise<BenchDatabase> {
  hookSignals();
  const db = await createTestDatabase(prefix);
  const entry = { db, prisma: createPrismaClient(db.url, 4) };
  open.add(entry);
  return entry;
}

export async function dropDatabase(entry: BenchDatabase): Promise<void> {
  if (open.has(entry)) await close(entry);
}

/** Runs main, then drops every database still open, also when main throws (the error is rethrown). */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } finally {
    await Promise.allSettled([...open].map(close));
  }
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Milliseconds since `start` (a performance.now() value). */
export function since(start: number): number {
  return performance.now() - start;
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: since(start) };
}

/** Nearest-rank percentile (q in [0, 1]) of a sample of timings. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

/** 25920000 -> "25 920 000" for progress lines (summary lines keep plain numbers). */
export function grouped(value: number | bigint): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/** The one machine-readable line a benchmark ends with. */
export function summary(name: string, fields: Record<string, string | number>): string {
  return `bench ${name}: ${Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ")}`;
}
