import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { ensurePartitions } from "../history/partitions";
import { recordSnapshot, verifySnapshot } from "../readiness/snapshot";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { evaluateLive, gatherFacts, measureChaosRecovery } from "./readiness";

// Facts gathered from a real database: the latest evidence of each kind wins, recovery is measured from probe
// history, and snapshots are stored on change and hourly with a hash that survives the JSONB round trip.

const T0 = new Date("2026-11-20T10:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

const config = buildTestConfig({
  components: [{ id: "api", name: "API", service: "FastAPI", probe: { type: "tcp", host: "127.0.0.1", port: 1 } }],
  scorecard: {
    categories: [
      {
        id: "quality",
        name: "Quality",
        checks: [
          { id: "unit-tests", name: "Unit", kind: "testSuite", suite: "unit", minPassRatePct: 95 },
          { id: "k6", name: "k6", kind: "loadTest", test: "baseline" },
          {
            id: "restart",
            name: "Restart",
            kind: "chaos",
            experiment: "api-restart",
            maxRecovery: "30s",
            critical: true,
          },
          { id: "runbooks", name: "Runbooks", kind: "attestation", question: "Runbooks?" },
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
  await ensurePartitions(prisma, at(-86_400), at(86_400));
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const run = (suite: string, passRatePct: number, receivedAt: Date) =>
  prisma.testRun.create({
    data: {
      suite,
      kind: "unit",
      receivedAt,
      source: "token ci",
      tests: 100,
      passed: passRatePct,
      failed: 100 - passRatePct,
      errors: 0,
      skipped: 0,
      flaky: 0,
      passRatePct,
      flakyTests: [],
      failures: [],
    },
  });

describe("gatherFacts", () => {
  it("judges the latest run of a suite, the latest k6 run and the latest attestation", async () => {
    await run("unit", 99, at(0));
    await run("unit", 90, at(60));
    await prisma.loadTestRun.create({
      data: {
        test: "baseline",
        receivedAt: at(0),
        source: "token ci",
        shape: "handleSummary",
        thresholds: [{ name: "p(95)<500", metric: "http_req_duration", passed: false }],
        allThresholdsPassed: false,
        p95Ms: 640,
      },
    });
    await prisma.attestation.create({
      data: {
        checkId: "runbooks",
        answer: "no",
        evidenceUrl: "https://wiki/a",
        attestedBy: "ops",
        expiresAt: at(86_400),
        createdAt: at(0),
        source: "upload",
      },
    });
    await prisma.attestation.create({
      data: {
        checkId: "runbooks",
        answer: "yes",
        evidenceUrl: "https://wiki/b",
        attestedBy: "ops",
        expiresAt: at(86_400),
        createdAt: at(30),
        source: "upload",
      },
    });
    const facts = await gatherFacts({ prisma, config }, at(120));
    expect(facts.suites.unit).toMatchObject({ passRatePct: 90, failed: 10, at: at(60) });
    expect(facts.loadTests.baseline).toMatchObject({
      allThresholdsPassed: false,
      failedThresholds: ["p(95)<500"],
      p95Ms: 640,
    });
    expect(facts.attestations.runbooks).toMatchObject({ answer: "yes", evidenceUrl: "https://wiki/b" });
    const { result } = await evaluateLive({ prisma, config }, at(120));
    expect(result.checks.map((c) => [c.id, c.verdict])).toEqual([
      ["unit-tests", "failed"],
      ["k6", "failed"],
      ["restart", "pending"],
      ["runbooks", "passed"],
    ]);
    expect(result.overallPct).toBe(25);
  });
});

describe("measureChaosRecovery", () => {
  const period = (status: "up" | "down", startedAt: Date, endedAt: Date | null) =>
    prisma.statePeriod.create({
      data: { componentId: "api", status, startedAt, lastSeenAt: endedAt ?? startedAt, endedAt, intervalMs: 5000 },
    });

  it("measures from the end of the fault to the first confirmed up in the history", async () => {
    await period("up", at(-3600), at(1000));
    await period("down", at(1000), at(1042));
    await period("up", at(1042), null);
    // The fault ran 990 s → 1030 s; the monitor confirmed the API up again 12 s after it ended.
    expect(await measureChaosRecovery(prisma, "api", at(1030))).toEqual({ recoveredAt: at(1042), recoverySeconds: 12 });
    await prisma.chaosRun.create({
      data: {
        name: "api-restart",
        fault: "pod-delete",
        target: "api",
        startedAt: at(990),
        endedAt: at(1030),
        source: "token ci",
      },
    });
    const { result } = await evaluateLive({ prisma, config }, at(1100));
    expect(result.checks.find((c) => c.id === "restart")).toMatchObject({
      verdict: "passed",
      measured: "recovered in 12s",
    });
  });

  it("counts a component that never went down from its first successful check after the fault", async () => {
    await prisma.probeResult.createMany({
      data: [
        { componentId: "api", checkedAt: at(1995), ok: true, status: "up", latencyMs: 3, workerId: "w" },
        { componentId: "api", checkedAt: at(2003), ok: false, status: "down", latencyMs: 3, workerId: "w" },
        { componentId: "api", checkedAt: at(2008), ok: true, status: "up", latencyMs: 3, workerId: "w" },
      ],
    });
    expect(await measureChaosRecovery(prisma, "api", at(2000))).toEqual({ recoveredAt: at(2008), recoverySeconds: 8 });
  });

  it("has no figure while the component is still down", async () => {
    await prisma.statePeriod.deleteMany();
    await period("down", at(3000), null);
    expect(await measureChaosRecovery(prisma, "api", at(3010))).toEqual({ recoveredAt: null, recoverySeconds: null });
  });
});

describe("recordSnapshot", () => {
  it("stores the first result, skips an unchanged one, stores a change and an hourly one, and its hash verifies from the stored JSON", async () => {
    await prisma.readinessSnapshot.deleteMany();
    const first = await evaluateLive({ prisma, config }, at(5000));
    const a = await recordSnapshot(prisma, first.result, at(5000));
    expect(a).toMatchObject({ stored: true, snapshot: { reason: "first" } });
    expect(
      (await recordSnapshot(prisma, (await evaluateLive({ prisma, config }, at(5030))).result, at(5030))).stored,
    ).toBe(false);
    await run("unit", 99, at(5040));
    const changed = await recordSnapshot(prisma, (await evaluateLive({ prisma, config }, at(5060))).result, at(5060));
    expect(changed).toMatchObject({ stored: true, snapshot: { reason: "change" } });
    expect(changed.snapshot.overallPct).toBeGreaterThan(a.snapshot.overallPct ?? 0);
    const hourly = await recordSnapshot(
      prisma,
      (await evaluateLive({ prisma, config }, at(5060 + 3600))).result,
      at(5060 + 3600),
    );
    expect(hourly).toMatchObject({ stored: true, snapshot: { reason: "hourly" } });
    const rows = await prisma.readinessSnapshot.findMany({ orderBy: { takenAt: "asc" } });
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(verifySnapshot(row)).toBe(true);
    // Any change to the stored result breaks its hash.
    const tampered = rows[0];
    if (!tampered) throw new Error("no snapshot");
    expect(verifySnapshot({ ...tampered, result: { ...(tampered.result as object), overallPct: 100 } })).toBe(false);
  });

  it("stores one snapshot when two processes record the same change at once", async () => {
    await prisma.readinessSnapshot.deleteMany();
    const other = createPrismaClient(database.url, 1);
    try {
      const { result } = await evaluateLive({ prisma, config }, at(9000));
      const outcomes = await Promise.all([
        recordSnapshot(prisma, result, at(9000)),
        recordSnapshot(other, result, at(9000)),
      ]);
      expect(outcomes.filter((o) => o.stored)).toHaveLength(1);
      expect(await prisma.readinessSnapshot.count()).toBe(1);
    } finally {
      await other.$disconnect();
    }
  });
});
