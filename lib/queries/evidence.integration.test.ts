import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { getLoadChaosView, getTestsView } from "./evidence";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date("2026-03-10T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

const config = buildTestConfig({
  components: [
    { id: "api", name: "API", service: "FastAPI", probe: { type: "http", url: "http://127.0.0.1:9/health" } },
    { id: "cache", name: "Cache", service: "Redis", probe: { type: "http", url: "http://127.0.0.1:9/health" } },
  ],
  scorecard: {
    categories: [
      {
        id: "testing",
        name: "Testing",
        checks: [
          { id: "unit-tests", kind: "testSuite", name: "Unit tests", suite: "unit", minPassRatePct: 95, maxAge: "7d" },
          {
            id: "security-tests",
            kind: "testSuite",
            name: "Security tests",
            suite: "security",
            minPassRatePct: 99,
            maxAge: "7d",
            critical: true,
          },
          {
            id: "integration-tests",
            kind: "testSuite",
            name: "Integration tests",
            suite: "integration",
            minPassRatePct: 90,
          },
        ],
      },
      {
        id: "performance",
        name: "Performance",
        checks: [{ id: "k6-baseline", kind: "loadTest", name: "k6 baseline", test: "k6-baseline", maxAge: "7d" }],
      },
      {
        id: "dr",
        name: "Disaster recovery",
        checks: [
          {
            id: "api-restart-recovery",
            kind: "chaos",
            name: "API restart",
            experiment: "api-restart",
            maxRecovery: "30s",
            critical: true,
          },
          {
            id: "db-outage-recovery",
            kind: "chaos",
            name: "Database outage",
            experiment: "database-outage",
            maxRecovery: "30s",
          },
        ],
      },
    ],
  },
});

let database: TestDatabase;
let prisma: PrismaClient;

function testRun(
  suite: string,
  receivedAt: Date,
  figures: {
    tests: number;
    passed: number;
    failed?: number;
    flakyTests?: string[];
    failures?: { name: string; message: string | null }[];
  },
) {
  const failed = figures.failed ?? 0;
  const flaky = figures.flakyTests?.length ?? 0;
  return prisma.testRun.create({
    data: {
      suite,
      kind: suite === "security" ? "security" : "unit",
      receivedAt,
      source: "token ci",
      tests: figures.tests,
      passed: figures.passed,
      failed,
      errors: 0,
      skipped: 0,
      flaky,
      durationS: 12.5,
      passRatePct: (100 * (figures.passed + flaky)) / figures.tests,
      flakyTests: figures.flakyTests ?? [],
      failures: figures.failures ?? [],
    },
  });
}

beforeAll(async () => {
  database = await createTestDatabase("pf_evidence_view");
  prisma = createPrismaClient(database.url, 2);

  // unit: 12 runs, one an hour; the two oldest are outside the flaky window of 10.
  for (let i = 11; i >= 0; i--) {
    const flakyTests =
      i >= 10 ? ["test_old_flake"] : i % 2 === 0 ? ["test_cache_warmup", "test_retry"] : ["test_cache_warmup"];
    await testRun("unit", ago(i * HOUR), {
      tests: 200,
      passed: 200 - flakyTests.length - (i === 0 ? 4 : 0),
      failed: i === 0 ? 4 : 0,
      flakyTests,
      failures: i === 0 ? [{ name: "tests.test_users.test_create", message: "AssertionError: 500 != 201" }] : [],
    });
  }
  // security: one run, 8 days old and above its threshold: stale, so pending.
  await testRun("security", ago(8 * DAY), { tests: 100, passed: 100 });
  // lint: never named by the scorecard, still shown.
  await testRun("lint", ago(2 * HOUR), { tests: 10, passed: 9, failed: 1 });

  const thresholds = [
    { name: "p(95)<500", metric: "http_req_duration", passed: true },
    { name: "rate<0.001", metric: "http_req_failed", passed: false },
  ];
  await prisma.loadTestRun.create({
    data: {
      test: "k6-baseline",
      receivedAt: ago(3 * HOUR),
      source: "token ci",
      shape: "handleSummary",
      p50Ms: 40,
      p90Ms: 70,
      p95Ms: 85,
      p99Ms: 120,
      avgMs: 50,
      maxMs: 150,
      errorRatePct: 0.5,
      requestRatePerS: 512.3,
      checksPassed: 990,
      checksFailed: 10,
      thresholds,
      allThresholdsPassed: false,
      durationS: 140,
    },
  });
  await prisma.loadTestRun.create({
    data: {
      test: "k6-baseline",
      receivedAt: ago(1 * HOUR),
      source: "upload",
      shape: "summary-export",
      p50Ms: 38,
      p90Ms: 66,
      p95Ms: 80,
      p99Ms: 110,
      avgMs: 47,
      maxMs: 140,
      errorRatePct: 0.05,
      requestRatePerS: 530,
      checksPassed: 1000,
      checksFailed: 0,
      thresholds: [{ ...thresholds[0], passed: true }],
      allThresholdsPassed: true,
      durationS: null,
    },
  });

  // The API is down from 10:00:00 to 10:00:12 (a restart ending at 10:00:00) and at 11:00:00 for 45 s.
  const t = (hhmmss: string) => new Date(`2026-03-10T${hhmmss}.000Z`);
  await prisma.statePeriod.createMany({
    data: [
      {
        componentId: "api",
        status: "up",
        startedAt: t("08:00:00"),
        lastSeenAt: t("09:59:50"),
        endedAt: t("09:59:55"),
        intervalMs: 5000,
      },
      {
        componentId: "api",
        status: "down",
        startedAt: t("09:59:55"),
        lastSeenAt: t("10:00:10"),
        endedAt: t("10:00:12"),
        intervalMs: 5000,
      },
      {
        componentId: "api",
        status: "up",
        startedAt: t("10:00:12"),
        lastSeenAt: t("10:59:50"),
        endedAt: t("10:59:55"),
        intervalMs: 5000,
      },
      {
        componentId: "api",
        status: "down",
        startedAt: t("10:59:55"),
        lastSeenAt: t("11:00:40"),
        endedAt: t("11:00:45"),
        intervalMs: 5000,
      },
      {
        componentId: "api",
        status: "up",
        startedAt: t("11:00:45"),
        lastSeenAt: t("11:59:55"),
        endedAt: null,
        intervalMs: 5000,
      },
      {
        componentId: "cache",
        status: "down",
        startedAt: t("11:30:00"),
        lastSeenAt: t("11:59:55"),
        endedAt: null,
        intervalMs: 5000,
      },
    ],
  });
  await prisma.chaosRun.createMany({
    data: [
      {
        name: "api-restart",
        fault: "pod-delete",
        target: "api",
        startedAt: t("09:59:50"),
        endedAt: t("10:00:00"),
        receivedAt: t("10:05:00"),
        source: "token ci",
        verdict: "Pass",
      },
      {
        name: "api-restart",
        fault: "pod-delete",
        target: "api",
        startedAt: t("10:59:50"),
        endedAt: t("11:00:00"),
        receivedAt: t("11:05:00"),
        source: "upload",
        expectedRecoveryS: 20,
      },
      {
        name: "cache-failure",
        fault: "container-stop",
        target: "cache",
        startedAt: t("11:29:00"),
        endedAt: t("11:30:00"),
        receivedAt: t("11:31:00"),
        source: "token ci",
      },
    ],
  });
});

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

describe("getTestsView", () => {
  it("shows every suite seen or named, with the latest run judged against its scorecard threshold", async () => {
    const view = await getTestsView(prisma, config, NOW);
    expect(view.suites.map((s) => s.suite)).toEqual(["integration", "lint", "security", "unit"]);
    const [integration, lint, security, unit] = view.suites;

    expect(unit?.latest).toMatchObject({
      tests: 200,
      passed: 194,
      failed: 4,
      flaky: 2,
      source: "token ci",
      receivedAt: NOW.toISOString(),
    });
    expect(unit?.latest?.passRatePct).toBeCloseTo(98);
    expect(unit?.checks).toEqual([
      expect.objectContaining({
        checkId: "unit-tests",
        verdict: "passed",
        stale: false,
        maxAgeMs: 7 * DAY,
        threshold: "pass rate ≥ 95 %",
      }),
    ]);
    expect(unit?.failures).toEqual([{ name: "tests.test_users.test_create", message: "AssertionError: 500 != 201" }]);

    // Oldest first, every run up to 30.
    expect(unit?.trend).toHaveLength(12);
    expect(unit?.trend[0]?.receivedAt).toBe(ago(11 * HOUR).toISOString());
    expect(unit?.trend[11]?.passRatePct).toBeCloseTo(98);
    expect(unit?.trend[10]?.passRatePct).toBeCloseTo(100);

    // The last 10 runs: test_cache_warmup in all of them, test_retry in the five even hours, test_old_flake outside.
    expect(unit?.flakyWindowRuns).toBe(10);
    expect(unit?.flakyTests).toEqual([
      { name: "test_cache_warmup", runs: 10 },
      { name: "test_retry", runs: 5 },
    ]);

    expect(security?.checks[0]).toMatchObject({ verdict: "pending", stale: true, critical: true });
    expect(security?.checks[0]?.reason).toMatch(/^evidence is 8d 0h old, older than 7d 0h$/);
    expect(security?.ageMs).toBe(8 * DAY);

    expect(lint).toMatchObject({ configured: false, checks: [], failures: [] });
    expect(lint?.latest?.passRatePct).toBeCloseTo(90);

    expect(integration).toMatchObject({ configured: true, latest: null, ageMs: null, trend: [], flakyTests: [] });
    expect(integration?.checks[0]).toMatchObject({
      verdict: "pending",
      reason: 'no test results for suite "integration"',
    });
  });
});

describe("getLoadChaosView", () => {
  it("lists k6 runs newest first with every figure and each threshold's verdict", async () => {
    const view = await getLoadChaosView(prisma, config, NOW);
    expect(view.loadTests.map((l) => l.test)).toEqual(["k6-baseline"]);
    const runs = view.loadTests[0]?.runs ?? [];
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({
      source: "upload",
      shape: "summary-export",
      p95Ms: 80,
      errorRatePct: 0.05,
      requestRatePerS: 530,
      allThresholdsPassed: true,
      durationS: null,
    });
    expect(runs[0]?.checks[0]).toMatchObject({ checkId: "k6-baseline", verdict: "passed" });
    expect(runs[1]).toMatchObject({
      p50Ms: 40,
      p90Ms: 70,
      p95Ms: 85,
      p99Ms: 120,
      avgMs: 50,
      maxMs: 150,
      checksPassed: 990,
      checksFailed: 10,
      durationS: 140,
      allThresholdsPassed: false,
    });
    expect(runs[1]?.thresholds).toEqual([
      { name: "p(95)<500", metric: "http_req_duration", passed: true },
      { name: "rate<0.001", metric: "http_req_failed", passed: false },
    ]);
    expect(runs[1]?.checks[0]).toMatchObject({ verdict: "failed", reason: "thresholds failed: rate<0.001" });
  });

  it("measures each chaos run's recovery from probe history and judges it against the experiment's bound", async () => {
    const view = await getLoadChaosView(prisma, config, NOW);
    expect(view.chaosRuns.map((r) => [r.name, r.endedAt])).toEqual([
      ["cache-failure", "2026-03-10T11:30:00.000Z"],
      ["api-restart", "2026-03-10T11:00:00.000Z"],
      ["api-restart", "2026-03-10T10:00:00.000Z"],
    ]);
    const [cache, slow, fast] = view.chaosRuns;
    expect(fast).toMatchObject({
      recoverySeconds: 12,
      recoveredAt: "2026-03-10T10:00:12.000Z",
      toolVerdict: "Pass",
      targetName: "API",
      faultDurationS: 10,
    });
    expect(fast?.checks).toEqual([
      expect.objectContaining({
        checkId: "api-restart-recovery",
        maxRecoveryMs: 30_000,
        verdict: "passed",
        critical: true,
      }),
    ]);
    expect(slow).toMatchObject({ recoverySeconds: 45, expectedRecoveryS: 20, source: "upload" });
    expect(slow?.checks[0]).toMatchObject({ verdict: "failed", reason: "recovery too slow" });
    // No check names cache-failure, and the cache has not come back.
    expect(cache).toMatchObject({ recoverySeconds: null, recoveredAt: null, checks: [] });

    expect(view.chaosPending).toEqual([
      {
        checkId: "db-outage-recovery",
        checkName: "Database outage",
        experiment: "database-outage",
        maxRecoveryMs: 30_000,
        critical: false,
      },
    ]);
  });
});
