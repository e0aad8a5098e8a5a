import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfigFile, parseConfig } from "./load";

const VALID = `version: 1
system:
  name: demo
components:
  - id: api
    name: API
    service: FastAPI
    probe:
      type: http
      url: http://127.0.0.1:8000/health
`;

function errorsOf(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(text, "/etc/preflight/preflight.config.yaml", env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
}

/** [description, file text, expected path, message fragment, expected line] */
const MALFORMED: [string, string, string, RegExp, number | undefined][] = [
  ["YAML syntax error", "version: 1\nsystem:\n\tname: x\n", "", /YAML syntax: .*[Tt]ab/, 3],
  [
    "duplicate key",
    VALID.replace("system:\n", "system:\n  name: twice\n"),
    "",
    /YAML syntax: Map keys must be unique/,
    4,
  ],
  ["empty document", "", "version", /expected version: 1/, undefined],
  ["wrong version", VALID.replace("version: 1", "version: 2"), "version", /expected version: 1/, 1],
  ["missing system name", VALID.replace("  name: demo\n", "  description: x\n"), "system.name", /required/, 3],
  ["unknown top-level key", `${VALID}colour: red\n`, "colour", /unknown key "colour"/, 11],
  [
    "unknown key in probe",
    VALID.replace("      type: http\n", "      type: http\n      retries: 3\n"),
    "components[0].probe.retries",
    /unknown key "retries"/,
    10,
  ],
  [
    "no components",
    VALID.slice(0, VALID.indexOf("components:")) + "components: []\n",
    "components",
    /at least one component/,
    4,
  ],
  [
    "components not a list",
    VALID.slice(0, VALID.indexOf("components:")) + "components: api\n",
    "components",
    /expected array/,
    4,
  ],
  ["bad id", VALID.replace("id: api", "id: My API"), "components[0].id", /lowercase letters/, 5],
  ["missing service", VALID.replace("    service: FastAPI\n", ""), "components[0].service", /required/, 5],
  [
    "unknown probe type",
    VALID.replace("type: http", "type: gopher"),
    "components[0].probe.type",
    /one of "http", "tcp", "postgres", "redis", "prometheus", "grafana", "alertmanager", "jaeger"/,
    9,
  ],
  [
    "http probe with non-http url",
    VALID.replace("http://127.0.0.1:8000/health", "ftp://example.com"),
    "components[0].probe.url",
    /http:\/\/ or https:\/\//,
    10,
  ],
  [
    "postgres probe with http url",
    VALID.replace("type: http", "type: postgres"),
    "components[0].probe.url",
    /postgres:\/\/ or postgresql:\/\//,
    10,
  ],
  [
    "bad duration",
    VALID.replace("    service: FastAPI\n", "    service: FastAPI\n    interval: often\n"),
    "components[0].interval",
    /duration such as "5s"/,
    8,
  ],
  [
    "interval below 1 s",
    VALID.replace("    service: FastAPI\n", "    service: FastAPI\n    interval: 200ms\n"),
    "components[0].interval",
    /between 1000 ms/,
    8,
  ],
  [
    "timeout not shorter than interval",
    VALID.replace("    service: FastAPI\n", "    service: FastAPI\n    interval: 5s\n    timeout: 5s\n"),
    "components[0].timeout",
    /shorter than interval/,
    9,
  ],
  [
    "duplicate component id",
    VALID + VALID.slice(VALID.indexOf("  - id")),
    "components[1].id",
    /duplicate component id "api"/,
    11,
  ],
  [
    "status code out of range",
    VALID.replace("      type: http\n", "      type: http\n      expectStatus: [200, 700]\n"),
    "components[0].probe.expectStatus[1]",
    /between 100 and 599/,
    10,
  ],
  [
    "method not allowed",
    VALID.replace("      type: http\n", "      type: http\n      method: DELETE\n"),
    "components[0].probe.method",
    /"GET", "HEAD", "POST"/,
    10,
  ],
  [
    "missing environment variable",
    VALID.replace("http://127.0.0.1:8000/health", "http://${API_HOST}/health"),
    "components[0].probe.url",
    /API_HOST is not set/,
    10,
  ],
  [
    "bad variable reference",
    VALID.replace("http://127.0.0.1:8000/health", "http://${1BAD}/health"),
    "components[0].probe.url",
    /not a valid variable reference/,
    10,
  ],
  [
    "release date not a date",
    VALID.replace("  name: demo\n", "  name: demo\n  release:\n    name: go-live\n    targetDate: soon\n"),
    "system.release.targetDate",
    /YYYY-MM-DD/,
    6,
  ],
];

describe("parseConfig: malformed files", () => {
  it.each(MALFORMED)("%s", (_name, text, path, message, line) => {
    const error = errorsOf(text);
    const issue = error.issues.find((i) => i.path === path && message.test(i.message));
    expect(issue, `issues were:\n${error.message}`).toBeDefined();
    if (line !== undefined) expect(issue?.line).toBe(line);
    // The message a user sees names the file, the position and the field.
    expect(error.message).toContain("/etc/preflight/preflight.config.yaml");
    if (path) expect(error.message).toContain(`${path}: `);
    if (line !== undefined) expect(error.message).toMatch(new RegExp(`preflight\\.config\\.yaml:${line}:\\d+ `));
  });

  it("reports every error at once, in one message", () => {
    const text = VALID.replace("version: 1", "version: 3")
      .replace("id: api", "id: API")
      .replace("type: http", "type: gopher");
    const error = errorsOf(`${text}extra: true\n`);
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      "components[0].id",
      "components[0].probe.type",
      "extra",
      "version",
    ]);
    expect(error.message).toMatch(/\(4 errors\)/);
  });

  it("reports a missing variable once, not again as a bad URL", () => {
    const error = errorsOf(VALID.replace("http://127.0.0.1:8000/health", "${API_URL}"));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.message).toMatch(/API_URL/);
  });

  it("names a file that does not exist", () => {
    expect(() => loadConfigFile("/nonexistent/preflight.yaml")).toThrow(
      /\/nonexistent\/preflight\.yaml.*file not found/s,
    );
  });
});

