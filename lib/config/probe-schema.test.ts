import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./load";
import { ZProbe } from "./probe-schema";

const wrap = (probe: string) => `version: 1
system:
  name: demo
components:
  - id: svc
    name: Service
    service: Something
    probe:
${probe
  .trim()
  .split("\n")
  .map((line) => `      ${line}`)
  .join("\n")}
`;

function issuesOf(probe: string) {
  try {
    parseConfig(wrap(probe), "/etc/preflight/preflight.config.yaml", {});
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
}

const probeOf = (probe: string) => parseConfig(wrap(probe), "x.yaml", {}).config.components[0]?.probe;

describe("probe schemas: conditions", () => {
  it("reports a bad condition at its own path and line, with the column and the expression", () => {
    const issues = issuesOf(`
type: http
url: http://127.0.0.1/health
conditions:
  - "[STATUS] == 200"
  - "[STATUS] = 200"
`);
    expect(issues).toEqual([
      {
        path: "components[0].probe.conditions[1]",
        message:
          '"[STATUS] = 200", column 10: unknown operator "=" (expected ==, !=, <, <=, >, >=, contains, !contains or matches)',
        line: 13,
        column: 11,
      },
    ]);
  });

  it("rejects a placeholder the probe type cannot produce, naming the type", () => {
    const [issue] = issuesOf(`
type: redis
url: redis://127.0.0.1:6379
conditions: ["[STATUS] == 200"]
`);
    expect(issue?.path).toBe("components[0].probe.conditions[0]");
    expect(issue?.message).toBe(
      '"[STATUS] == 200", column 1: [STATUS] is not available for redis probes (available: [INFO], [RESPONSE_TIME])',
    );
  });

  it("reports every bad condition at once", () => {
    const issues = issuesOf(`
type: postgres
url: postgresql://x@127.0.0.1/x
conditions: ["[RESULT] ==", "[ROWS] > some", "[RESULT] == 1"]
`);
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ["components[0].probe.conditions[0]", '"[RESULT] ==", column 12: expected a value after =='],
      ["components[0].probe.conditions[1]", '"[ROWS] > some", column 10: expected a number after >, got some'],
    ]);
  });

  it("allows [VALUE] only with a query and [TARGET_HEALTH] only with a target", () => {
    expect(
      issuesOf(`
type: prometheus
url: http://127.0.0.1:9090
conditions: ["[VALUE] < 1"]
`)[0]?.message,
    ).toMatch(/\[VALUE\] is not available for prometheus probes with check: healthy/);
    expect(
      issuesOf(`
type: prometheus
url: http://127.0.0.1:9090
target: { job: api }
conditions: ["[VALUE] < 1"]
`)[0]?.message,
    ).toMatch(/\[VALUE\] is not available for prometheus probes with target/);
    expect(
      probeOf(`
type: prometheus
url: http://127.0.0.1:9090
query: sum(up)
conditions: ["[VALUE] >= 7"]
`),
    ).toMatchObject({ query: "sum(up)", conditions: ["[VALUE] >= 7"] });
  });

  it("keeps conditions as written in the parsed configuration", () => {
    expect(
      probeOf(`
type: http
url: https://api.example.com/health
conditions: ["[BODY].status == UP", "[TLS_VERSION] >= TLSv1.2"]
`),
    ).toMatchObject({ conditions: ["[BODY].status == UP", "[TLS_VERSION] >= TLSv1.2"] });
  });

  it("expects a list of strings", () => {
    expect(
      issuesOf(`
type: http
url: http://127.0.0.1/health
conditions: [200]
`)[0],
    ).toMatchObject({
      path: "components[0].probe.conditions[0]",
      message: 'expected a condition such as "[STATUS] == 200"',
    });
  });
});

