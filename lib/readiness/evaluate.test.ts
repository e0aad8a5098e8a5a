import { describe, expect, it } from "vitest";
import { ZScorecard, type TScorecard } from "../config/scorecard-schema";
import { evaluateReadiness, judgeCheck } from "./evaluate";
import { emptyFacts, uptimeKey, type ReadinessFacts } from "./facts";

const NOW = new Date("2026-01-14T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const H = 3_600_000;
const D = 24 * H;
const source = { source: "ci", at: ago(H) };

function card(input: unknown): TScorecard {
  return ZScorecard.parse(input);
}
const check = (c: Record<string, unknown>) =>
  card({ categories: [{ id: "c", name: "C", checks: [{ id: "x", name: "X", ...c }] }] }).categories[0]?.checks[0] ??
  (() => {
    throw new Error("no check");
  })();
const facts = (patch: Partial<ReadinessFacts>): ReadinessFacts => ({ ...emptyFacts(), ...patch });

describe("judgeCheck on the artefact kinds", () => {
  const vuln = (over: Record<string, unknown> = {}) => ({
    id: "CVE-1",
    severity: "high" as const,
    components: ["lib@1"],
    fixAvailable: false,
    fixedIn: null,
    published: null,
    updated: null,
    analysisState: null,
    counted: true,
    source: "nvd",
    ...over,
  });
  const sbom = (over: Record<string, unknown> = {}): ReadinessFacts["sboms"][string] => ({
    format: "CycloneDX 1.6",
    scanned: true,
    components: 10,
    withoutVersion: 0,
    withoutLicence: 0,
    counts: { critical: 0, high: 0, medium: 0, low: 0, other: 0 },
    vulnerabilities: [],
    ...source,
    ...over,
  });

  it("vulnerabilities: unknown is not zero, counts against each maximum, fix age from the push, undated fixes pending, stale pending", () => {
    const c = check({ kind: "vulnerabilities", project: "p", maxHigh: 1, maxFixAge: "14d", maxAge: "7d" });
    expect(judgeCheck(c, emptyFacts(), NOW)).toMatchObject({ verdict: "pending", reason: 'no SBOM for project "p"' });
    expect(judgeCheck(c, facts({ sboms: { p: sbom({ scanned: false }) } }), NOW)).toMatchObject({
      verdict: "pending",
      reason: expect.stringContaining("carries no vulnerability analysis"),
    });
    expect(judgeCheck(c, facts({ sboms: { p: sbom() } }), NOW)).toMatchObject({
      verdict: "passed",
      measured: "0 critical, 0 high, 0 medium, 0 low",
    });
    const critical = sbom({
      counts: { critical: 1, high: 0, medium: 0, low: 0, other: 0 },
      vulnerabilities: [vuln({ id: "CVE-9", severity: "critical" })],
    });
    expect(judgeCheck(c, facts({ sboms: { p: critical } }), NOW)).toMatchObject({
      verdict: "failed",
      reason: "1 critical (at most 0): CVE-9",
    });
    const twoHigh = sbom({
      counts: { critical: 0, high: 2, medium: 0, low: 0, other: 0 },
      vulnerabilities: [vuln({ id: "CVE-2" }), vuln({ id: "CVE-3" })],
    });
    expect(judgeCheck(c, facts({ sboms: { p: twoHigh } }), NOW)).toMatchObject({
      verdict: "failed",
      reason: "2 high (at most 1): CVE-2, CVE-3",
    });
    // Published 20 days before the push: the fix has been out longer than 14 d when the SBOM was made.
    const old = sbom({
      counts: { critical: 0, high: 1, medium: 0, low: 0, other: 0 },
      vulnerabilities: [vuln({ fixAvailable: true, fixedIn: "1.2", published: ago(20 * D + H).toISOString() })],
    });
    expect(judgeCheck(c, facts({ sboms: { p: old } }), NOW)).toMatchObject({
      verdict: "failed",
      reason: "1 vulnerability with a fix available for longer than 14d 0h: CVE-1 (fixed in 1.2)",
    });
    const fresh = sbom({
      counts: { critical: 0, high: 1, medium: 0, low: 0, other: 0 },
      vulnerabilities: [vuln({ fixAvailable: true, published: ago(3 * D).toISOString() })],
    });
    expect(judgeCheck(c, facts({ sboms: { p: fresh } }), NOW).verdict).toBe("passed");
    const undated = sbom({
      counts: { critical: 0, high: 1, medium: 0, low: 0, other: 0 },
      vulnerabilities: [vuln({ id: "GHSA-x", fixAvailable: true })],
    });
    expect(judgeCheck(c, facts({ sboms: { p: undated } }), NOW)).toMatchObject({
      verdict: "pending",
      reason: expect.stringContaining("no published date"),
    });
    // A vulnerability VEX marks not_affected is not counted and cannot fail the fix age either.
    const vex = sbom({
      vulnerabilities: [
        vuln({
          fixAvailable: true,
          published: ago(300 * D).toISOString(),
          counted: false,
          analysisState: "not_affected",
        }),
      ],
    });
    expect(judgeCheck(c, facts({ sboms: { p: vex } }), NOW).verdict).toBe("passed");
    expect(judgeCheck(c, facts({ sboms: { p: sbom({ at: ago(8 * D) }) } }), NOW)).toMatchObject({
      verdict: "pending",
      reason: expect.stringContaining("older than 7d"),
    });
  });

  it("sbom: at least minComponents, versions required by default, licences when asked", () => {
    const c = check({ kind: "sbom", project: "p", minComponents: 5, requireLicences: true });
    expect(judgeCheck(c, facts({ sboms: { p: sbom() } }), NOW).verdict).toBe("passed");
    expect(judgeCheck(c, facts({ sboms: { p: sbom({ components: 3 }) } }), NOW)).toMatchObject({
      verdict: "failed",
      reason: "3 components, fewer than 5",
    });
    expect(judgeCheck(c, facts({ sboms: { p: sbom({ withoutVersion: 2 }) } }), NOW)).toMatchObject({
      verdict: "failed",
      reason: "2 components without a version",
    });
    expect(judgeCheck(c, facts({ sboms: { p: sbom({ withoutLicence: 1 }) } }), NOW)).toMatchObject({
      verdict: "failed",
      reason: "1 component without a licence",
    });
    // An SBOM without vulnerabilities is still an SBOM.
    expect(judgeCheck(c, facts({ sboms: { p: sbom({ scanned: false }) } }), NOW).verdict).toBe("passed");
  });

  const ref = { kind: "Deployment", namespace: "prod", name: "api" };
  const manifests = (over: Partial<ReadinessFacts["manifests"][string]> = {}): ReadinessFacts["manifests"][string] => ({
    objects: 4,
    rules: {
      resources: { checked: 1, failed: 0 },
      probes: { checked: 1, failed: 0 },
      replicas: { checked: 1, failed: 0 },
      disruptionBudget: { checked: 1, failed: 1 },
      networkPolicy: { checked: 1, failed: 0 },
      imagePinned: { checked: 1, failed: 0 },
      runAsNonRoot: { checked: 1, failed: 0 },
      privileged: { checked: 1, failed: 0 },
      serviceMonitor: { checked: 0, failed: 0 },
    },
    findings: [
      {
        ...ref,
        rule: "disruptionBudget",
        container: null,
        message: "no PodDisruptionBudget selects its pods",
        line: 3,
      },
    ],
    workloads: [{ ...ref, replicas: 2, line: 3 }],
    ...source,
    ...over,
  });

  it("manifests: only the named rules count, replicas judged again with the check's own minimum, nothing to check is pending", () => {
    expect(
      judgeCheck(
        check({ kind: "manifests", project: "p", rules: ["networkPolicy"] }),
        facts({ manifests: { p: manifests() } }),
        NOW,
      ),
    ).toMatchObject({ verdict: "passed", measured: "0 findings on 4 objects" });
    expect(
      judgeCheck(
        check({ kind: "manifests", project: "p", rules: ["disruptionBudget"] }),
        facts({ manifests: { p: manifests() } }),
        NOW,
      ),
    ).toMatchObject({ verdict: "failed", reason: "Deployment/prod/api: no PodDisruptionBudget selects its pods" });
    expect(
      judgeCheck(
        check({ kind: "manifests", project: "p", rules: ["replicas"] }),
        facts({ manifests: { p: manifests() } }),
        NOW,
      ).verdict,
    ).toBe("passed");
    expect(
      judgeCheck(
        check({ kind: "manifests", project: "p", rules: ["replicas"], minReplicas: 3 }),
        facts({ manifests: { p: manifests() } }),
        NOW,
      ),
    ).toMatchObject({ verdict: "failed", reason: expect.stringContaining("Deployment/prod/api") });
    expect(
      judgeCheck(
        check({ kind: "manifests", project: "p", rules: ["serviceMonitor"] }),
        facts({ manifests: { p: manifests() } }),
        NOW,
      ),
    ).toMatchObject({ verdict: "pending", reason: "no object the rules apply to (serviceMonitor)" });
    expect(judgeCheck(check({ kind: "manifests", project: "p" }), emptyFacts(), NOW)).toMatchObject({
      verdict: "pending",
      reason: 'no manifests for project "p"',
    });
  });

  it("compose: the named rules, ports judged again against the check's own bind addresses", () => {
    const compose: ReadinessFacts["compose"][string] = {
      services: ["web", "db"],
      rules: {
        healthcheck: { checked: 2, failed: 1 },
        restart: { checked: 2, failed: 0 },
        imagePinned: { checked: 2, failed: 0 },
        namedVolumes: { checked: 1, failed: 0 },
        hostNetwork: { checked: 2, failed: 0 },
        ports: { checked: 1, failed: 1 },
      },
      findings: [
        { rule: "healthcheck", service: "db", message: "no healthcheck" },
        { rule: "ports", service: "web", message: "published on all interfaces" },
      ],
      ports: [{ service: "web", hostIp: null, published: "8080", target: "80", protocol: "tcp" }],
      ...source,
    };
    expect(
      judgeCheck(
        check({ kind: "compose", project: "p", rules: ["healthcheck"] }),
        facts({ compose: { p: compose } }),
        NOW,
      ),
    ).toMatchObject({ verdict: "failed", reason: "db: no healthcheck" });
    expect(
      judgeCheck(
        check({ kind: "compose", project: "p", rules: ["restart", "hostNetwork"] }),
        facts({ compose: { p: compose } }),
        NOW,
      ).verdict,
    ).toBe("passed");
    expect(
      judgeCheck(check({ kind: "compose", project: "p", rules: ["ports"] }), facts({ compose: { p: compose } }), NOW),
    ).toMatchObject({ verdict: "failed", reason: expect.stringMatching(/^web: host port 8080/) });
    expect(
      judgeCheck(
        check({ kind: "compose", project: "p", rules: ["ports"], bindHosts: ["0.0.0.0"] }),
        facts({ compose: { p: compose } }),
        NOW,
      ).verdict,
    ).toBe("passed");
  });
});

describe("judgeCheck, every kind", () => {
  it("componentUp: passed after the duration, pending before it, failed when down, pending when unknown", () => {
    const c = check({ kind: "componentUp", component: "api", for: "21h" });
    const up = (since: number, inState = since) => ({ status: "up" as const, since: ago(since), inStateMs: inState });
    expect(judgeCheck(c, facts({ components: { api: up(22 * H) } }), NOW)).toMatchObject({
      verdict: "passed",
      measured: "up for 22h 0m",
    });
    expect(judgeCheck(c, facts({ components: { api: up(2 * H) } }), NOW)).toMatchObject({
      verdict: "pending",
      reason: "held 2h 0m of 21h 0m",
    });
    expect(
      judgeCheck(c, facts({ components: { api: { status: "down", since: ago(H), inStateMs: H } } }), NOW),
    ).toMatchObject({ verdict: "failed", reason: "api is down" });
    expect(
      judgeCheck(c, facts({ components: { api: { status: "unknown", since: null, inStateMs: null } } }), NOW).verdict,
    ).toBe("pending");
    expect(judgeCheck(c, emptyFacts(), NOW).verdict).toBe("pending");
  });

  it("componentUp: 'up for' runs to the last confirming check, never to now", () => {
    const c = check({ kind: "componentUp", component: "api", for: "21h" });
    // Up since 22 h ago, but the last check that confirmed it was 20 h after that: 20 h held, not 22.
    expect(
      judgeCheck(c, facts({ components: { api: { status: "up", since: ago(22 * H), inStateMs: 20 * H } } }), NOW),
    ).toMatchObject({ verdict: "pending", measured: "up for 20h 0m" });
  });

  it("uptime: compares the measured percentage with the minimum once the window is observed", () => {
    const c = check({ kind: "uptime", component: "api", window: "7d", minPct: 99.9 });
    const fig = (pct: number | null, coverage = 1) => ({
      [uptimeKey("api", 7 * D)]: { pct, observedMs: coverage * 7 * D, observableMs: 7 * D, coverage },
    });
    expect(judgeCheck(c, facts({ uptime: fig(99.95) }), NOW)).toMatchObject({ verdict: "passed", measured: "99.95 %" });
    expect(judgeCheck(c, facts({ uptime: fig(99.5) }), NOW)).toMatchObject({
      verdict: "failed",
      reason: "99.5 % is below 99.9 %",
    });
    expect(judgeCheck(c, facts({ uptime: fig(null, 0) }), NOW).verdict).toBe("pending");
  });

  it("uptime: pending below the coverage minimum, pass or fail, with the observed span", () => {
    const c = check({ kind: "uptime", component: "api", window: "24h", minPct: 99.9 });
    const key = uptimeKey("api", D);
    const five = { [key]: { pct: 100, observedMs: 5 * 60_000, observableMs: D, coverage: (5 * 60_000) / D } };
    expect(judgeCheck(c, facts({ uptime: five }), NOW)).toMatchObject({
      verdict: "pending",
      measured: "100 % (observed 5m 0s of 1d 0h)",
      reason: "observed 5m 0s of 1d 0h; needs 90 % of the window",
    });
    const outage = { [key]: { pct: 99.31, observedMs: 12 * 60_000, observableMs: D, coverage: (12 * 60_000) / D } };
    expect(judgeCheck(c, facts({ uptime: outage }), NOW).verdict).toBe("pending");
    const enough = { [key]: { pct: 100, observedMs: 0.95 * D, observableMs: D, coverage: 0.95 } };
    expect(judgeCheck(c, facts({ uptime: enough }), NOW).verdict).toBe("passed");
    const strict = check({ kind: "uptime", component: "api", window: "24h", minPct: 99.9, minCoverage: 99 });
    expect(judgeCheck(strict, facts({ uptime: enough }), NOW).verdict).toBe("pending");
  });

  it("baseline: failed on a missed target, pending on missing data, passed when all are met", () => {
    const c = check({ kind: "baseline", baseline: "health" });
    const b = (failing: string[], noData: string[]) =>
      facts({ baselines: { health: { failing, noData, passing: ["p95Ms"], ...source } } });
    expect(judgeCheck(c, b([], []), NOW).verdict).toBe("passed");
    expect(judgeCheck(c, b(["p99Ms"], []), NOW)).toMatchObject({ verdict: "failed", reason: "missed: p99Ms" });
    expect(judgeCheck(c, b([], ["maxMs"]), NOW)).toMatchObject({ verdict: "pending", reason: "no data: maxMs" });
  });

  it("testSuite: pass rate against the threshold, counted over the cases that ran, stale evidence pending", () => {
    const c = check({ kind: "testSuite", suite: "unit", minPassRatePct: 95, maxAge: "1d" });
    const s = (passRatePct: number | null, at = ago(H)) =>
      facts({ suites: { unit: { passRatePct, tests: 2500, skipped: 14, failed: 10, flaky: 2, source: "ci", at } } });
    expect(judgeCheck(c, s(99.6), NOW)).toMatchObject({
      verdict: "passed",
      measured: "99.6 %: 2 476 of 2 486 run passed (14 skipped, 2 flaky)",
    });
    expect(judgeCheck(c, s(94.9), NOW)).toMatchObject({ verdict: "failed", reason: "94.9 % is below 95 %: 10 failed" });
    expect(judgeCheck(c, s(100, ago(2 * D)), NOW)).toMatchObject({
      verdict: "pending",
      reason: "evidence is 2d 0h old, older than 1d 0h",
    });
    expect(judgeCheck(c, s(null), NOW).verdict).toBe("pending");
    expect(judgeCheck(c, emptyFacts(), NOW)).toMatchObject({
      verdict: "pending",
      reason: 'no test results for suite "unit"',
    });
    // The issue's case: 19 tests, 4 skipped, 5 failed: the rate and its count are both over the 15 that ran.
    const few = facts({
      suites: {
        unit: { passRatePct: (10 / 15) * 100, tests: 19, skipped: 4, failed: 5, flaky: 0, source: "ci", at: ago(H) },
      },
    });
    expect(judgeCheck(c, few, NOW).measured).toBe("66.67 %: 10 of 15 run passed (4 skipped)");
  });

  it("loadTest: every k6 threshold must pass", () => {
    const c = check({ kind: "loadTest", test: "baseline" });
    expect(
      judgeCheck(
        c,
        facts({ loadTests: { baseline: { allThresholdsPassed: true, failedThresholds: [], p95Ms: 85, ...source } } }),
        NOW,
      ),
    ).toMatchObject({ verdict: "passed", measured: "all thresholds passed, P95 85 ms" });
    expect(
      judgeCheck(
        c,
        facts({
          loadTests: {
            baseline: { allThresholdsPassed: false, failedThresholds: ["p(95)<500"], p95Ms: 700, ...source },
          },
        }),
        NOW,
      ).verdict,
    ).toBe("failed");
    // A machine-readable summary without results.passed carries no verdict: pending, never passed.
    expect(
      judgeCheck(
        c,
        facts({ loadTests: { baseline: { allThresholdsPassed: null, failedThresholds: [], p95Ms: 85, ...source } } }),
        NOW,
      ),
    ).toMatchObject({
      verdict: "pending",
      measured: "no threshold verdict, P95 85 ms",
    });
    const stale = check({ kind: "loadTest", test: "baseline", maxAge: "7d" });
    expect(
      judgeCheck(
        stale,
        facts({
          loadTests: {
            baseline: { allThresholdsPassed: true, failedThresholds: [], p95Ms: 85, source: "ci", at: ago(8 * D) },
          },
        }),
        NOW,
      ),
    ).toMatchObject({
      verdict: "pending",
      reason: expect.stringMatching(/^evidence is 8d 0h old, older than 7d/),
    });
  });

  it("chaos: recovery within the bound, measured from probe history", () => {
    const c = check({ kind: "chaos", experiment: "api-restart", maxRecovery: "30s" });
    expect(judgeCheck(c, facts({ chaos: { "api-restart": { recoverySeconds: 12, ...source } } }), NOW)).toMatchObject({
      verdict: "passed",
      measured: "recovered in 12s",
    });
    expect(judgeCheck(c, facts({ chaos: { "api-restart": { recoverySeconds: 45, ...source } } }), NOW).verdict).toBe(
      "failed",
    );
    expect(judgeCheck(c, facts({ chaos: { "api-restart": { recoverySeconds: null, ...source } } }), NOW)).toMatchObject(
      { verdict: "failed", measured: "not recovered" },
    );
    // Not up yet but still inside the bound: it may still pass.
    expect(
      judgeCheck(c, facts({ chaos: { "api-restart": { recoverySeconds: null, source: "ci", at: ago(20_000) } } }), NOW),
    ).toMatchObject({
      verdict: "pending",
      reason: "not up yet, 20s since the fault ended",
    });
  });

  it("promql: the value against the condition; a failed query is pending with its reason", () => {
    const c = check({ kind: "promql", prometheus: "http://p:9090", query: "x", condition: "[VALUE] < 0.01" });
    expect(judgeCheck(c, facts({ promql: { x: { value: 0.001, ...source } } }), NOW).verdict).toBe("passed");
    expect(judgeCheck(c, facts({ promql: { x: { value: 0.023652037438748315, ...source } } }), NOW)).toMatchObject({
      verdict: "failed",
      measured: "0.0237",
      reason: "0.0237 is not < 0.01",
    });
    expect(judgeCheck(c, facts({ promql: { x: { reason: "Prometheus unreachable", ...source } } }), NOW)).toMatchObject(
      { verdict: "pending", reason: "Prometheus unreachable" },
    );
    // Every comparison of the probe grammar, at its boundary; the threshold reads the same as before the grammar moved.
    const at = (condition: string, value: number) =>
      judgeCheck(
        check({ kind: "promql", prometheus: "http://p:9090", query: "x", condition }),
        facts({ promql: { x: { value, ...source } } }),
        NOW,
      );
    expect(at("[VALUE] <= 1", 1)).toMatchObject({ verdict: "passed", threshold: "value ≤ 1" });
    expect(at("[VALUE] >= 1", 0.99).verdict).toBe("failed");
    expect(at("[VALUE] > 0", 0).verdict).toBe("failed");
    expect(at("[VALUE] == 1", 1).verdict).toBe("passed");
    expect(at("[VALUE] != 1", 1).verdict).toBe("failed");
    expect(at("[VALUE] < 1e-3", 0.0005).verdict).toBe("passed");
  });

  it("attestation: yes passes, no fails, expired is pending", () => {
    const c = check({ kind: "attestation", question: "Runbooks reviewed?" });
    const a = (answer: "yes" | "no", expiresAt = new Date(NOW.getTime() + D)) =>
      facts({ attestations: { x: { answer, by: "ops", expiresAt, evidenceUrl: "https://wiki/runbooks", ...source } } });
    expect(judgeCheck(c, a("yes"), NOW).verdict).toBe("passed");
    expect(judgeCheck(c, a("no"), NOW)).toMatchObject({ verdict: "failed", reason: 'attested "no" by ops' });
    expect(judgeCheck(c, a("yes", ago(1)), NOW).verdict).toBe("pending");
  });

  it("attestation: the source is the stored source of the answer, never its evidence URL", () => {
    const c = check({ kind: "attestation", question: "mTLS enforced?" });
    const answered = (stored: string, evidenceUrl: string) =>
      judgeCheck(
        c,
        facts({
          attestations: {
            x: {
              answer: "yes",
              by: "Security Officer (demo)",
              expiresAt: new Date(NOW.getTime() + D),
              evidenceUrl,
              source: stored,
              at: ago(H),
            },
          },
        }),
        NOW,
      );
    expect(answered("demo seed", "https://demo-seed.invalid/no-evidence/x")).toMatchObject({
      verdict: "passed",
      source: "demo seed",
      measured: "yes (Security Officer (demo))",
    });
    expect(answered("token ci", "https://ci.example.com/runs/123")).toMatchObject({ source: "token ci" });
    expect(answered("upload by Sam", "https://wiki.example/mtls").source).toBe("upload by Sam");
    // Expired and stale answers still say where they came from.
    const expired = judgeCheck(
      c,
      facts({
        attestations: {
          x: {
            answer: "yes",
            by: "ops",
            expiresAt: ago(1),
            evidenceUrl: "https://wiki/x",
            source: "demo seed",
            at: ago(H),
          },
        },
      }),
      NOW,
    );
    expect(expired).toMatchObject({ verdict: "pending", source: "demo seed", observedAt: ago(H).toISOString() });
  });
});

describe("evaluateReadiness", () => {
  const scorecard = card({
    categories: [
      {
        id: "testing",
        name: "Testing & Quality",
        weight: 2,
        checks: [
          { id: "unit", name: "Unit > 95 %", kind: "testSuite", suite: "unit", minPassRatePct: 95 },
          {
            id: "integration",
            name: "Integration > 90 %",
            kind: "testSuite",
            suite: "integration",
            minPassRatePct: 90,
          },
          {
            id: "security",
            name: "Security > 99 %",
            kind: "testSuite",
            suite: "security",
            minPassRatePct: 99,
            critical: true,
          },
          {
            id: "perf",
            name: "Performance > 95 %",
            kind: "testSuite",
            suite: "performance",
            minPassRatePct: 95,
            weight: 2,
          },
        ],
      },
      {
        id: "ops",
        name: "Operational Readiness",
        checks: [
          { id: "runbooks", name: "Runbooks", kind: "attestation", question: "Runbooks ready?" },
          {
            id: "k8s",
            name: "Cluster deployment",
            kind: "attestation",
            question: "Deployed to staging?",
            waiver: { reason: "cluster unavailable", approver: "CTO", expiresAt: "2026-02-01T00:00:00Z" },
          },
        ],
      },
    ],
    criteria: [
      { id: "api-up", name: "API up 21 h", kind: "componentUp", component: "api", for: "21h", critical: true },
    ],
  });
  const suite = (passRatePct: number) => ({
    passRatePct,
    tests: 100,
    skipped: 0,
    failed: 100 - passRatePct,
    flaky: 0,
    ...source,
  });
  const base = facts({
    suites: { unit: suite(99), integration: suite(80), security: suite(100), performance: suite(97) },
    attestations: {
      runbooks: {
        answer: "yes",
        by: "ops",
        expiresAt: new Date(NOW.getTime() + D),
        evidenceUrl: "https://wiki",
        ...source,
      },
    },
    components: { api: { status: "up", since: ago(22 * H), inStateMs: 22 * H } },
  });

  it("scores categories by weighted share of passed checks and overall by weighted mean", () => {
    const r = evaluateReadiness(scorecard, base, NOW);
    // Testing: unit 1 + security 1 + perf 2 passed of 5 weight = 80 %; ops: runbooks 1 of 1 (k8s waived) = 100 %.
    expect(r.categories.map((c) => [c.id, c.scorePct])).toEqual([
      ["testing", 80],
      ["ops", 100],
    ]);
    expect(r.overallPct).toBeCloseTo((80 * 2 + 100) / 3, 10);
    expect(r.checks.find((c) => c.id === "k8s")).toMatchObject({
      verdict: "waived",
      reason: expect.stringMatching(/^waived by CTO until 2026-02-01T00:00:00Z: cluster unavailable/),
    });
    expect(r.blockers).toEqual([]);
  });

  it("lists what keeps the score from 100 %, and the points add up", () => {
    const r = evaluateReadiness(scorecard, base, NOW);
    expect(r.gaps.map((g) => g.check.id)).toEqual(["integration"]);
    expect(100 - (r.overallPct ?? 0)).toBeCloseTo(
      r.gaps.reduce((sum, g) => sum + g.pointsPct, 0),
      10,
    );
  });

  it("blocks go-live on a failing critical check whatever the score", () => {
    const r = evaluateReadiness(scorecard, { ...base, suites: { ...base.suites, security: suite(98) } }, NOW);
    expect(r.blockers.map((b) => b.id)).toEqual(["security"]);
  });

  it("blocks on a critical criterion that is only pending", () => {
    const r = evaluateReadiness(
      scorecard,
      { ...base, components: { api: { status: "up", since: ago(H), inStateMs: H } } },
      NOW,
    );
    expect(r.criteria[0]?.verdict).toBe("pending");
    expect(r.blockers.map((b) => b.id)).toEqual(["api-up"]);
  });

  it("an expired waiver no longer waives", () => {
    const r = evaluateReadiness(scorecard, base, new Date("2026-02-02T00:00:00Z"));
    expect(r.checks.find((c) => c.id === "k8s")?.verdict).toBe("pending");
  });

  it("a criterion by reference takes its check's verdict, figures and waiver, under its own name and criticality", () => {
    const withRefs = card({
      categories: scorecard.categories,
      criteria: [
        {
          id: "integration-run",
          name: "Integration suite executed",
          kind: "check",
          check: "integration",
          critical: true,
        },
        { id: "cluster", name: "Cluster deployment", kind: "check", check: "k8s" },
      ],
    });
    const r = evaluateReadiness(withRefs, base, NOW);
    expect(r.criteria[0]).toMatchObject({
      id: "integration-run",
      name: "Integration suite executed",
      verdict: "failed",
      measured: "80 %: 80 of 100 run passed",
      category: null,
      critical: true,
    });
    expect(r.criteria[1]).toMatchObject({ id: "cluster", verdict: "waived" });
    expect(r.blockers.map((b) => b.id)).toEqual(["integration-run"]);
  });

  it("with no evidence at all nothing passes and the score is 0", () => {
    const r = evaluateReadiness(scorecard, emptyFacts(), NOW);
    expect(r.checks.filter((c) => c.verdict === "passed")).toEqual([]);
    expect(r.overallPct).toBe(0);
  });
});

describe("scorecard schema", () => {
  it("names a bad check kind and a bad condition", () => {
    const bad = ZScorecard.safeParse({
      categories: [{ id: "c", name: "C", checks: [{ id: "x", name: "X", kind: "vibes" }] }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/expected kind to be one of "componentUp"/);
    const cond = ZScorecard.safeParse({
      categories: [
        {
          id: "c",
          name: "C",
          checks: [{ id: "x", name: "X", kind: "promql", prometheus: "http://p", query: "q", condition: "about 3" }],
        },
      ],
    });
    expect(cond.error?.issues[0]?.message).toBe('"about 3", column 1: expected a condition such as [VALUE] < 0.01');
    const op = ZScorecard.safeParse({
      categories: [
        {
          id: "c",
          name: "C",
          checks: [
            {
              id: "x",
              name: "X",
              kind: "promql",
              prometheus: "http://p",
              query: "q",
              condition: "[VALUE] matches '1'",
            },
          ],
        },
      ],
    });
    expect(op.error?.issues[0]?.message).toBe(
      `"[VALUE] matches '1'", column 9: operator "matches" is not available for promql checks (expected <, <=, >, >=, == or !=)`,
    );
  });
});
