import { known, unverified } from "./derive";
import type { TCheckRow, TReport } from "./types";

// A small, hand-built report for the renderers' tests: some figures measured, some unverified, and data that
// tries to break out of a Markdown table or an HTML page.

const check = (over: Partial<TCheckRow> & Pick<TCheckRow, "id" | "name">): TCheckRow => ({
  kind: "attestation",
  category: "security",
  categoryName: "Security & Compliance",
  critical: false,
  weight: 1,
  verdict: "passed",
  threshold: 'attested "yes"',
  measured: known("yes (alice)", "observed 2026-01-14 09:00 UTC", "https://wiki.example/mtls"),
  reason: null,
  ...over,
});

export function reportFixture(): TReport {
  const mtls = check({ id: "mtls-enforced", name: "mTLS enforced", critical: true });
  const pqc = check({
    id: "pqc",
    name: "PQC key exchange",
    verdict: "pending",
    measured: unverified("not attested yet"),
    reason: "not attested yet",
  });
  const api = check({
    id: "api-serving",
    kind: "componentUp",
    category: "architecture",
    categoryName: "Architecture & Design",
    name: "API serving",
    threshold: "up for at least 1h 0m",
    measured: known("up for 21h 4m", "observed 2026-01-14 10:00 UTC", "probe of api"),
  });
  const unit = check({
    id: "unit-tests",
    kind: "testSuite",
    category: "testing",
    categoryName: "Testing & Quality",
    name: "Unit tests | pass rate",
    verdict: "failed",
    threshold: "pass rate ≥ 95 %",
    measured: known("90 % of 100 tests", "observed 2026-01-14 08:00 UTC", "JUnit run #7 (unit) from token ci"),
    reason: "10 failed",
  });
  const attestation = {
    answer: "yes" as const,
    by: "alice",
    at: "2026-01-14T09:00:00.000Z",
    evidenceUrl: "https://wiki.example/mtls",
    expiresAt: "2026-02-13T09:00:00.000Z",
    expired: false,
    comment: "",
  };
  return {
    generatedAt: "2026-01-14T10:00:00.000Z",
    zone: "UTC",
    system: {
      name: "x0tta6bl4",
      description: "Mesh platform",
      environment: "staging",
      release: { name: "Phase 4 go-live", targetDate: "2026-01-21" },
    },
    summary: {
      scorecardConfigured: true,
      overall: known("87.5 %", "evaluated 2026-01-14 10:00 UTC", "scorecard: 4 checks in 3 categories"),
      overallPct: 87.5,
      gate: { passed: false, minScorePct: 90, reasons: ["score 87.5 % is below the 90 % minimum"] },
      goLive: { configured: true, approved: false, missing: ["Product Owner: not signed"] },
      blockers: [{ name: "Load tests", kind: "criterion", verdict: "pending", reason: "no load-test results" }],
      operational: known("1/2", "at each component's last check", "probes"),
      snapshot: { hash: "ab".repeat(32), takenAt: "2026-01-14T09:59:00.000Z", overallPct: 87.5, matchesReport: true },
      statements: [
        "1 of 2 services are operational at their last checks.",
        "Readiness is 87.5 % against a gate of 90 %: the gate is closed.",
      ],
      unverifiedCount: 5,
    },
    components: {
      rows: [
        {
          id: "api",
          name: "API",
          service: "FastAPI Server",
          probeType: "http",
          status: "up",
          inState: known("up for 21h 4m", "since 2026-01-13 12:56 UTC", "probe history of api"),
          since: "2026-01-13T12:56:00.000Z",
          uptime: {
            "24h": known("99.95 %", "last 24h", "status history"),
            "7d": known("99.9 %", "last 7d", "status history"),
            "30d": unverified("nothing known in this window", "last 30d", "status history"),
            "90d": unverified("nothing known in this window", "last 90d", "status history"),
          },
          latency: {
            avg: known("42 ms", "last 24 h", "hour rollups"),
            p50: known("40 ms", "last 24 h", "hour rollups"),
            p95: known("85 ms", "last 24 h", "hour rollups"),
            p99: known("120 ms", "last 24 h", "hour rollups"),
          },
          lastCheckedAt: "2026-01-14T09:59:58.000Z",
          maintenance: null,
        },
        {
          id: "database",
          name: "Database",
          service: "PostgreSQL",
          probeType: "postgres",
          status: "unknown",
          inState: unverified("never checked", null, "probe history"),
          since: null,
          uptime: {
            "24h": unverified("nothing known"),
            "7d": unverified("nothing known"),
            "30d": unverified("nothing known"),
            "90d": unverified("nothing known"),
          },
          latency: {
            avg: unverified("no checks"),
            p50: unverified("no checks"),
            p95: unverified("no checks"),
            p99: unverified("no checks"),
          },
          lastCheckedAt: null,
          maintenance: null,
        },
      ],
      operational: 1,
      total: 2,
      workerRunning: true,
      lastIncident: null,
    },
    postDeployment: {
      state: "watching",
      summary: "watching (3h 10m of 1d): passing so far",
      deployedAt: "2026-01-14T09:00:00.000Z",
      rows: [
        { component: "api", criterion: "error rate", text: "error rate 0.26 % (≤ 1 %)", ok: true },
        { component: "api", criterion: "p95", text: "P95 85 ms (≤ 200 ms)", ok: true },
      ],
    },
    slos: [
      {
        name: "API availability",
        objective: "99.9 % over 30d",
        sli: known("99.95 %", "30d rolling", "probe history (state periods) of api, 30d rolling"),
        budgetLeft: known("50.00 %", "30d rolling", "probe history (state periods) of api, 30d rolling"),
        state: "ok",
        burn: "1h 0×, 6h 0.2×, 3d 0.5×",
      },
      {
        name: "API under 200 ms",
        objective: "99 % over 30d",
        sli: unverified("nothing observed yet", "30d rolling", "latency histograms of api"),
        budgetLeft: unverified("nothing observed yet", "30d rolling", "latency histograms of api"),
        state: "no data",
        burn: "1h –, 6h –, 3d –",
      },
    ],
    baselines: {
      rows: [
        {
          baseline: "Health endpoint (/health)",
          metric: "P95",
          measured: known("85.0 ms", "last 1d 0h", "probe history of api (17280 checks)"),
          target: "≤ 200 ms",
          verdict: "pass",
        },
        {
          baseline: "API requests",
          metric: "Throughput",
          measured: unverified(
            "Prometheus unreachable (ECONNREFUSED)",
            "now (PromQL rate windows)",
            "PromQL on http://127.0.0.1:19090/",
          ),
          target: "≥ 500 req/s",
          verdict: "no data",
        },
      ],
      resources: {
        rows: [],
        maxUtilisationPct: 80,
        source: "PromQL on http://127.0.0.1:19090/",
        error: "cpu: Prometheus unreachable",
      },
    },
    security: [
      { ...mtls, question: "Is a client without a certificate refused?", attestation },
      { ...pqc, question: "Do mesh links negotiate PQC?", attestation: null },
    ],
    infrastructure: [],
    artefacts: {
      security: [
        {
          kind: "SARIF scan",
          project: "x0tta6bl4",
          measured: known(
            "1 error, 2 warnings, 0 notes (ESLint)",
            "received 2026-01-14 08:00 UTC",
            "SARIF scan #3 from token ci",
          ),
          checks: [
            {
              name: "No error-level result",
              verdict: "failed",
              reason: "1 result at or above error: no-eval at src/a.ts:3",
            },
          ],
          findings: [
            {
              severity: "error",
              rule: "no-eval",
              object: "ESLint",
              location: "src/a.ts:3",
              message: "eval can be harmful | pipe",
            },
          ],
          findingsTotal: 3,
          changes: "since #2: 1 new, 0 resolved",
        },
      ],
      infrastructure: [
        {
          kind: "Kubernetes manifests",
          project: "x0tta6bl4",
          measured: known(
            "24 objects, 6 workloads; 1 finding",
            "received 2026-01-14 08:00 UTC",
            "Kubernetes manifests #1 from token ci",
          ),
          checks: [
            {
              name: "Pod disruption budgets set",
              verdict: "failed",
              reason: "Deployment/x0tta6bl4/worker: no PodDisruptionBudget selects its pods",
            },
          ],
          findings: [
            {
              severity: "fail",
              rule: "disruptionBudget",
              object: "Deployment/x0tta6bl4/worker",
              location: "line 120",
              message: "no PodDisruptionBudget selects its pods",
            },
          ],
          findingsTotal: 1,
          changes: null,
        },
      ],
      coverage: [],
    },
    tests: [
      {
        suite: "unit",
        configured: true,
        kind: "unit",
        passRate: known("90 %", "run received 2026-01-14 08:00 UTC", "JUnit run #7 (unit) from token ci"),
        tests: 100,
        failed: 10,
        skipped: 0,
        flaky: 1,
        checks: [
          {
            name: "Unit tests pass rate",
            threshold: "pass rate ≥ 95 %",
            verdict: "failed",
            critical: false,
            reason: "10 failed",
          },
        ],
        flakyTests: [{ name: "test_users_api.py::test_list|pipe\nnewline", runs: 2 }],
        flakyWindowRuns: 3,
      },
      {
        suite: "security",
        configured: true,
        kind: null,
        passRate: unverified("no JUnit run pushed"),
        tests: null,
        failed: null,
        skipped: null,
        flaky: null,
        checks: [],
        flakyTests: [],
        flakyWindowRuns: 0,
      },
    ],
    load: [
      {
        test: "k6-baseline",
        configured: true,
        runs: 0,
        latest: null,
        checks: [
          {
            name: "k6",
            threshold: "every k6 threshold passed",
            verdict: "pending",
            critical: true,
            reason: "no load-test results",
          },
        ],
      },
    ],
    chaos: [
      {
        name: "api-restart",
        fault: "pod-delete",
        target: "API",
        endedAt: "2026-01-14T07:00:00.000Z",
        recovery: known("recovered in 12s", "after the fault ended", "chaos run #3; recovery from probe history"),
        bound: "≤ 30s",
        verdict: "passed",
        critical: true,
      },
    ],
    scorecard: {
      configured: true,
      gateMinPct: 90,
      categories: [
        {
          id: "security",
          name: "Security & Compliance",
          weight: 2,
          score: known("50.0 %", "evaluated now", "1 of 2 checks passed"),
          passed: 1,
          counted: 2,
        },
        {
          id: "architecture",
          name: "Architecture & Design",
          weight: 1,
          score: known("100.0 %", "evaluated now", "1 of 1 checks passed"),
          passed: 1,
          counted: 1,
        },
      ],
      checks: [mtls, pqc, api, unit],
    },
    criteria: [
      {
        ...api,
        id: "services-stable",
        name: "Critical services stable (21+ hours)",
        category: null,
        categoryName: null,
        critical: true,
        kind: "componentUp",
      },
      {
        ...pqc,
        id: "load-tests",
        name: "Load tests",
        category: null,
        categoryName: null,
        kind: "check",
        critical: true,
      },
    ],
    plan: {
      seeded: true,
      phases: [
        {
          name: "Phase 1: Pre-Deployment Validation",
          startDate: "2026-01-14",
          endDate: "2026-01-15",
          goal: "95 %+ pass rate",
          expectedReadinessPct: 95,
          measured: known("87.5 %", "now (phase not over)", "live evaluation"),
          tasks: [
            {
              title: "Execute full integration test suite",
              phase: "Phase 1: Pre-Deployment Validation",
              owner: "",
              dueDate: "2026-01-15",
              status: "todo",
              overdue: false,
              notes: "",
            },
          ],
        },
      ],
      criticalPath: [
        {
          title: "Health checks completed",
          phase: null,
          owner: "Operations Lead",
          dueDate: "2026-01-13",
          status: "done",
          overdue: false,
          notes: "",
        },
        {
          title: "Load test execution",
          phase: "Phase 1: Pre-Deployment Validation",
          owner: "Technical Lead",
          dueDate: "2026-01-13",
          status: "todo",
          overdue: true,
          notes: "",
        },
      ],
      overdue: 1,
      limitations: [
        {
          title: "No live Kubernetes cluster",
          impact: "Cannot validate staging",
          mitigation: "Manifests validated",
          timeline: "Not blocking",
          blocking: false,
          resolvedAt: null,
        },
      ],
      risks: [
        {
          ref: "R1",
          title: "Resource exhaustion",
          area: "operational",
          probability: 3,
          impact: 4,
          probabilityLabel: "possible",
          impactLabel: "major",
          score: 12,
          level: "medium",
          mitigation: "Monitor",
          owner: "Ops",
          status: "open",
        },
        {
          ref: "R2",
          title: "Rollback needed",
          area: "deployment",
          probability: 1,
          impact: 3,
          probabilityLabel: "rare",
          impactLabel: "moderate",
          score: 3,
          level: "low",
          mitigation: "Blue-green",
          owner: "Ops",
          status: "open",
        },
      ],
      riskLevel: "medium",
      recommendations: [{ text: "Execute the tests now", done: false }],
      preDeployment: [
        { text: "All tests passed (>90 % pass rate)", done: true },
        { text: "Security scan completed", done: false },
      ],
      postDeployment: [{ text: "24-hour active monitoring", done: false }],
    },
    signOff: {
      configured: true,
      release: "Phase 4 go-live",
      rows: [
        {
          role: "technical-lead",
          name: "Technical Lead",
          required: true,
          holders: ["Alice"],
          state: "approved",
          reason: null,
          signedBy: "Alice",
          signedAt: "2026-01-14T09:30:00.000Z",
          decision: "approve",
          comment: "LGTM | ship\nit",
          snapshot: { hash: "cd".repeat(32), overallPct: 87.5 },
        },
        {
          role: "product-owner",
          name: "Product Owner",
          required: true,
          holders: [],
          state: "pending",
          reason: null,
          signedBy: null,
          signedAt: null,
          decision: null,
          comment: null,
          snapshot: null,
        },
      ],
      goLive: { approved: false, missing: ["Product Owner: not signed"] },
    },
    trend: {
      windowDays: 30,
      days: [
        { day: "2026-01-12", takenAt: "2026-01-12T23:00:00.000Z", overallPct: 70, blockers: 3, snapshots: 24 },
        { day: "2026-01-14", takenAt: "2026-01-14T09:59:00.000Z", overallPct: 87.5, blockers: 1, snapshots: 10 },
      ],
      source: "readiness snapshots",
    },
    conclusion: [
      "x0tta6bl4 is 87.5 % production ready by its scorecard.",
      "The go-live gate is closed: score 87.5 % is below the 90 % minimum.",
    ],
    appendix: {
      metrics: [
        { label: "Readiness", figure: known("87.5 %", "evaluated 2026-01-14 10:00 UTC", "scorecard") },
        { label: "Continuous uptime", figure: unverified("Database is unknown", null, "probe history") },
      ],
      endpoints: [
        { component: "api", name: "API", probeType: "http", target: "http://127.0.0.1:18000/health" },
        {
          component: "database",
          name: "Database",
          probeType: "postgres",
          target: "postgresql://x0tta6bl4:****@127.0.0.1:15432/x0tta6bl4",
        },
      ],
    },
  };
}