describe("probe schemas: types", () => {
  it("accepts every probe type with its defaults", () => {
    expect(probeOf("type: tcp\nhost: 127.0.0.1\nport: 5432")).toEqual({ type: "tcp", host: "127.0.0.1", port: 5432 });
    expect(probeOf("type: postgres\nurl: postgresql://x@db/x\nquery: SELECT count(*) FROM jobs")).toMatchObject({
      query: "SELECT count(*) FROM jobs",
    });
    expect(probeOf("type: prometheus\nurl: http://p:9090")).toEqual({
      type: "prometheus",
      url: "http://p:9090",
      headers: {},
    });
    expect(probeOf("type: grafana\nurl: http://g:3000")).toEqual({
      type: "grafana",
      url: "http://g:3000",
      headers: {},
    });
    expect(probeOf("type: alertmanager\nurl: http://a:9093")).toMatchObject({ type: "alertmanager" });
    expect(probeOf("type: jaeger\nurl: http://j:16686\nadminUrl: http://j:14269")).toMatchObject({
      adminUrl: "http://j:14269",
    });
  });

  it("accepts TLS settings, defaulting to verified certificates", () => {
    expect(
      probeOf("type: http\nurl: https://x/health\ntls: { ca: /etc/ssl/ca.pem, servername: api.internal }"),
    ).toMatchObject({
      tls: { ca: "/etc/ssl/ca.pem", servername: "api.internal", rejectUnauthorized: true },
    });
  });

  it.each([
    ["tcp port out of range", "type: tcp\nhost: h\nport: 70000", "components[0].probe.port", /between 1 and 65535/],
    ["tcp without host", "type: tcp\nport: 80", "components[0].probe.host", /expected a host name or address/],
    [
      "body with GET",
      "type: http\nurl: http://x/\nbody: '{}'",
      "components[0].probe.body",
      /method: POST only \(method is GET\)/,
    ],
    [
      "mTLS over plain HTTP",
      "type: http\nurl: http://x/\nconditions: ['[MTLS_ENFORCED] == true']",
      "components[0].probe.url",
      /mTLS needs an https:\/\/ URL/,
    ],
    [
      "mtlsEnforced without a client certificate",
      "type: http\nurl: https://x/\nmtlsEnforced: true",
      "components[0].probe.mtlsEnforced",
      /needs tls.cert and tls.key/,
    ],
    [
      "cert without key",
      "type: http\nurl: https://x/\ntls: { cert: /c.pem }",
      "components[0].probe.tls.key",
      /go together/,
    ],
    [
      "unknown tls key",
      "type: http\nurl: https://x/\ntls: { verify: false }",
      "components[0].probe.tls.verify",
      /unknown key "verify"/,
    ],
    [
      "prometheus target and query",
      "type: prometheus\nurl: http://p/\ntarget: { job: api }\nquery: up",
      "components[0].probe.query",
      /either target or query, not both/,
    ],
    [
      "prometheus check with query",
      "type: prometheus\nurl: http://p/\ncheck: healthy\nquery: up",
      "components[0].probe.check",
      /cannot be combined/,
    ],
    [
      "prometheus unknown check",
      "type: prometheus\nurl: http://p/\ncheck: ready",
      "components[0].probe.check",
      /expected check: healthy/,
    ],
    [
      "prometheus target without job",
      "type: prometheus\nurl: http://p/\ntarget: { instance: a }",
      "components[0].probe.target.job",
      /required/,
    ],
    [
      "grafana with a postgres url",
      "type: grafana\nurl: postgres://g",
      "components[0].probe.url",
      /http:\/\/ or https:\/\//,
    ],
    [
      "preset with unknown key",
      "type: alertmanager\nurl: http://a/\nmethod: POST",
      "components[0].probe.method",
      /unknown key "method"/,
    ],
    [
      "redis condition on RESULT",
      "type: redis\nurl: redis://r\nconditions: ['[RESULT] == 1']",
      "components[0].probe.conditions[0]",
      /\[RESULT\] is not available for redis probes/,
    ],
  ])("rejects %s", (_name, probe, path, message) => {
    const issue = issuesOf(probe).find((i) => i.path === path);
    expect(issue?.message).toMatch(message);
  });

  it("keeps probe objects plain data (no parsed state), so they can be compared and serialised", () => {
    const probe = ZProbe.parse({ type: "http", url: "http://x/", conditions: ["[STATUS] == 200"] });
    expect(JSON.parse(JSON.stringify(probe))).toEqual(probe);
  });
});
