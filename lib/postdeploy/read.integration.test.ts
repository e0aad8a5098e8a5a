import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZPostDeployment, type TPostDeployment } from "../config/postdeploy-schema";
import type { TComponent } from "../config/schema";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { MAX_RELATIVE_ERROR } from "../history/histogram";
import { ensurePartitions } from "../history/partitions";
import { runRollups } from "../history/rollup";
import { writeBatch } from "../history/write-batch";
import type { TQueryContext } from "../queries/context";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { toWriteItem, type WriteItem } from "../worker/state-tracker";
import { judgePostDeployment } from "./judge";
import { getPostDeploymentVerdict, readPostDeploymentMeasurements, watchedComponents } from "./read";
import { watchSpan } from "./span";

// Post-deployment figures from stored probe history and rollups, against a recomputation from the raw probe_result
// rows over the same span. The history: "api" (every 10 s) and "db" (every 30 s) probed for four hours from 08:00;
// the release deployed at 08:30:20, so its two-hour window runs from 08:31 to 10:31. The old build failed every probe
// in the deployment's minute, which must not count against the new one; db has a 40-minute gap (09:00-09:40) in its
// window, so it covers (240 - 80) / 240 = 66.67 % of it. "slow" (every 5 min) is probed for three days and two
// hours, for a three-day window that the rollups answer from hour rows with minute edges.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = new Date("2026-05-04T08:00:00Z").getTime();
const DEPLOYED = new Date(T0 + 30 * MINUTE + 20_000);
const START = T0 + 31 * MINUTE;
const GAP = { from: T0 + HOUR, to: T0 + HOUR + 40 * MINUTE };

const probe = { type: "tcp", host: "127.0.0.1", port: 1 };
const config = buildTestConfig({
  components: [
    { id: "api", name: "API", service: "S", probe, interval: "10s", timeout: "5s" },
    { id: "db", name: "DB", service: "S", probe, interval: "30s", timeout: "5s" },
    { id: "cache", name: "Cache", service: "S", probe, interval: "10s", timeout: "5s" },
    { id: "slow", name: "Slow", service: "S", probe, interval: "5m", timeout: "5s" },
  ],
});
const settings: TPostDeployment = ZPostDeployment.parse({ window: "2h", components: ["api", "db"] });
const longSettings: TPostDeployment = ZPostDeployment.parse({ window: "3d", components: ["slow"] });

let database: TestDatabase;
let prisma: PrismaClient;

/** A deterministic spread: base to base * 1.5, with one slow result in 40 (2.5 %, in the P95's tail). */
const latency = (i: number, base: number) =>
  i % 40 === 3 ? base * 4 : base * (1 + ((Math.imul(i + 1, 2_654_435_761) >>> 0) % 1_000) / 2_000);

function componentOf(id: string): TComponent {
  const component = config.components.find((c) => c.id === id);
  if (!component) throw new Error(`no component ${id}`);
  return component;
}

async function write(
  id: string,
  from: number,
  to: number,
  options: { base: number; fails: (t: number, i: number) => boolean; skip?: (t: number) => boolean },
) {
  const component = componentOf(id);
  const items: WriteItem[] = [];
  for (let t = from, i = 0; t < to; t += component.interval, i++) {
    if (options.skip?.(t)) continue;
    const ok = !options.fails(t, i);
    items.push(
      toWriteItem(
        component,
        ok
          ? { ok, latencyMs: latency(i, options.base), detail: null, error: null }
          : { ok, latencyMs: 5_000, detail: null, error: "timed out" },
        new Date(t),
        false,
      ),
    );
  }
  for (let k = 0; k < items.length; k += 500)
    await writeBatch(prisma, items.slice(k, k + 500), { workerId: "test", webhooks: [], redact: (s) => s });
}

type Raw = { count: number; failures: number; p95Ms: number | null };

/** The same figures straight from probe_result: exact counts, and percentile_cont over the successful latencies. */
async function rawFigures(id: string, from: number, to: number): Promise<Raw> {
  const rows = await prisma.$queryRawUnsafe<{ count: bigint; failures: bigint; p95: number | null }[]>(
    `SELECT count(*) AS count, count(*) FILTER (WHERE NOT "ok") AS failures,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY "latency_ms") FILTER (WHERE "ok") AS p95
       FROM "probe_result"
      WHERE "component_id" = $1 AND "checked_at" >= $2::timestamptz AND "checked_at" < $3::timestamptz`,
    id,
    new Date(from).toISOString(),
    new Date(to).toISOString(),
  );
  const row = rows[0];
  return { count: Number(row?.count ?? 0), failures: Number(row?.failures ?? 0), p95Ms: row?.p95 ?? null };
}

const ctxAt = (now: number): TQueryContext => ({ prisma, config, now: new Date(now) });

function expectMatchesRaw(measured: { count: number; failures: number; p95Ms: number | null }, raw: Raw) {
  expect(measured.count).toBe(raw.count);
  expect(measured.failures).toBe(raw.failures);
  expect(raw.p95Ms).not.toBeNull();
  expect(measured.p95Ms).not.toBeNull();
  // The rollups' histogram answers within its bucket error of the exact percentile (lib/history/histogram.ts).
  const relative = Math.abs((measured.p95Ms ?? 0) - (raw.p95Ms ?? 0)) / (raw.p95Ms ?? 1);
  expect(relative).toBeLessThanOrEqual(MAX_RELATIVE_ERROR + 1e-12);
}