describe("parseConfig: valid files", () => {
  it("applies defaults to each component", () => {
    const { config } = parseConfig(VALID, "x.yaml", {});
    expect(config.components[0]).toMatchObject({ id: "api", interval: 10_000, timeout: 5_000 });
    expect(config.components[0]?.probe).toMatchObject({ method: "GET", followRedirects: false, headers: {} });
  });

  it("interpolates variables and records their values as secrets", () => {
    const text = VALID.replace("type: http", "type: postgres").replace(
      "http://127.0.0.1:8000/health",
      "postgresql://app:${PG_PASSWORD}@db:${PG_PORT:-5432}/app",
    );
    const loaded = parseConfig(text, "x.yaml", { PG_PASSWORD: "s3cret-pw" });
    expect(loaded.config.components[0]?.probe).toMatchObject({
      type: "postgres",
      url: "postgresql://app:s3cret-pw@db:5432/app",
    });
    expect([...loaded.secrets]).toEqual(["s3cret-pw"]);
  });

  it("keeps an escaped $${ literally", () => {
    const text = VALID.replace("name: demo", () => "name: cost $${HOME}");
    expect(parseConfig(text, "x.yaml", { HOME: "/root" }).config.system.name).toBe("cost ${HOME}");
  });

  it("loads the shipped example configuration for x0tta6bl4 with its eight components", () => {
    const file = join(import.meta.dirname, "..", "..", "preflight.config.yaml");
    const { config, warnings } = loadConfigFile(file, {});
    expect(config.system.name).toBe("x0tta6bl4");
    // The shipped file is the first one a newcomer copies: current forms only.
    expect(warnings).toEqual([]);
    expect(config.components.map((c) => c.service)).toEqual([
      "FastAPI Server",
      "PostgreSQL",
      "Redis",
      "Prometheus",
      "Grafana",
      "AlertManager",
      "Jaeger",
      "Zero-trust ingress (mTLS)",
    ]);
  });

  it("probes the mesh gateway over mTLS, with the demo PKI by default and the files from X0_GATEWAY_* when set", () => {
    const file = join(import.meta.dirname, "..", "..", "preflight.config.yaml");
    // Loads although no such files exist: the probe reads them at each check, not the loader.
    const gateway = (env: Record<string, string>) =>
      loadConfigFile(file, env).config.components.find((c) => c.id === "gateway")?.probe;
    expect(gateway({})).toMatchObject({
      type: "http",
      url: "https://127.0.0.1:18443/health",
      tls: {
        ca: ".preflight/demo-pki/ca.pem",
        cert: ".preflight/demo-pki/client.pem",
        key: ".preflight/demo-pki/client.key",
        rejectUnauthorized: true,
      },
      conditions: ["[STATUS] == 200", "[TLS_VERSION] >= TLSv1.3", "[MTLS_ENFORCED] == true"],
    });
    const pki = "/var/lib/preflight/demo-pki";
    expect(
      gateway({
        X0_GATEWAY_CA: `${pki}/ca.pem`,
        X0_GATEWAY_CERT: `${pki}/client.pem`,
        X0_GATEWAY_KEY: `${pki}/client.key`,
        X0_GATEWAY_URL: "https://gw:8443",
      }),
    ).toMatchObject({
      url: "https://gw:8443/health",
      tls: { ca: `${pki}/ca.pem`, cert: `${pki}/client.pem`, key: `${pki}/client.key` },
    });
  });

  it("measures mTLS with the gateway probe instead of asking for an attestation, and the security criterion follows it", () => {
    const { config } = loadConfigFile(join(import.meta.dirname, "..", "..", "preflight.config.yaml"), {});
    const checks = config.scorecard?.categories.flatMap((c) => c.checks) ?? [];
    expect(checks.find((c) => c.id === "mtls-enforced")).toMatchObject({
      kind: "componentUp",
      component: "gateway",
      for: 0,
      critical: true,
    });
    expect(config.scorecard?.criteria.find((c) => c.id === "security-configured")).toMatchObject({
      kind: "check",
      check: "mtls-enforced",
      critical: true,
    });
  });

  it("ships x0tta6bl4's scorecard: the eleven categories of reference section 4 and the criteria of section 5", () => {
    const { config } = loadConfigFile(join(import.meta.dirname, "..", "..", "preflight.config.yaml"), {});
    expect(config.scorecard?.categories.map((c) => c.name)).toEqual([
      "Architecture & Design",
      "Security & Compliance",
      "Containerization",
      "Orchestration (K8s)",
      "Monitoring & Observability",
      "Performance & Capacity",
      "Testing & Quality",
      "Documentation",
      "Deployment Automation",
      "Disaster Recovery",
      "Operational Readiness",
    ]);
    expect(config.scorecard?.gate.minScorePct).toBe(90);
    const suites = config.scorecard?.categories.flatMap((c) => c.checks).filter((c) => c.kind === "testSuite");
    // Reference 2.2: unit > 95 %, integration > 90 %, security > 99 %, performance > 95 %.
    expect(Object.fromEntries(suites?.map((c) => [c.suite, c.minPassRatePct]) ?? [])).toEqual({
      security: 99,
      unit: 95,
      integration: 90,
      performance: 95,
    });
    expect(config.scorecard?.criteria).toHaveLength(15);
  });

  it("ships x0tta6bl4's plan: the three phases of reference section 6 with their tasks, the critical path, risks on the matrix", () => {
    const { config } = loadConfigFile(join(import.meta.dirname, "..", "..", "preflight.config.yaml"), {});
    expect(config.plan?.phases.map((p) => [p.name, p.tasks.length, p.expectedReadinessPct])).toEqual([
      ["Phase 1: Pre-Deployment Validation", 4, 95],
      ["Phase 2: Staging Deployment", 5, 97],
      ["Phase 3: Production Deployment", 6, 100],
    ]);
    expect(config.plan?.criticalPath).toHaveLength(13);
    expect(config.plan?.risks.find((r) => r.area === "deployment")).toMatchObject({ probability: 1, impact: 3 });
    expect(config.plan?.preDeployment).toHaveLength(8);
  });

  it("reads a file from disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "pf-config-"));
    writeFileSync(join(dir, "p.yaml"), VALID);
    expect(loadConfigFile(join(dir, "p.yaml"), {}).config.system.name).toBe("demo");
  });
});

