import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { recordSnapshot } from "../readiness/snapshot";
import { buildReport } from "../report/build";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { getComponentStatuses, UPTIME_WINDOWS } from "./component-status";
import { getSystemHealth } from "./components";
import { evaluateLive } from "./readiness";

// The one read of component status on a real PostgreSQL: a state nobody has checked for two days is unknown for
// the overview, readiness, snapshots and the report alike; "up for" runs to the last confirming check; uptime
// carries its coverage, and an uptime check on five minutes of a day is pending.

const NOW = new Date("2026-11-20T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

const config = buildTestConfig({
  components: [
    { id: "stale", name: "Stale", service: "S", probe: { type: "tcp", host: "127.0.0.1", port: 1 } },
    { id: "fresh", name: "Fresh", service: "F", probe: { type: "tcp", host: "127.0.0.1", port: 1 } },
  ],
  defaults: { interval: "5s", timeout: "2s" },
  scorecard: {
    categories: [
      {
        id: "ops",
        name: "Ops",
        checks: [
          { id: "stale-up", name: "Stale up", kind: "componentUp", component: "stale", for: "1h", critical: true },
          { id: "stale-uptime", name: "Stale uptime", kind: "uptime", component: "stale", window: "24h", minPct: 99 },
          { id: "fresh-up", name: "Fresh up", kind: "componentUp", component: "fresh", for: "1m" },
          { id: "fresh-uptime", name: "Fresh uptime", kind: "uptime", component: "fresh", window: "24h", minPct: 99 },
        ],
      },
    ],
  },
});

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 2);
  // "stale": up since 3 days ago, last checked 2 days ago, no worker since.
  await prisma.componentState.create({
    data: {
      componentId: "stale",
      status: "up",
      since: ago(3 * D),
      observedStatus: "up",
      lastCheckedAt: ago(2 * D),
      lastLatencyMs: 3,
      updatedAt: ago(2 * D),
    },
  });
  await prisma.statePeriod.create({
    data: { componentId: "stale", status: "up", startedAt: ago(3 * D), lastSeenAt: ago(2 * D), intervalMs: 5_000 },
  });
  // "fresh": started 5 minutes ago, checked 2 s ago; up.
  await prisma.componentState.create({
    data: {
      componentId: "fresh",
      status: "up",
      since: ago(5 * MIN),
      observedStatus: "up",
      lastCheckedAt: ago(2_000),
      lastLatencyMs: 3,
      updatedAt: ago(2_000),
    },
  });
  await prisma.statePeriod.create({
    data: { componentId: "fresh", status: "up", startedAt: ago(5 * MIN), lastSeenAt: ago(2_000), intervalMs: 5_000 },
  });
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe("getComponentStatuses", () => {
  it("reads a state no check vouches for as unknown, with no since and no time in state", async () => {
    const statuses = await getComponentStatuses({ prisma, config, now: NOW });
    expect(statuses.get("stale")).toMatchObject({
      status: "unknown",
      stale: true,
      since: null,
      inStateMs: null,
      lastCheckedAt: ago(2 * D),
    });
  });

  it("counts 'up for' to the last confirming check and reports how much of each window was observed", async () => {
    const fresh = (await getComponentStatuses({ prisma, config, now: NOW })).get("fresh");
    expect(fresh).toMatchObject({ status: "up", inStateMs: 5 * MIN - 2_000 });
    const day = fresh?.uptime.get(UPTIME_WINDOWS["24h"]);
    expect(day?.pct).toBe(100);
    // Coverage runs to one interval past the last check, but never past now.
    expect(day?.observedMs).toBe(5 * MIN);
    expect(day?.coverage).toBeCloseTo((5 * MIN) / D, 10);
  });
});

describe("every reader takes the same status", () => {
  it("the overview's read says unknown and 1 of 2 operational", async () => {
    const health = await getSystemHealth({ prisma, config, now: NOW });
    expect(health.components.map((c) => [c.id, c.status])).toEqual([
      ["stale", "unknown"],
      ["fresh", "up"],
    ]);
    expect(health.operational).toBe(1);
    expect(health.components[1]?.uptime["24h"]).toMatchObject({ pct: 100, observedMs: 5 * MIN });
  });

  it("readiness: the stale component's checks are pending, the five-minute uptime is pending with the observed span", async () => {
    const { result } = await evaluateLive({ prisma, config }, NOW);
    const check = (id: string) => result.checks.find((c) => c.id === id);
    expect(check("stale-up")).toMatchObject({
      verdict: "pending",
      reason: "stale is unknown: no recent check vouches for its state",
    });
    expect(check("stale-uptime")?.verdict).toBe("pending");
    expect(check("fresh-up")).toMatchObject({ verdict: "passed", measured: "up for 4m 58s" });
    expect(check("fresh-uptime")).toMatchObject({ verdict: "pending", measured: "100 % (observed 5m 0s of 1d 0h)" });
    expect(check("fresh-uptime")?.reason).toMatch(/^observed 5m 0s of 1d 0h; needs 90 % of the window$/);
    expect(result.blockers.map((b) => b.id)).toEqual(["stale-up"]);
  });

  it("a snapshot stored now carries the unknown state: a sign-off cannot bind to one that says up", async () => {
    const { result } = await evaluateLive({ prisma, config }, NOW);
    const { snapshot } = await recordSnapshot(prisma, result, NOW);
    const stored = await prisma.readinessSnapshot.findUniqueOrThrow({ where: { id: BigInt(snapshot.id) } });
    const checks = (stored.result as { checks: { id: string; verdict: string }[] }).checks;
    expect(checks.find((c) => c.id === "stale-up")?.verdict).toBe("pending");
    expect(checks.find((c) => c.id === "stale-uptime")?.verdict).toBe("pending");
  });

  it("the report says unknown, not 'up for', and writes the observed span beside a partial uptime", async () => {
    const report = await buildReport({ prisma, config, secrets: new Set() }, NOW);
    const stale = report.components.rows.find((r) => r.id === "stale");
    expect(stale).toMatchObject({ status: "unknown", since: null, inState: { verified: false } });
    const fresh = report.components.rows.find((r) => r.id === "fresh");
    expect(fresh?.uptime["24h"]).toMatchObject({ verified: true, value: "100 % (observed 5m 0s of 1d 0h)" });
  });
});