beforeAll(async () => {
  database = await createTestDatabase("pf_postdeploy");
  prisma = createPrismaClient(database.url, 2);
  await ensurePartitions(prisma, T0, T0 + 4 * DAY);
  const deployMinute = (t: number) => t >= T0 + 30 * MINUTE && t < START;
  // api: the old build fails throughout the deployment's minute; the new one fails one probe in 150.
  await write("api", T0, T0 + 4 * HOUR, { base: 40, fails: (t, i) => deployMinute(t) || i % 150 === 7 });
  await write("db", T0, T0 + 4 * HOUR, {
    base: 8,
    fails: (t, i) => deployMinute(t) || i % 197 === 11,
    skip: (t) => t >= GAP.from && t < GAP.to,
  });
  await write("slow", T0, T0 + 3 * DAY + 2 * HOUR, { base: 120, fails: (_t, i) => i % 60 === 5 });
  await runRollups(prisma, new Date(T0 + 4 * DAY));
}, 180_000);
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe("post-deployment figures from the rollups", () => {
  it("watches the listed components only", () => {
    expect(watchedComponents(config, settings).map((c) => c.id)).toEqual(["api", "db"]);
    expect(watchedComponents(config, ZPostDeployment.parse({})).map((c) => c.id)).toEqual([
      "api",
      "db",
      "cache",
      "slow",
    ]);
  });

  it("match the raw rows while watching, from the first whole minute after the deployment", async () => {
    const now = START + HOUR;
    const measured = await readPostDeploymentMeasurements(ctxAt(now), { deployedAt: DEPLOYED, settings });
    expect(measured.map((m) => [m.componentId, m.expectedChecks])).toEqual([
      ["api", 360],
      ["db", 120],
    ]);
    for (const m of measured) expectMatchesRaw(m, await rawFigures(m.componentId, START, now));
    // The deployment's own minute (the old build's six failures) is not counted.
    const api = measured[0];
    const fromDeployment = await rawFigures("api", DEPLOYED.getTime(), now);
    expect(fromDeployment.failures - (api?.failures ?? 0)).toBe(4);
  });

  it("match the raw rows over the whole window once it is over, and nothing after its end", async () => {
    const now = T0 + 4 * HOUR;
    const end = START + 2 * HOUR;
    const measured = await readPostDeploymentMeasurements(ctxAt(now), { deployedAt: DEPLOYED, settings });
    expect(measured.map((m) => m.expectedChecks)).toEqual([720, 240]);
    for (const m of measured) expectMatchesRaw(m, await rawFigures(m.componentId, START, end));
    // 160 of db's 240 slots have a result: the 40-minute gap is 80 of them.
    expect(measured[1]?.count).toBe(160);
  });

  it("match the raw rows over a three-day window, read from hour rollups with minute edges", async () => {
    const now = T0 + 3 * DAY + 2 * HOUR;
    const measured = await readPostDeploymentMeasurements(ctxAt(now), {
      deployedAt: DEPLOYED,
      settings: longSettings,
    });
    expect(measured.map((m) => [m.componentId, m.expectedChecks])).toEqual([["slow", (3 * DAY) / (5 * MINUTE)]]);
    const [slow] = measured;
    if (!slow) throw new Error("no measurement");
    expectMatchesRaw(slow, await rawFigures("slow", START, START + 3 * DAY));
  });

  it("give the verdict the raw figures give: failed at the end on db's coverage", async () => {
    const now = T0 + 4 * HOUR;
    const verdict = await getPostDeploymentVerdict(ctxAt(now), { deployedAt: DEPLOYED, settings });
    const span = watchSpan(DEPLOYED, new Date(now), settings.window);
    const fromRaw = judgePostDeployment({
      deployedAt: DEPLOYED,
      now: new Date(now),
      settings,
      measurements: await Promise.all(
        [
          ["api", 10_000],
          ["db", 30_000],
        ].map(async ([id, interval]) => ({
          componentId: String(id),
          ...(await rawFigures(String(id), span.start.getTime(), span.to.getTime())),
          expectedChecks: span.elapsedMs / Number(interval),
        })),
      ),
    });
    expect(verdict.state).toBe("failed");
    expect(verdict.rows.map((r) => [r.component, r.criterion, r.ok])).toEqual(
      fromRaw.rows.map((r) => [r.component, r.criterion, r.ok]),
    );
    expect(verdict.reasons.map((r) => `${r.component}: ${r.text}`)).toEqual([
      "db: monitored all of 2h, 66.67 % covered (≥ 90 %)",
    ]);
  });

  it("is not deployed without a deployment, and reads nothing", async () => {
    const verdict = await getPostDeploymentVerdict(ctxAt(T0 + HOUR), { deployedAt: null, settings });
    expect(verdict).toMatchObject({ state: "not deployed", rows: [] });
  });
});