describe("parseConfig: operations sections", () => {
  const withSection = (section: string) => `${VALID}${section}`;
  it.each([
    [
      "a maintenance window naming an unknown component",
      "maintenance:\n  - { name: m, components: [nope], start: 2026-01-01T00:00:00Z, end: 2026-01-01T01:00:00Z }\n",
      "maintenance[0].components[0]",
      /no component with id "nope"/,
    ],
    [
      "a maintenance window ending before it starts",
      "maintenance:\n  - { name: m, start: 2026-01-02T00:00:00Z, end: 2026-01-01T00:00:00Z }\n",
      "maintenance[0].end",
      /after start/,
    ],
    [
      "a weekly window on no day",
      "maintenance:\n  - { name: m, weekly: { day: someday, at: '02:00', duration: 1h } }\n",
      "maintenance[0].weekly.day",
      /day of the week/,
    ],
    [
      "a webhook with a bad URL",
      "notifications:\n  webhooks:\n    - { name: ops, url: 'ftp://x' }\n",
      "notifications.webhooks[0].url",
      /http/,
    ],
    [
      "a baseline on an unknown component",
      "baselines:\n  - { id: b, name: B, source: { component: nope }, targets: { p95Ms: 200 } }\n",
      "baselines[0].source.component",
      /no component with id "nope"/,
    ],
    [
      "a baseline with no targets",
      "baselines:\n  - { id: b, name: B, source: { component: api }, targets: {} }\n",
      "baselines[0].targets",
      /at least one target/,
    ],
    [
      "a baseline with an unknown figure",
      "baselines:\n  - { id: b, name: B, source: { component: api }, targets: { p42Ms: 1 } }\n",
      "baselines[0].targets.p42Ms",
      /unknown key/,
    ],
    ["a failure threshold of zero", "defaults:\n  failureThreshold: 0\n", "defaults.failureThreshold", /at least 1/],
    [
      "a scorecard check on an unknown component",
      "scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: up, name: Up, kind: componentUp, component: nope, for: 1h }] }\n",
      "scorecard.categories[0].checks[0].component",
      /no component with id "nope"/,
    ],
    [
      "a scorecard check on an unknown baseline",
      "scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: b, name: B, kind: baseline, baseline: nope }] }\n",
      "scorecard.categories[0].checks[0].baseline",
      /no baseline with id "nope"/,
    ],
    [
      "two checks with one id",
      "scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: a, name: A, kind: attestation, question: Q }] }\n  criteria:\n    - { id: a, name: A2, kind: attestation, question: Q }\n",
      "scorecard.criteria[0].id",
      /duplicate check id "a" \(already used by scorecard.categories.0.checks.0\)/,
    ],
    [
      "a criterion naming no check",
      "scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: a, name: A, kind: attestation, question: Q }] }\n  criteria:\n    - { id: c, name: C, kind: check, check: nope }\n",
      "scorecard.criteria[0].check",
      /no scorecard check with id "nope"/,
    ],
    [
      "a reference inside a category",
      "scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: a, name: A, kind: attestation, question: Q }, { id: c, name: C, kind: check, check: a }] }\n",
      "scorecard.categories[0].checks[1].kind",
      /for approval criteria only/,
    ],
    [
      "a gate above 100 %",
      "scorecard:\n  gate: { minScorePct: 120 }\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: a, name: A, kind: attestation, question: Q }] }\n",
      "scorecard.gate.minScorePct",
      /100/,
    ],
    ["an upload limit under 1 KB", "evidence:\n  maxUploadBytes: 10\n", "evidence.maxUploadBytes", /1024/],
  ])("%s", (_name, section, path, message) => {
    const error = errorsOf(withSection(section));
    expect(
      error.issues.find((i) => i.path === path && message.test(i.message)),
      error.message,
    ).toBeDefined();
  });
});
