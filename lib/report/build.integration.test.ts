import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigFile, type LoadedConfig } from "../config/load";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { ensurePartitions } from "../history/partitions";
import { evaluateLive } from "../queries/readiness";
import { recordSnapshot } from "../readiness/snapshot";
import { seedPlan } from "../services/plan/seed";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { buildReport } from "./build";
import { renderMarkdown } from "./markdown";
import type { TReport } from "./types";

// The report built from a real database and the shipped configuration, with none of x0tta6bl4's services up:
// what has evidence appears with its window and source, what has none (PromQL that cannot be reached, suites
// never pushed, a component never checked) is unverified with the reason, and no password reaches the output.

const NOW = new Date("2026-01-16T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const H = 3_600_000;
const PG_PASSWORD = "pg-Secret-42x";

let database: TestDatabase;
let prisma: PrismaClient;
let loaded: LoadedConfig;
let report: TReport;
let markdown: string;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 2);
  // Port 9 (discard) refuses connections: PromQL comes back "unreachable" at once, whether or not a demo is running.
  loaded = loadConfigFile(join(import.meta.dirname, "..", "..", "preflight.config.yaml"), {
    ...process.env,
    X0_PROMETHEUS_URL: "http://127.0.0.1:9",
    X0_PG_PASSWORD: PG_PASSWORD,
  });
  const { config } = loaded;
  await ensurePartitions(prisma, ago(24 * H), NOW);

  // The API has been up for 22 hours and was checked 2 s ago; the database was never checked.
  await prisma.componentState.create({
    data: {
      componentId: "api",
      status: "up",
      since: ago(22 * H),
      observedStatus: "up",
      streak: 100,
      lastCheckedAt: ago(2_000),
      lastLatencyMs: 12,
    },
  });
  await prisma.statePeriod.create({
    data: {
      componentId: "api",
      status: "up",
      startedAt: ago(22 * H),
      lastSeenAt: ago(2_000),
      endedAt: null,
      intervalMs: 5_000,
    },
  });
  // An API restart ended 3 h ago; the first good check came 7 s later.
  await prisma.chaosRun.create({
    data: {
      name: "api-restart",
      fault: "pod-delete",
      target: "api",
      startedAt: ago(3 * H + 60_000),
      endedAt: ago(3 * H),
      source: "token ci",
    },
  });
  await prisma.probeResult.create({
    data: {
      componentId: "api",
      checkedAt: new Date(ago(3 * H).getTime() + 7_000),
      ok: true,
      status: "up",
      latencyMs: 11,
      workerId: "w1",
    },
  });

  await prisma.testRun.create({
    data: {
      suite: "unit",
      kind: "unit",
      receivedAt: ago(2 * H),
      source: "token ci",
      tests: 200,
      passed: 198,
      failed: 2,
      errors: 0,
      skipped: 0,
      flaky: 1,
      passRatePct: 99,
      flakyTests: ["test_users_api.py::test_list"],
      failures: [],
    },
  });
  await prisma.loadTestRun.create({
    data: {
      test: "k6-baseline",
      receivedAt: ago(H),
      source: "token ci",
      shape: "handleSummary",
      p95Ms: 420,
      p99Ms: 610,
      errorRatePct: 0.05,
      requestRatePerS: 512,
      thresholds: [{ name: "p(95)<500", metric: "http_req_duration", passed: true }],
      allThresholdsPassed: true,
    },
  });
  await prisma.attestation.create({
    data: {
      checkId: "pqc-enabled",
      answer: "yes",
      evidenceUrl: "https://wiki.example/pqc-test",
      attestedBy: "Sam Security",
      expiresAt: new Date(NOW.getTime() + 20 * 24 * H),
      createdAt: ago(24 * H),
      source: "app",
    },
  });
  await seedPlan(prisma, config.plan, ago(48 * H));
  // A snapshot on the last day of phase 1 (which ended 2026-01-15), and one today.
  const { result } = await evaluateLive({ prisma, config }, ago(16 * H));
  await recordSnapshot(prisma, { ...result, overallPct: 41.25 }, new Date("2026-01-15T20:00:00Z"));
  await recordSnapshot(prisma, (await evaluateLive({ prisma, config }, ago(H))).result, ago(H));

  report = await buildReport({ prisma, config, secrets: loaded.secrets }, NOW);
  markdown = renderMarkdown(report);
}, 120_000);

afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const component = (id: string) => report.components.rows.find((c) => c.id === id);

describe("buildReport", () => {
  it("states the system, the score with its window and source, and the gate", () => {
    expect(report.system).toMatchObject({
      name: "x0tta6bl4",
      environment: "staging",
      release: { name: "Phase 4 go-live", targetDate: "2026-01-21" },
    });
    expect(report.summary.overallPct).not.toBeNull();
    expect(report.summary.overall).toMatchObject({ verified: true, window: "evaluated 16 Jan 2026, 12:00:00 UTC" });
    expect(report.summary.overall.source).toMatch(/^scorecard: \d+ checks in 11 categories/);
    expect(report.summary.gate.passed).toBe(false);
    expect(report.summary.snapshot?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(markdown.split("\n")[0]).toBe("# x0tta6bl4: production readiness report, 2026-01-16");
    expect(markdown).toContain(
      `**Overall production readiness:** ${report.summary.overall.value} (evaluated 16 Jan 2026, 12:00:00 UTC · scorecard:`,
    );
  });

  it("measures time in state and uptime from probe history; a component never checked is unverified", () => {
    // "Up for" runs to the last confirming check (2 s ago), not to now.
    expect(component("api")?.inState).toEqual({
      value: "up for 21h 59m",
      window: "since 15 Jan 2026, 14:00:00 UTC",
      source: "confirmed checks of api",
      verified: true,
      note: null,
    });
    expect(component("api")?.uptime["24h"]).toMatchObject({
      verified: true,
      value: "100 % (observed 22h 0m of 1d 0h)",
      source: "status history (probe checks, maintenance excluded)",
    });
    expect(component("api")?.uptime["24h"].window).toBe("last 24h, observed 22h 0m of 1d 0h");
    expect(component("api")?.latency.p95).toMatchObject({ verified: false, note: "no checks in 24 h" });
    expect(component("database")?.status).toBe("unknown");
    expect(component("database")?.inState).toMatchObject({ verified: false, value: null, note: "never checked" });
    expect(report.summary.operational).toMatchObject({ verified: true, value: "1/8" });
  });

  it("leaves what PromQL could not reach unverified, with the reason and the masked source", () => {
    const throughput = report.baselines.rows.find(
      (r) => r.baseline === "API requests (application metrics)" && r.metric === "Throughput",
    );
    expect(throughput?.verdict).toBe("no data");
    expect(throughput?.measured).toMatchObject({
      verified: false,
      value: null,
      source: "PromQL on http://127.0.0.1:9/",
    });
    expect(throughput?.measured.note).toMatch(/^Prometheus unreachable/);
    expect(report.baselines.resources?.error).toMatch(/Prometheus unreachable/);
    const errorRate = report.scorecard.checks.find((c) => c.id === "error-rate");
    expect(errorRate).toMatchObject({ verdict: "pending", measured: { verified: false } });
  });

  it("shows the attestation with who, when, evidence and expiry; an unattested check is unverified", () => {
    // mTLS is measured by the gateway probe now (never checked here: pending); the PQC key exchange is still attested.
    expect(report.security.find((c) => c.id === "mtls-enforced")).toMatchObject({
      kind: "componentUp",
      verdict: "pending",
    });
    const pqc = report.security.find((c) => c.id === "pqc-enabled");
    expect(pqc?.verdict).toBe("passed");
    expect(pqc?.attestation).toMatchObject({
      answer: "yes",
      by: "Sam Security",
      evidenceUrl: "https://wiki.example/pqc-test",
      expired: false,
      expiresAt: "2026-02-05T12:00:00.000Z",
    });
    // Measured from artefacts, not attested: with nothing pushed they are pending and unverified, never "yes".
    for (const id of ["code-scan", "no-critical-vulnerabilities", "supply-chain-sbom", "network-policies"]) {
      expect(report.security.find((c) => c.id === id)).toMatchObject({
        verdict: "pending",
        attestation: null,
        measured: { verified: false },
      });
    }
    expect(report.artefacts.security.map((a) => [a.kind, a.project, a.measured.verified])).toEqual([
      ["SARIF scan", "x0tta6bl4", false],
      ["SBOM", "x0tta6bl4", false],
    ]);
    expect(report.artefacts.infrastructure.map((a) => a.kind)).toEqual(["Kubernetes manifests", "compose file"]);
    const deployed = report.infrastructure.find((c) => c.id === "k8s-cluster-deployed");
    expect(deployed).toMatchObject({
      verdict: "pending",
      attestation: null,
      measured: { verified: false, note: "not attested yet" },
    });
    expect(report.security.map((c) => c.id)).toContain("security-tests");
    expect(report.infrastructure.map((c) => c.id)).toEqual(
      expect.arrayContaining(["k8s-cluster-deployed", "runbooks", "compose-stack-tested"]),
    );
    expect(report.infrastructure.map((c) => c.id)).not.toContain("mtls-enforced");
  });

  it("reports test, load and chaos evidence with its source; suites never pushed are unverified", () => {
    const unit = report.tests.find((s) => s.suite === "unit");
    expect(unit?.passRate).toMatchObject({
      verified: true,
      value: "99 %",
      window: "run received 16 Jan 2026, 10:00:00 UTC",
    });
    expect(unit?.passRate.source).toMatch(/^JUnit run #\d+ \(unit\) from token ci$/);
    expect(unit?.flakyTests).toEqual([{ name: "test_users_api.py::test_list", runs: 1 }]);
    expect(report.tests.find((s) => s.suite === "integration")?.passRate).toMatchObject({
      verified: false,
      note: "no JUnit run pushed",
    });
    const k6 = report.load.find((t) => t.test === "k6-baseline");
    expect(k6?.latest?.p95).toMatchObject({ verified: true, value: "420 ms" });
    expect(k6?.checks[0]?.verdict).toBe("passed");
    expect(report.chaos.find((c) => c.name === "api-restart")).toMatchObject({
      verdict: "passed",
      recovery: { verified: true, value: "recovered in 7s" },
    });
    expect(report.chaos.find((c) => c.name === "database-outage")).toMatchObject({
      verdict: "pending",
      recovery: { verified: false, note: "no run of this experiment pushed" },
    });
  });

  it("judges the criteria live and lays out the plan with measured beside expected readiness", () => {
    expect(report.criteria.find((c) => c.id === "services-stable")).toMatchObject({
      verdict: "passed",
      measured: { verified: true, value: "up for 21h 59m" },
    });
    expect(report.criteria.find((c) => c.id === "database-stable")).toMatchObject({
      verdict: "pending",
      measured: { verified: false },
    });
    const [phase1, phase2] = report.plan.phases;
    expect(phase1).toMatchObject({
      name: "Phase 1: Pre-Deployment Validation",
      expectedReadinessPct: 95,
      measured: { verified: true, value: "41.2 %", window: "end of phase (2026-01-15)" },
    });
    expect(phase1?.measured.source).toMatch(/^readiness snapshot [0-9a-f]{12} taken 15 Jan 2026, 20:00:00 UTC$/);
    expect(phase2?.measured).toMatchObject({
      verified: true,
      window: "now (phase not over)",
      value: report.summary.overall.value,
    });
    expect(report.plan.overdue).toBeGreaterThan(0);
    expect(report.plan.criticalPath.find((t) => t.title === "Load test execution")).toMatchObject({
      overdue: true,
      dueDate: "2026-01-15",
    });
    expect(report.plan.risks[0]).toMatchObject({
      ref: "R1",
      title: "Resource exhaustion under real traffic",
      score: 12,
      level: "medium",
    });
    expect(report.plan.riskLevel).toBe("medium");
    expect(report.signOff.rows.map((r) => r.state)).toEqual(["pending", "pending", "pending", "pending", "pending"]);
    expect(report.trend.days.map((d) => d.day)).toEqual(["2026-01-15", "2026-01-16"]);
  });

  it("counts what is unverified, derives the statements, and never prints the database password", () => {
    expect(report.summary.unverifiedCount).toBeGreaterThan(10);
    expect(report.summary.statements).toContain(
      "1 of 8 services are operational at their last checks (7 without a current state).",
    );
    expect(report.conclusion[0]).toMatch(/^x0tta6bl4 is \d+\.\d % production ready by its scorecard/);
    const database = report.appendix.endpoints.find((e) => e.component === "database");
    expect(database?.target).toBe("postgresql://x0tta6bl4:****@127.0.0.1:15432/x0tta6bl4");
    expect(JSON.stringify(report)).not.toContain(PG_PASSWORD);
    expect(markdown).not.toContain(PG_PASSWORD);
    expect(markdown).toContain("**unverified** (never checked)");
    expect(markdown).toContain("| Sam Security |");
  });
});
