import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { EVIDENCE_ENDPOINTS } from "../lib/http/evidence-route";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";
import { writeTempConfig } from "../lib/testing/worker-process";
import { createToken } from "../lib/tokens/store";

// The input policy (README, "What Preflight accepts"), walked over every evidence endpoint and every field of every
// evidence kind that comes from the sender. Each row says how a value reaches one stored column (or one field the
// parser reads); each input class is sent through each row, and must be refused with the right status and a message
// that names the field, with not one row written anywhere. Each row is first sent with a harmless value and must be
// stored, with that value where the row says: a row that does not reach its field cannot pass by being refused for
// some other reason. The guards at the end fail when an endpoint, an evidence table or a column has no row.

const MAX_UPLOAD_BYTES = 65_536;

const CONFIG = `version: 1
system: { name: input-policy-test }
defaults: { interval: 1h, timeout: 5s }
components:
  - { id: api, name: API, service: Node, probe: { type: tcp, host: 127.0.0.1, port: 9 } }
evidence: { maxUploadBytes: ${MAX_UPLOAD_BYTES} }
scorecard:
  categories:
    - id: quality
      name: Quality
      checks:
        - { id: backup-restore, name: Backup restore rehearsed, kind: attestation, question: Has a backup been restored this quarter? }
`;

type TRoute = "junit" | "k6" | "chaos" | "attestations" | "coverage" | "sarif" | "sbom" | "manifests" | "compose";
const ROUTE_KIND = {
  junit: "junit",
  k6: "k6",
  chaos: "chaos",
  attestations: "attestation",
  coverage: "coverage",
  sarif: "scan",
  sbom: "sbom",
  manifests: "manifests",
  compose: "compose",
} as const;
type TModel =
  | "testRun"
  | "loadTestRun"
  | "chaosRun"
  | "attestation"
  | "coverageRun"
  | "scanRun"
  | "sbomRun"
  | "manifestRun"
  | "composeRun";
/** The endpoints whose body is YAML: their texts are YAML scalars, written double-quoted so that escapes work. */
const YAML_ROUTES: ReadonlySet<TRoute> = new Set(["manifests", "compose"]);

let database: TestDatabase;
let prisma: PrismaClient;
let handlers: Record<TRoute, (request: Request) => Promise<Response>>;
let token = "";
const savedEnv = { ...process.env };

beforeAll(async () => {
  database = await createTestDatabase("pf_input_policy");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: writeTempConfig(CONFIG).path,
    PREFLIGHT_EMBEDDED_WORKER: "false",
    REDIS_URL: "",
  });
  handlers = {
    junit: (await import("../app/api/v1/evidence/junit/route")).POST,
    k6: (await import("../app/api/v1/evidence/k6/route")).POST,
    chaos: (await import("../app/api/v1/evidence/chaos/route")).POST,
    attestations: (await import("../app/api/v1/evidence/attestations/route")).POST,
    coverage: (await import("../app/api/v1/evidence/coverage/route")).POST,
    sarif: (await import("../app/api/v1/evidence/sarif/route")).POST,
    sbom: (await import("../app/api/v1/evidence/sbom/route")).POST,
    manifests: (await import("../app/api/v1/evidence/manifests/route")).POST,
    compose: (await import("../app/api/v1/evidence/compose/route")).POST,
  };
  prisma = getPrisma();
  token = (await createToken(prisma, { name: "ci", scopes: ["evidence:write"], createdBy: "test" })).token;
});

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  await database.drop();
  process.env = savedEnv;
});

// --- sending, and what a push leaves behind ---

type TPush = { body: BodyInit | null; query?: string; headers?: Record<string, string> };

const CONTENT_TYPE: Record<TRoute, string> = {
  junit: "application/xml",
  k6: "application/json",
  chaos: "application/json",
  attestations: "application/json",
  coverage: "application/xml",
  sarif: "application/sarif+json",
  sbom: "application/vnd.cyclonedx+json",
  manifests: "application/yaml",
  compose: "application/yaml",
};

function send(route: TRoute, push: TPush, auth: string | null = token): Promise<Response> {
  const request = new Request(
    `http://preflight.test${EVIDENCE_ENDPOINTS[ROUTE_KIND[route]].path}${push.query ? `?${push.query}` : ""}`,
    {
      method: "POST",
      headers: {
        "content-type": CONTENT_TYPE[route],
        ...(auth === null ? {} : { authorization: `Bearer ${auth}` }),
        ...push.headers,
      },
      body: push.body,
      duplex: "half",
    } as RequestInit,
  );
  return handlers[route](request);
}

async function countRows() {
  const [a, b, c, d, e, f, g, h, i, audit, snapshots] = await Promise.all([
    prisma.testRun.count(),
    prisma.loadTestRun.count(),
    prisma.chaosRun.count(),
    prisma.attestation.count(),
    prisma.coverageRun.count(),
    prisma.scanRun.count(),
    prisma.sbomRun.count(),
    prisma.manifestRun.count(),
    prisma.composeRun.count(),
    prisma.auditLog.count(),
    prisma.readinessSnapshot.count(),
  ]);
  return {
    testRun: a,
    loadTestRun: b,
    chaosRun: c,
    attestation: d,
    coverageRun: e,
    scanRun: f,
    sbomRun: g,
    manifestRun: h,
    composeRun: i,
    audit,
    snapshots,
  };
}

/** Refused with `status`, a JSON `error` containing every one of `says`, and nothing stored. */
async function expectRefused(
  route: TRoute,
  push: TPush,
  status: number,
  says: string[],
  auth: string | null = token,
): Promise<string> {
  const before = await countRows();
  const response = await send(route, push, auth);
  const text = await response.text();
  let body: { error?: unknown };
  try {
    body = JSON.parse(text) as { error?: unknown };
  } catch {
    throw new Error(`expected a JSON answer, got ${response.status}: ${text.slice(0, 200)}`);
  }
  expect({ status: response.status, error: typeof body.error }, text).toEqual({ status, error: "string" });
  for (const part of says) expect(body.error as string).toContain(part);
  // The message quotes what it refused escaped: a control character never reaches a log or a page through it.
  expect(body.error as string).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(await countRows()).toEqual(before);
  return body.error as string;
}

async function expectStored(route: TRoute, push: TPush): Promise<{ model: TModel; row: Record<string, unknown> }> {
  const response = await send(route, push);
  const body = (await response.json()) as { id?: string; kind?: string; error?: string };
  expect(response.status, JSON.stringify(body)).toBe(201);
  const model: TModel = (
    {
      junit: "testRun",
      k6: "loadTestRun",
      chaos: "chaosRun",
      attestations: "attestation",
      coverage: "coverageRun",
      sarif: "scanRun",
      sbom: "sbomRun",
      manifests: "manifestRun",
      compose: "composeRun",
    } as const
  )[route];
  const where = { where: { id: BigInt(body.id ?? "0") } };
  const delegate = prisma[model] as unknown as {
    findUniqueOrThrow: (q: typeof where) => Promise<Record<string, unknown>>;
  };
  return { model, row: await delegate.findUniqueOrThrow(where) };
}

// --- payload builders: a valid push, with one field replaced ---

const fixture = (name: string) => readFileSync(new URL(`../lib/evidence/fixtures/${name}`, import.meta.url), "utf8");
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

type TJUnitParts = Partial<
  Record<
    | "suiteName"
    | "suiteTime"
    | "caseName"
    | "classname"
    | "caseTime"
    | "file"
    | "line"
    | "message"
    | "type"
    | "body"
    | "trace"
    | "flakyName",
    string
  >
>;

/** XML text as given: each part is already markup (a raw character, or a character reference). */
function junitXml(p: TJUnitParts = {}): string {
  const attr = (name: string, value: string | undefined) => (value === undefined ? "" : ` ${name}="${value}"`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="${p.suiteName ?? "gateway"}"${attr("time", p.suiteTime)}>
    <testcase name="${p.caseName ?? "login"}" classname="${p.classname ?? "auth"}"${attr("time", p.caseTime)}${attr("file", p.file)}${attr("line", p.line)}>
      <failure message="${p.message ?? "expected 200"}" type="${p.type ?? "AssertionError"}">${p.body ?? "at login.test.ts:12"}</failure>
    </testcase>
    <testcase name="upload" classname="files"><rerunFailure><stackTrace>${p.trace ?? "java.lang.AssertionError: nope"}</stackTrace></rerunFailure></testcase>
    <testcase name="${p.flakyName ?? "retry"}" classname="net"><flakyFailure message="timeout"/></testcase>
  </testsuite>
</testsuites>`;
}

type TK6Metric = { values: Record<string, unknown>; thresholds?: Record<string, unknown> };
type TK6Fixture = {
  metrics: Record<string, TK6Metric> &
    Record<"http_req_duration" | "http_req_failed" | "http_reqs" | "checks", TK6Metric>;
  state: Record<string, unknown>;
};
const k6Base = () => JSON.parse(fixture("k6-handle-summary.json")) as TK6Fixture;
function k6With(edit: (summary: ReturnType<typeof k6Base>) => void): string {
  const summary = k6Base();
  edit(summary);
  return JSON.stringify(summary);
}

const chaos = (over: Record<string, unknown> = {}) => ({
  name: "api-pod-delete",
  fault: "pod-delete",
  target: "api",
  startedAt: minutesFromNow(-10),
  endedAt: minutesFromNow(-8),
  expectedRecoveryS: 30,
  ...over,
});
const litmus = (
  edit: (r: {
    metadata: Record<string, unknown>;
    spec: Record<string, unknown>;
    status: { experimentStatus: Record<string, unknown> };
  }) => void = () => {},
) => {
  const result = JSON.parse(fixture("litmus-chaosresult-pod-delete.json")) as Parameters<typeof edit>[0];
  edit(result);
  return JSON.stringify(result);
};
const attestation = (over: Record<string, unknown> = {}) => ({
  check: "backup-restore",
  answer: "yes",
  evidenceUrl: "https://wiki.example.com/restore",
  comment: "restored on staging",
  expiresAt: minutesFromNow(90 * 24 * 60),
  attestedBy: "ops@example.com",
  ...over,
});
const json = (value: unknown) => JSON.stringify(value);

/** A report never pushed before: identical ones are one row (the second push is a 200 duplicate, not a 201). */
let unique = 0;
type TCoberturaParts = Partial<Record<"pkg" | "file" | "hits" | "number", string>>;
function coberturaXml(p: TCoberturaParts = {}): string {
  unique += 1;
  return `<?xml version="1.0" ?>
<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">
<coverage timestamp="${Date.now()}-${unique}">
  <packages>
    <package name="${p.pkg ?? "checkout"}">
      <classes>
        <class name="cart" filename="${p.file ?? "src/cart.ts"}">
          <lines><line number="${p.number ?? "1"}" hits="${p.hits ?? "4"}"/><line number="2" hits="0"/></lines>
        </class>
      </classes>
    </package>
  </packages>
</coverage>`;
}
function lcovText(p: { file?: string; hits?: string; number?: string } = {}): string {
  unique += 1;
  return `TN:run-${Date.now()}-${unique}\nSF:${p.file ?? "src/cart.ts"}\nDA:${p.number ?? "1"},${p.hits ?? "4"}\nDA:2,0\nend_of_record\n`;
}
const LCOV = { "content-type": "text/plain" };

/** A SARIF log never pushed before (a unique automation id), with one field replaced. */
function sarifLog(
  p: { tool?: string; rule?: string; message?: string; uri?: string; line?: unknown; level?: string } = {},
): string {
  unique += 1;
  return JSON.stringify({
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: p.tool ?? "Semgrep", rules: [{ id: "sqli" }] } },
        automationDetails: { id: `run-${Date.now()}-${unique}` },
        results: [
          {
            ruleId: p.rule ?? "sqli",
            level: p.level ?? "warning",
            message: { text: p.message ?? "tainted query" },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: p.uri ?? "src/db.ts" },
                  region: { startLine: p.line ?? NUM },
                },
              },
            ],
          },
        ],
      },
    ],
  }).replace(`"${NUM}"`, "12");
}

type TCdxParts = Partial<
  Record<
    | "specVersion"
    | "subject"
    | "subjectGroup"
    | "subjectVersion"
    | "tool"
    | "toolGroup"
    | "toolVersion"
    | "component"
    | "version"
    | "purl"
    | "pad"
    | "licence"
    | "vulnId"
    | "ref"
    | "source"
    | "severity"
    | "method"
    | "recommendation"
    | "fixed"
    | "published"
    | "state",
    string
  >
>;
/** A CycloneDX 1.6 BOM never pushed before (a unique serial number), with one field replaced. */
function cyclonedx(p: TCdxParts = {}): string {
  unique += 1;
  return JSON.stringify({
    bomFormat: "CycloneDX",
    specVersion: p.specVersion ?? "1.6",
    serialNumber: `urn:uuid:run-${Date.now()}-${unique}`,
    metadata: {
      tools: {
        components: [
          {
            type: "application",
            group: p.toolGroup ?? "aquasecurity",
            name: p.tool ?? "trivy",
            version: p.toolVersion ?? "0.58.1",
          },
        ],
      },
      component: {
        type: "application",
        "bom-ref": "ref-shop",
        group: p.subjectGroup ?? "acme",
        name: p.subject ?? "shop",
        version: p.subjectVersion ?? "2.4.0",
      },
    },
    components: [
      // A package without a licence, and one without a version: both are listed in `missing`.
      {
        type: "library",
        "bom-ref": "ref-lodash",
        name: p.component ?? "lodash",
        version: p.version ?? "4.17.20",
        purl: p.purl ?? "pkg:npm/lodash@4.17.20",
      },
      {
        type: "library",
        "bom-ref": "ref-left-pad",
        name: p.pad ?? "left-pad",
        licenses: [{ license: { id: p.licence ?? "WTFPL" } }],
        purl: "pkg:npm/left-pad",
      },
    ],
    vulnerabilities: [
      {
        id: p.vulnId ?? "CVE-2021-23337",
        source: { name: p.source ?? "ghsa" },
        ratings: [{ severity: p.severity ?? "high", method: p.method ?? "CVSSv31", score: 7.2 }],
        recommendation: p.recommendation ?? "Upgrade lodash to version 4.17.21",
        published: p.published ?? "2021-02-15T13:15:00Z",
        affects: [{ ref: p.ref ?? "ref-lodash", versions: [{ version: p.fixed ?? "4.17.22", status: "unaffected" }] }],
        analysis: { state: p.state ?? "exploitable" },
      },
    ],
  });
}

type TSpdxParts = Partial<
  Record<"spdxVersion" | "tool" | "subject" | "subjectVersion" | "package" | "version" | "purl" | "licence", string>
>;
/** An SPDX 2.3 document never pushed before (a unique namespace), with one field replaced. */
function spdxJson(p: TSpdxParts = {}): string {
  unique += 1;
  return JSON.stringify({
    spdxVersion: p.spdxVersion ?? "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: "shop@2.4.0",
    documentNamespace: `https://spdx.example.com/shop-${Date.now()}-${unique}`,
    creationInfo: { created: "2026-12-02T18:44:01.056Z", creators: [`Tool: ${p.tool ?? "npm/cli-11.19.1"}`] },
    documentDescribes: ["SPDXRef-Package-shop"],
    packages: [
      {
        SPDXID: "SPDXRef-Package-shop",
        name: p.subject ?? "shop",
        versionInfo: p.subjectVersion ?? "2.4.0",
        licenseDeclared: "MIT",
      },
      {
        SPDXID: "SPDXRef-Package-lodash",
        name: p.package ?? "lodash",
        versionInfo: p.version ?? "4.17.20",
        licenseConcluded: "NOASSERTION",
        externalRefs: [
          {
            referenceCategory: "PACKAGE-MANAGER",
            referenceType: "purl",
            referenceLocator: p.purl ?? "pkg:npm/lodash@4.17.20",
          },
        ],
      },
      { SPDXID: "SPDXRef-Package-left-pad", name: "left-pad", licenseConcluded: p.licence ?? "WTFPL" },
    ],
  });
}
const SPDX = { "content-type": "application/spdx+json" };

/**
 * Rendered manifests never pushed before (a unique comment), with one field replaced. YAML text as given: each part
 * sits in a double-quoted scalar, so it may be a raw character or an escape ("\\x1b"); numbers are written bare.
 */
type TK8sParts = Partial<
  Record<
    | "name"
    | "namespace"
    | "label"
    | "container"
    | "image"
    | "target"
    | "apiVersion"
    | "kind"
    | "replicas"
    | "minReplicas"
    | "runAsUser"
    | "containerPort",
    string
  >
>;
function manifestsYaml(p: TK8sParts = {}): string {
  unique += 1;
  return `# helm template shop ./chart (${Date.now()}-${unique})
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "${p.name ?? "storefront"}"
  namespace: "${p.namespace ?? "retail"}"
spec:
  replicas: ${p.replicas ?? "3"}
  selector:
    matchLabels: { app: frontend }
  template:
    metadata:
      labels: { app: "${p.label ?? "frontend"}" }
    spec:
      containers:
        - name: "${p.container ?? "api-server"}"
          image: "${p.image ?? "registry.example.com/shop/api:latest"}"
          ports: [{ name: http, containerPort: ${p.containerPort ?? "8080"} }]
          securityContext: { runAsUser: ${p.runAsUser ?? "1000"} }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: worker, namespace: retail }
spec:
  selector: { matchLabels: { app: worker } }
  template:
    metadata: { labels: { app: worker } }
    spec: { containers: [{ name: worker, image: "registry.example.com/shop/worker:1.0" }] }
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: worker, namespace: retail }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: "${p.target ?? "worker"}" }
  minReplicas: ${p.minReplicas ?? "2"}
  maxReplicas: 10
---
apiVersion: "${p.apiVersion ?? "example.com/v1"}"
kind: "${p.kind ?? "Widget"}"
metadata: { name: gadget, namespace: retail }
`;
}

/** A compose file never pushed before (a unique comment), with one field replaced; YAML text as manifestsYaml's. */
type TComposeParts = Partial<
  Record<
    | "name"
    | "extension"
    | "service"
    | "image"
    | "restart"
    | "networkMode"
    | "check"
    | "env"
    | "volume"
    | "hostIp"
    | "longHost"
    | "protocol"
    | "target"
    | "published",
    string
  >
>;
function composeYaml(p: TComposeParts = {}): string {
  unique += 1;
  return `# docker compose config (${Date.now()}-${unique})
name: "${p.name ?? "webshop"}"
x-tier: "${p.extension ?? "gold"}"
services:
  "${p.service ?? "storefront"}":
    image: "${p.image ?? "registry.example.com/shop/web"}"
    restart: "${p.restart ?? "no"}"
    network_mode: "${p.networkMode ?? "host"}"
    healthcheck:
      test: ["${p.check ?? "CMD-SHELL"}"]
    environment:
      GREETING: "${p.env ?? "hello"}"
    volumes:
      - "${p.volume ?? "./data:/var/lib/shop"}"
    ports:
      - "${p.hostIp ?? "0.0.0.0"}:8080:80"
      - { target: ${p.target ?? "9090"}, published: ${p.published ?? "9091"}, host_ip: "${p.longHost ?? "127.0.0.1"}", protocol: "${p.protocol ?? "udp"}" }
`;
}

/** The image each YAML builder writes, double-quoted as written: the YAML cases below replace it. */
const YAML_IMAGE = {
  manifests: '"registry.example.com/shop/api:latest"',
  compose: '"registry.example.com/shop/web"',
} as const;

// --- the rows: one per field a sender controls ---

type TTextRow = {
  /** The stored column this field ends up in ("testRun.failures"), or the parser field it is read into. */
  column: string;
  route: TRoute;
  /** The push with `c` inside the field; `c` is "" for the valid push. XML rows get markup, others text. */
  build: (c: string) => TPush;
  /** What the refusal must say to name the field. */
  names: string;
  /** For the valid push: the stored column holds this text (null when the field is read but not stored). */
  stores: string | null;
};

const JUNIT_Q = "suite=gateway&kind=integration";
const xmlRow = (
  column: string,
  part: keyof TJUnitParts,
  valid: string,
  names: string,
  stores: string | null = valid,
): TTextRow => ({
  column,
  route: "junit",
  build: (c) => ({ body: junitXml({ [part]: `${valid.slice(0, 2)}${c}${valid.slice(2)}` }), query: JUNIT_Q }),
  names,
  stores,
});

const TEXT_ROWS: TTextRow[] = [
  // JUnit: the parameters, and every attribute and text the reader takes from a report.
  {
    column: "testRun.suite",
    route: "junit",
    build: (c) => ({ body: junitXml(), query: `suite=gate${encodeURIComponent(c)}way&kind=integration` }),
    names: "suite",
    stores: "gateway",
  },
  {
    column: "testRun.kind",
    route: "junit",
    build: (c) => ({ body: junitXml(), query: `suite=gateway&kind=integ${encodeURIComponent(c)}ration` }),
    names: "kind",
    stores: null,
  },
  xmlRow("testRun.failures", "caseName", "login", 'testcase "lo', "auth > login"),
  xmlRow("testRun.failures", "classname", "auth", 'testcase "login"', "auth > login"),
  xmlRow(
    "testRun.failures",
    "message",
    "expected 200",
    'testcase "login" > failure: attribute message',
    "expected 200",
  ),
  xmlRow("testRun.failures", "body", "at login.test.ts:12", 'testcase "login" > failure: text', null),
  xmlRow(
    "testRun.failures",
    "trace",
    "java.lang.AssertionError: nope",
    'testcase "upload" > rerunFailure > stackTrace: text',
    "java.lang.AssertionError: nope",
  ),
  xmlRow("testRun.failures", "type", "AssertionError", 'testcase "login" > failure: attribute type', null),
  xmlRow("testRun.flakyTests", "flakyName", "retry", 'testcase "re', "net > retry"),
  xmlRow("testRun.failures", "suiteName", "gateway", 'testsuite "ga', null),
  xmlRow("testRun.failures", "file", "src/login.test.ts", 'testcase "login": attribute file', null),
  // k6: the parameter, and the names Preflight keeps (threshold expressions, metric names).
  {
    column: "loadTestRun.test",
    route: "k6",
    build: (c) => ({ body: k6With(() => {}), query: `test=check${encodeURIComponent(c)}out` }),
    names: "test",
    stores: "checkout",
  },
  {
    column: "loadTestRun.thresholds",
    route: "k6",
    build: (c) => ({
      body: k6With((s) => void (s.metrics.http_req_duration.thresholds = { [`p(95)<${c}500`]: { ok: true } })),
      query: "test=checkout",
    }),
    names: "metrics.http_req_duration.thresholds",
    stores: "p(95)<500",
  },
  {
    column: "loadTestRun.thresholds",
    route: "k6",
    build: (c) => ({
      body: k6With(
        (s) => void (s.metrics[`my_${c}metric`] = { values: { rate: 1 }, thresholds: { "rate>0.5": { ok: true } } }),
      ),
      query: "test=checkout",
    }),
    names: "metrics",
    stores: "my_metric",
  },
  {
    column: "loadTestRun.thresholds",
    route: "k6",
    build: (c) => ({
      body: k6With((s) => void (s.metrics.http_reqs.values.label = `checkout ${c}run`)),
      query: "test=checkout",
    }),
    names: "metrics.http_reqs.values.label",
    stores: null,
  },
  // Chaos: an experiment object, a Litmus ChaosResult and its parameters.
  {
    column: "chaosRun.name",
    route: "chaos",
    build: (c) => ({ body: json(chaos({ name: `api-pod${c}-delete` })) }),
    names: "name",
    stores: "api-pod-delete",
  },
  {
    column: "chaosRun.fault",
    route: "chaos",
    build: (c) => ({ body: json(chaos({ fault: `pod${c}-delete` })) }),
    names: "fault",
    stores: "pod-delete",
  },
  {
    column: "chaosRun.target",
    route: "chaos",
    build: (c) => ({ body: json(chaos({ target: `a${c}pi` })) }),
    names: "target",
    stores: "api",
  },
  {
    column: "chaosRun.startedAt",
    route: "chaos",
    build: (c) => ({ body: json(chaos({ startedAt: `${minutesFromNow(-10)}${c}` })) }),
    names: "startedAt",
    stores: null,
  },
  {
    column: "chaosRun.endedAt",
    route: "chaos",
    build: (c) => ({ body: json(chaos({ endedAt: `${minutesFromNow(-8)}${c}` })) }),
    names: "endedAt",
    stores: null,
  },
  {
    column: "chaosRun.name",
    route: "chaos",
    build: (c) => ({
      body: litmus((r) => void (r.metadata.name = `api-pod-delete${c}-pod-delete`)),
      query: "target=api",
    }),
    names: "metadata.name",
    stores: "api-pod-delete-pod-delete",
  },
  {
    column: "chaosRun.fault",
    route: "chaos",
    build: (c) => ({ body: litmus((r) => void (r.spec.experiment = `pod${c}-delete`)), query: "target=api" }),
    names: "spec.experiment",
    stores: "pod-delete",
  },
  {
    column: "chaosRun.verdict",
    route: "chaos",
    build: (c) => ({ body: litmus((r) => void (r.status.experimentStatus.verdict = `Pa${c}ss`)), query: "target=api" }),
    names: "status.experimentStatus.verdict",
    stores: "Pass",
  },
  {
    column: "chaosRun.target",
    route: "chaos",
    build: (c) => ({ body: litmus(), query: `target=a${encodeURIComponent(c)}pi` }),
    names: "target",
    stores: "api",
  },
  {
    column: "chaosRun.startedAt",
    route: "chaos",
    build: (c) => ({ body: litmus(), query: `target=api&startedAt=${encodeURIComponent(`2026-11-26T13:58:04Z${c}`)}` }),
    names: "startedAt",
    stores: null,
  },
  {
    column: "chaosRun.endedAt",
    route: "chaos",
    build: (c) => ({ body: litmus(), query: `target=api&endedAt=${encodeURIComponent(`2026-11-26T13:59:41Z${c}`)}` }),
    names: "endedAt",
    stores: null,
  },
  // Coverage: the parameter, and the names the report gives (Cobertura's package and file, LCOV's SF path).
  {
    column: "coverageRun.project",
    route: "coverage",
    build: (c) => ({ body: coberturaXml(), query: `project=check${encodeURIComponent(c)}out` }),
    names: "project",
    stores: "checkout",
  },
  {
    column: "coverageRun.packages",
    route: "coverage",
    build: (c) => ({ body: coberturaXml({ pkg: `check${c}out` }), query: "project=checkout" }),
    names: "package #1: attribute name",
    stores: "checkout",
  },
  {
    column: "coverageRun.packages",
    route: "coverage",
    build: (c) => ({ body: coberturaXml({ file: `src/ca${c}rt.ts` }), query: "project=checkout" }),
    names: 'package "checkout": attribute filename',
    stores: null,
  },
  {
    column: "coverageRun.packages",
    route: "coverage",
    build: (c) => ({ body: lcovText({ file: `src/ca${c}rt.ts` }), query: "project=checkout", headers: LCOV }),
    names: "SF",
    stores: "src",
  },
  // SARIF: the parameter, and the texts Preflight keeps from each result.
  {
    column: "scanRun.project",
    route: "sarif",
    build: (c) => ({ body: sarifLog(), query: `project=check${encodeURIComponent(c)}out` }),
    names: "project",
    stores: "checkout",
  },
  {
    column: "scanRun.tools",
    route: "sarif",
    build: (c) => ({ body: sarifLog({ tool: `Sem${c}grep` }), query: "project=checkout" }),
    names: "runs[0].tool.driver.name",
    stores: "Semgrep",
  },
  {
    column: "scanRun.findings",
    route: "sarif",
    build: (c) => ({ body: sarifLog({ rule: `sq${c}li` }), query: "project=checkout" }),
    names: "runs[0].results[0].ruleId",
    stores: "sqli",
  },
  {
    column: "scanRun.findings",
    route: "sarif",
    build: (c) => ({ body: sarifLog({ message: `tainted ${c}query` }), query: "project=checkout" }),
    names: "runs[0].results[0].message.text",
    stores: "tainted query",
  },
  {
    column: "scanRun.findings",
    route: "sarif",
    build: (c) => ({ body: sarifLog({ uri: `src/d${c}b.ts` }), query: "project=checkout" }),
    names: "artifactLocation.uri",
    stores: "src/db.ts",
  },
  // Attestations: every field of the object.
  {
    column: "attestation.checkId",
    route: "attestations",
    build: (c) => ({ body: json(attestation({ check: `backup${c}-restore` })) }),
    names: "check",
    stores: "backup-restore",
  },
  {
    column: "attestation.answer",
    route: "attestations",
    build: (c) => ({ body: json(attestation({ answer: `y${c}es` })) }),
    names: "answer",
    stores: "yes",
  },
  {
    column: "attestation.evidenceUrl",
    route: "attestations",
    build: (c) => ({ body: json(attestation({ evidenceUrl: `https://wiki.example.com/re${c}store` })) }),
    names: "evidenceUrl",
    stores: "https://wiki.example.com/restore",
  },
  {
    column: "attestation.comment",
    route: "attestations",
    build: (c) => ({ body: json(attestation({ comment: `restored ${c}on staging` })) }),
    names: "comment",
    stores: "restored on staging",
  },
  {
    column: "attestation.attestedBy",
    route: "attestations",
    build: (c) => ({ body: json(attestation({ attestedBy: `ops${c}@example.com` })) }),
    names: "attestedBy",
    stores: "ops@example.com",
  },
  {
    column: "attestation.expiresAt",
    route: "attestations",
    build: (c) => ({ body: json(attestation({ expiresAt: `${minutesFromNow(90 * 24 * 60)}${c}` })) }),
    names: "expiresAt",
    stores: null,
  },
  // SBOM: the parameter, and what Preflight keeps of a CycloneDX BOM (subject, tool, vulnerabilities, packages
  // missing a version or a licence) and of an SPDX document.
  {
    column: "sbomRun.project",
    route: "sbom",
    build: (c) => ({ body: cyclonedx(), query: `project=check${encodeURIComponent(c)}out` }),
    names: "project",
    stores: "checkout",
  },
  ...(
    [
      ["sbomRun.specVersion", "specVersion", "1.6", "specVersion", "1.6"],
      ["sbomRun.subjectName", "subject", "shop", "metadata.component.name", "acme/shop"],
      ["sbomRun.subjectName", "subjectGroup", "acme", "metadata.component.group", "acme/shop"],
      ["sbomRun.subjectVersion", "subjectVersion", "2.4.0", "metadata.component.version", "2.4.0"],
      ["sbomRun.tool", "tool", "trivy", "metadata.tools.components[0].name", "aquasecurity/trivy 0.58.1"],
      ["sbomRun.tool", "toolGroup", "aquasecurity", "metadata.tools.components[0].group", "aquasecurity/trivy 0.58.1"],
      ["sbomRun.tool", "toolVersion", "0.58.1", "metadata.tools.components[0].version", "aquasecurity/trivy 0.58.1"],
      ["sbomRun.vulnerabilities", "vulnId", "CVE-2021-23337", "vulnerabilities[0].id", "CVE-2021-23337"],
      ["sbomRun.vulnerabilities", "component", "lodash", "components[0].name", "lodash@4.17.20"],
      ["sbomRun.vulnerabilities", "version", "4.17.20", "components[0].version", "lodash@4.17.20"],
      ["sbomRun.vulnerabilities", "ref", "ref-lodash", "vulnerabilities[0].affects[0].ref", "lodash@4.17.20"],
      ["sbomRun.vulnerabilities", "source", "ghsa", "vulnerabilities[0].source.name", "ghsa"],
      ["sbomRun.vulnerabilities", "severity", "high", "vulnerabilities[0].ratings[0].severity", "high"],
      ["sbomRun.vulnerabilities", "method", "CVSSv31", "vulnerabilities[0].ratings[0].method", null],
      [
        "sbomRun.vulnerabilities",
        "recommendation",
        "Upgrade lodash to version 4.17.21",
        "vulnerabilities[0].recommendation",
        "4.17.21",
      ],
      ["sbomRun.vulnerabilities", "fixed", "4.17.22", "vulnerabilities[0].affects[0].versions[0].version", "4.17.22"],
      [
        "sbomRun.vulnerabilities",
        "published",
        "2021-02-15T13:15:00Z",
        "vulnerabilities[0].published",
        "2021-02-15T13:15:00.000Z",
      ],
      ["sbomRun.vulnerabilities", "state", "exploitable", "vulnerabilities[0].analysis.state", "exploitable"],
      ["sbomRun.missing", "purl", "pkg:npm/lodash@4.17.20", "components[0].purl", "pkg:npm/lodash@4.17.20"],
      ["sbomRun.missing", "pad", "left-pad", "components[1].name", "left-pad"],
      ["sbomRun.missing", "licence", "WTFPL", "components[1].licenses[0].license.id", "WTFPL"],
    ] as const
  ).map(
    ([column, part, valid, names, stores]): TTextRow => ({
      column,
      route: "sbom",
      build: (c) => ({
        body: cyclonedx({ [part]: `${valid.slice(0, 2)}${c}${valid.slice(2)}` }),
        query: "project=checkout",
      }),
      names,
      stores,
    }),
  ),
  ...(
    [
      ["sbomRun.specVersion", "spdxVersion", "SPDX-2.3", "spdxVersion", "SPDX-2.3"],
      ["sbomRun.tool", "tool", "npm/cli-11.19.1", "creationInfo.creators[0]", "npm/cli-11.19.1"],
      ["sbomRun.subjectName", "subject", "shop", "packages[0].name", "shop"],
      ["sbomRun.subjectVersion", "subjectVersion", "2.4.0", "packages[0].versionInfo", "2.4.0"],
      ["sbomRun.missing", "package", "lodash", "packages[1].name", "lodash"],
      ["sbomRun.missing", "version", "4.17.20", "packages[1].versionInfo", "4.17.20"],
      [
        "sbomRun.missing",
        "purl",
        "pkg:npm/lodash@4.17.20",
        "packages[1].externalRefs[0].referenceLocator",
        "pkg:npm/lodash@4.17.20",
      ],
      ["sbomRun.missing", "licence", "WTFPL", "packages[2].licenseConcluded", "WTFPL"],
    ] as const
  ).map(
    ([column, part, valid, names, stores]): TTextRow => ({
      column,
      route: "sbom",
      build: (c) => ({
        body: spdxJson({ [part]: `${valid.slice(0, 2)}${c}${valid.slice(2)}` }),
        query: "project=checkout",
        headers: SPDX,
      }),
      names,
      stores,
    }),
  ),
  // Kubernetes manifests: the parameter, and the names findings, workloads and kinds are kept under.
  {
    column: "manifestRun.project",
    route: "manifests",
    build: (c) => ({ body: manifestsYaml(), query: `project=check${encodeURIComponent(c)}out` }),
    names: "project",
    stores: "checkout",
  },
  ...(
    [
      ["manifestRun.workloads", "name", "storefront", "metadata.name", "storefront"],
      ["manifestRun.workloads", "namespace", "retail", "metadata.namespace", "retail"],
      ["manifestRun.workloads", "target", "worker", "spec.scaleTargetRef.name", null],
      ["manifestRun.findings", "name", "storefront", "metadata.name", "storefront"],
      ["manifestRun.findings", "namespace", "retail", "metadata.namespace", "retail"],
      ["manifestRun.findings", "container", "api-server", "spec.template.spec.containers[0].name", "api-server"],
      [
        "manifestRun.findings",
        "image",
        "registry.example.com/shop/api:latest",
        "spec.template.spec.containers[0].image",
        "registry.example.com/shop/api:latest",
      ],
      ["manifestRun.findings", "label", "frontend", "spec.template.metadata.labels.app", "app=frontend"],
      ["manifestRun.byKind", "kind", "Widget", "kind", "Widget"],
      ["manifestRun.byKind", "apiVersion", "example.com/v1", "apiVersion", null],
    ] as const
  ).map(
    ([column, part, valid, names, stores]): TTextRow => ({
      column,
      route: "manifests",
      build: (c) => ({
        body: manifestsYaml({ [part]: `${valid.slice(0, 2)}${c}${valid.slice(2)}` }),
        query: "project=checkout",
      }),
      names,
      stores,
    }),
  ),
  // Compose: the parameter, the project and service names, the published ports and what findings quote.
  {
    column: "composeRun.project",
    route: "compose",
    build: (c) => ({ body: composeYaml(), query: `project=check${encodeURIComponent(c)}out` }),
    names: "project",
    stores: "checkout",
  },
  ...(
    [
      ["composeRun.name", "name", "webshop", "name", "webshop"],
      ["composeRun.services", "service", "storefront", "services", "storefront"],
      ["composeRun.ports", "service", "storefront", "services", "storefront"],
      ["composeRun.ports", "hostIp", "0.0.0.0", "services.storefront.ports[0]", "0.0.0.0"],
      ["composeRun.ports", "longHost", "127.0.0.1", "services.storefront.ports[1].host_ip", "127.0.0.1"],
      ["composeRun.ports", "protocol", "udp", "services.storefront.ports[1].protocol", "udp"],
      ["composeRun.findings", "service", "storefront", "services", "storefront"],
      [
        "composeRun.findings",
        "image",
        "registry.example.com/shop/web",
        "services.storefront.image",
        "registry.example.com/shop/web",
      ],
      ["composeRun.findings", "restart", "no", "services.storefront.restart", 'restart: "no"'],
      ["composeRun.findings", "networkMode", "host", "services.storefront.network_mode", "network_mode: host"],
      [
        "composeRun.findings",
        "check",
        "CMD-SHELL",
        "services.storefront.healthcheck.test[0]",
        "the healthcheck test is CMD-SHELL",
      ],
      ["composeRun.findings", "volume", "./data:/var/lib/shop", "services.storefront.volumes[0]", "/var/lib/shop"],
      ["composeRun.findings", "env", "hello", "services.storefront.environment.GREETING", null],
      ["composeRun.findings", "extension", "gold", "x-tier", null],
    ] as const
  ).map(
    ([column, part, valid, names, stores]): TTextRow => ({
      column,
      route: "compose",
      build: (c) => ({
        body: composeYaml({ [part]: `${valid.slice(0, 2)}${c}${valid.slice(2)}` }),
        query: "project=checkout",
      }),
      names,
      stores,
    }),
  ),
];

/**
 * The text classes: what each sends (as text, as XML markup, and in a double-quoted YAML scalar: escapes, and the
 * raw character) and what the refusal must say.
 */
const TEXT_CLASSES: { name: string; text: string; xml: string[]; yaml: [string, string][]; says: string }[] = [
  {
    name: "NUL",
    text: "\u0000",
    xml: ["&#0;", "\u0000"],
    yaml: [
      ["YAML escape \\0", "\\0"],
      ["raw", "\u0000"],
    ],
    says: "U+0000",
  },
  {
    name: "ESC (an ANSI colour)",
    text: "\u001b[31m",
    xml: ["&#x1B;[31m", "\u001b[31m"],
    yaml: [
      ["YAML escape \\x1b", "\\x1b[31m"],
      ["YAML escape \\e", "\\e[31m"],
      ["raw", "\u001b[31m"],
    ],
    says: "U+001B",
  },
  {
    name: "BEL",
    text: "\u0007",
    xml: ["&#7;", "\u0007"],
    yaml: [
      ["YAML escape \\u0007", "\\u0007"],
      ["YAML escape \\a", "\\a"],
      ["raw", "\u0007"],
    ],
    says: "U+0007",
  },
  {
    name: "backspace",
    text: "\u0008",
    xml: ["&#8;", "\u0008"],
    yaml: [
      ["YAML escape \\b", "\\b"],
      ["raw", "\u0008"],
    ],
    says: "U+0008",
  },
  {
    name: "DEL",
    text: "\u007f",
    xml: ["&#127;", "\u007f"],
    yaml: [
      ["YAML escape \\x7f", "\\x7f"],
      ["raw", "\u007f"],
    ],
    says: "U+007F",
  },
  {
    name: "a C1 control (CSI)",
    text: "\u009b",
    xml: ["&#x9B;", "\u009b"],
    yaml: [
      ["YAML escape \\x9b", "\\x9b"],
      ["YAML escape \\u009b", "\\u009b"],
      ["raw", "\u009b"],
    ],
    says: "U+009B",
  },
  // UTF-8 cannot carry a raw one: only the escape.
  {
    name: "an unpaired surrogate",
    text: "\ud800",
    xml: ["&#xD800;"],
    yaml: [["YAML escape \\ud800", "\\ud800"]],
    says: "unpaired surrogate U+D800",
  },
];

/** Query parameters are percent-encoded text; XML markup where the row is XML. */
const isXmlRow = (row: TTextRow) =>
  (row.route === "junit" && !row.column.endsWith(".suite") && !row.column.endsWith(".kind")) ||
  (row.route === "coverage" && !row.column.endsWith(".project") && row.build("").headers === undefined);
/** A surrogate cannot be percent-encoded: a URL's bytes decode as UTF-8, where an unpaired one becomes U+FFFD. */
const isQueryRow = (row: TTextRow) => row.build("").query !== row.build("\u0001").query;
/** YAML text where the row is in a manifest or a compose file (not its query parameter). */
const isYamlRow = (row: TTextRow) => YAML_ROUTES.has(row.route) && !isQueryRow(row);

describe.each(TEXT_ROWS.map((row) => [`${row.column} (${row.names})`, row] as const))(
  "text field %s",
  (_label, row) => {
    it("takes a valid value and stores it where the row says", async () => {
      const { row: stored } = await expectStored(row.route, row.build(""));
      const column = row.column.split(".")[1] as string;
      if (row.stores !== null)
        expect(JSON.stringify(stored[column])).toContain(JSON.stringify(row.stores).slice(1, -1));
    });

    // A plain-text body (LCOV) is UTF-8 on the wire, where an unpaired surrogate cannot be written at all.
    const plainText = row.build("").headers?.["content-type"] === "text/plain";
    const classes =
      isQueryRow(row) || plainText ? TEXT_CLASSES.filter((k) => !k.name.includes("surrogate")) : TEXT_CLASSES;
    const cases = classes.flatMap((k) =>
      isXmlRow(row)
        ? k.xml.map((markup, i) => [`${k.name} (${i === 0 ? "character reference" : "raw"})`, markup, k.says] as const)
        : isYamlRow(row)
          ? k.yaml.map(([how, text]) => [`${k.name} (${how})`, text, k.says] as const)
          : [[k.name, k.text, k.says] as const],
    );
    it.each(cases)("refuses %s with 422 naming the field, storing nothing", async (_name, c, says) => {
      // NUL is not even allowed as a character reference in XML; either way the sender hears which field holds it.
      await expectRefused(row.route, row.build(c), 422, [row.names, says]);
    });

    it("keeps tab, line feed and carriage return", async () => {
      const built = row.build(isXmlRow(row) ? "&#9;&#10;&#13;" : isYamlRow(row) ? "\\t\\n\\r" : "\t\n\r");
      const response = await send(row.route, built);
      expect(response.status, await response.clone().text()).not.toBeGreaterThanOrEqual(500);
      if (response.status !== 201)
        expect(((await response.json()) as { error: string }).error).not.toMatch(
          /control character|unpaired surrogate/,
        );
    });
  },
);

// --- numbers: every duration, rate and count a sender gives ---

type TNumberRow = {
  column: string;
  route: TRoute;
  build: (literal: string) => TPush;
  names: string;
  valid: string;
  stores: number | null;
  /** For a JSON column: the valid push leaves this text in it. */
  storesJson?: string;
};

/** A k6 summary with one number written as given ("1e999", "-1"): JSON.stringify cannot write Infinity. */
const NUM = "__number__";
const k6Number = (edit: (summary: ReturnType<typeof k6Base>) => void) => (literal: string) => ({
  body: k6With(edit).replace(`"${NUM}"`, literal),
  query: "test=checkout",
});

const NUMBER_ROWS: TNumberRow[] = [
  {
    column: "testRun.durationS",
    route: "junit",
    build: (n) => ({ body: junitXml({ suiteTime: n }), query: JUNIT_Q }),
    names: 'testsuite "gateway": time',
    valid: "987.125",
    stores: 987.125,
  },
  {
    column: "testRun.durationS",
    route: "junit",
    build: (n) => ({ body: junitXml({ caseTime: n }), query: JUNIT_Q }),
    names: 'testcase "login": time',
    valid: "987.125",
    stores: 987.125,
  },
  {
    column: "testRun.failures",
    route: "junit",
    build: (n) => ({ body: junitXml({ line: n }), query: JUNIT_Q }),
    names: 'testcase "login": line',
    valid: "12",
    stores: null,
  },
  ...(["med", "p(90)", "p(95)", "p(99)", "avg", "max"] as const).map((stat, i) => ({
    column: `loadTestRun.${["p50Ms", "p90Ms", "p95Ms", "p99Ms", "avgMs", "maxMs"][i]}`,
    route: "k6" as const,
    build: k6Number((s) => void (s.metrics.http_req_duration.values[stat] = NUM)),
    names: `metrics.http_req_duration.values${/^\w+$/.test(stat) ? `.${stat}` : `["${stat}"]`}`,
    valid: "987.125",
    stores: 987.125,
  })),
  {
    column: "loadTestRun.errorRatePct",
    route: "k6",
    build: k6Number((s) => void (s.metrics.http_req_failed.values.rate = NUM)),
    names: "metrics.http_req_failed.values.rate",
    valid: "0.125",
    stores: 12.5,
  },
  {
    column: "loadTestRun.requestRatePerS",
    route: "k6",
    build: k6Number((s) => void (s.metrics.http_reqs.values.rate = NUM)),
    names: "metrics.http_reqs.values.rate",
    valid: "987.125",
    stores: 987.125,
  },
  {
    column: "loadTestRun.checksPassed",
    route: "k6",
    build: k6Number((s) => void (s.metrics.checks.values.passes = NUM)),
    names: "metrics.checks.values.passes",
    valid: "987",
    stores: 987,
  },
  {
    column: "loadTestRun.checksFailed",
    route: "k6",
    build: k6Number((s) => void (s.metrics.checks.values.fails = NUM)),
    names: "metrics.checks.values.fails",
    valid: "987",
    stores: 987,
  },
  {
    column: "loadTestRun.durationS",
    route: "k6",
    build: k6Number((s) => void (s.state.testRunDurationMs = NUM)),
    names: "state.testRunDurationMs",
    valid: "987.125",
    stores: 0.987125,
  },
  {
    column: "coverageRun.linesCovered",
    route: "coverage",
    build: (n) => ({ body: coberturaXml({ hits: n }), query: "project=checkout" }),
    names: 'class "src/cart.ts" > line 1: hits',
    valid: "7",
    stores: 1,
  },
  {
    column: "coverageRun.linesValid",
    route: "coverage",
    build: (n) => ({ body: coberturaXml({ number: n }), query: "project=checkout" }),
    names: 'class "src/cart.ts": line number',
    valid: "12",
    stores: 2,
  },
  {
    column: "coverageRun.linesCovered",
    route: "coverage",
    build: (n) => ({ body: lcovText({ hits: n }), query: "project=checkout", headers: LCOV }),
    names: "DA hits",
    valid: "7",
    stores: 1,
  },
  {
    column: "scanRun.findings",
    route: "sarif",
    build: (n) => ({
      body: sarifLog({ line: NUM }).replace('"startLine":12', `"startLine":${n}`),
      query: "project=checkout",
    }),
    names: "runs[0].results[0].locations[0].physicalLocation.region.startLine",
    valid: "12",
    stores: null,
  },
  {
    column: "chaosRun.expectedRecoveryS",
    route: "chaos",
    build: (n) => ({ body: json(chaos({ expectedRecoveryS: NUM })).replace(`"${NUM}"`, n) }),
    names: "expectedRecoveryS",
    valid: "987.125",
    stores: 987.125,
  },
  // YAML numbers are written bare: the classes send YAML's own spellings of infinity and not-a-number too.
  {
    column: "manifestRun.workloads",
    route: "manifests",
    build: (n) => ({ body: manifestsYaml({ replicas: n }), query: "project=checkout" }),
    names: "spec.replicas",
    valid: "987",
    stores: null,
    storesJson: '"replicas":987',
  },
  {
    column: "manifestRun.workloads",
    route: "manifests",
    build: (n) => ({ body: manifestsYaml({ minReplicas: n }), query: "project=checkout" }),
    names: "spec.minReplicas",
    valid: "654",
    stores: null,
    storesJson: '"replicas":654',
  },
  {
    column: "manifestRun.findings",
    route: "manifests",
    build: (n) => ({ body: manifestsYaml({ runAsUser: n }), query: "project=checkout" }),
    names: "spec.template.spec.containers[0].securityContext.runAsUser",
    valid: "0",
    stores: null,
    storesJson: "runs as UID 0",
  },
  {
    column: "manifestRun.findings",
    route: "manifests",
    build: (n) => ({ body: manifestsYaml({ containerPort: n }), query: "project=checkout" }),
    names: "spec.template.spec.containers[0].ports[0].containerPort",
    valid: "8081",
    stores: null,
  },
  {
    column: "composeRun.ports",
    route: "compose",
    build: (n) => ({ body: composeYaml({ target: n }), query: "project=checkout" }),
    names: "services.storefront.ports[1].target",
    valid: "987",
    stores: null,
    storesJson: '"target":"987"',
  },
  {
    column: "composeRun.ports",
    route: "compose",
    build: (n) => ({ body: composeYaml({ published: n }), query: "project=checkout" }),
    names: "services.storefront.ports[1].published",
    valid: "987",
    stores: null,
    storesJson: '"published":"987"',
  },
];

const NUMBER_CLASSES: { name: string; json: string; xml: string; yaml: string }[] = [
  { name: "a negative number", json: "-1", xml: "-1", yaml: "-1" },
  { name: "infinity (1e999)", json: "1e999", xml: "1e999", yaml: "1e999" },
  { name: "minus infinity", json: "-1e999", xml: "Infinity", yaml: "-.inf" },
  { name: "not a number", json: '"NaN"', xml: "NaN", yaml: ".nan" },
];

describe.each(NUMBER_ROWS.map((row) => [`${row.column} (${row.names})`, row] as const))("number %s", (_label, row) => {
  it("takes a valid value and stores it", async () => {
    const { row: stored } = await expectStored(row.route, row.build(row.valid));
    const column = row.column.split(".")[1] as string;
    if (row.stores !== null) expect(stored[column]).toBeCloseTo(row.stores, 6);
    if (row.storesJson !== undefined) expect(JSON.stringify(stored[column])).toContain(row.storesJson);
  });

  it.each(NUMBER_CLASSES)("refuses $name with 422 naming the element", async (k) => {
    await expectRefused(
      row.route,
      row.build(
        row.route === "junit" || row.route === "coverage" ? k.xml : YAML_ROUTES.has(row.route) ? k.yaml : k.json,
      ),
      422,
      [row.names],
    );
  });
});

// --- keys: unknown ones refused, never dropped; __proto__ refused anywhere ---

describe("keys", () => {
  it.each([
    ["an attestation", "attestations" as const, { ...attestation(), expires: "2027-01-01T00:00:00Z" }, "expires"],
    ["a chaos experiment", "chaos" as const, { ...chaos(), expectedRecovery: 30 }, "expectedRecovery"],
  ])("refuses an unknown key in %s, naming it", async (_name, route, body, key) => {
    await expectRefused(route, { body: json(body) }, 422, [key, "unknown key"]);
  });

  it.each([
    ["attestations", "top level", `{"__proto__":{"answer":"no"},${json(attestation()).slice(1)}`, "(top level)"],
    ["chaos", "top level", `{"__proto__":{"target":"x"},${json(chaos()).slice(1)}`, "(top level)"],
    [
      "chaos",
      "a Litmus ChaosResult's metadata",
      litmus().replace('"metadata":{', '"metadata":{"__proto__":{"name":"x"},'),
      "metadata",
    ],
    [
      "k6",
      "a metric",
      k6With(() => {}).replace('"http_reqs":{', '"http_reqs":{"__proto__":{"polluted":true},'),
      "metrics.http_reqs",
    ],
  ] as const)("refuses __proto__ on /%s (%s)", async (route, _where, body, names) => {
    expect(body).toContain("__proto__");
    await expectRefused(
      route,
      {
        body,
        query: route === "k6" ? "test=checkout" : route === "chaos" && body.includes("ChaosResult") ? "target=api" : "",
      },
      422,
      [names, '"__proto__" is not accepted'],
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses JSON nested deeper than 64 levels", async () => {
    const deep = `${"[".repeat(200)}1${"]".repeat(200)}`;
    await expectRefused("attestations", { body: `{"comment":${deep}}` }, 422, ["nested deeper than 64 levels"]);
  });

  // The SBOM is JSON, manifests and compose files YAML, where a merge key (`<<`) is one more way to bring a key in.
  it.each([
    [
      "sbom",
      "a BOM's metadata",
      cyclonedx().replace('"metadata":{', '"metadata":{"__proto__":{"polluted":true},'),
      "metadata",
    ],
    [
      "sbom",
      "an SPDX package",
      spdxJson().replace('"packages":[{', '"packages":[{"__proto__":{"polluted":true},'),
      "packages[0]",
    ],
    [
      "manifests",
      "a Deployment's metadata",
      manifestsYaml().replace("metadata:\n  name:", "metadata:\n  __proto__: { polluted: true }\n  name:"),
      "metadata",
    ],
    [
      "manifests",
      "a container, as a quoted key",
      manifestsYaml().replace("          image:", '          "__proto__": { polluted: true }\n          image:'),
      "spec.template.spec.containers[0]",
    ],
    [
      "compose",
      "a service",
      composeYaml().replace("    image:", "    __proto__: { polluted: true }\n    image:"),
      "services.storefront",
    ],
    [
      "compose",
      "a service, through a merge key",
      composeYaml().replace("    image:", "    <<: { __proto__: { polluted: true } }\n    image:"),
      "services.storefront",
    ],
  ] as const)("refuses __proto__ on /%s (%s)", async (route, _where, body, names) => {
    expect(body).toContain("__proto__");
    await expectRefused(
      route,
      { body, query: "project=checkout", headers: body.includes("spdxVersion") ? SPDX : {} },
      422,
      [names, '"__proto__" is not accepted'],
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["sbom", cyclonedx().replace('"metadata":{', `"metadata":{"properties":${"[".repeat(200)}1${"]".repeat(200)},`)],
    ["manifests", `${manifestsYaml()}spec: ${"[".repeat(200)}1${"]".repeat(200)}\n`],
    ["compose", `${composeYaml()}x-deep: ${"[".repeat(200)}1${"]".repeat(200)}\n`],
  ] as const)("refuses a /%s body nested deeper than 64 levels", async (route, body) => {
    await expectRefused(route, { body, query: "project=checkout" }, 422, ["nested deeper than 64 levels"]);
  });
});

// --- YAML: read as data, and nothing else ---

/** A billion laughs: four lines that expand to 10,000 strings. */
const ALIAS_BOMB = `x-lol1: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
x-lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
x-lol3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
x-lol4: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
`;

describe.each(["manifests", "compose"] as const)("YAML on /%s", (route) => {
  const valid = () => (route === "manifests" ? manifestsYaml() : composeYaml());
  const push = (body: string): TPush => ({ body, query: "project=checkout" });
  /** The valid file with its image replaced: the case must change the file, or it proves nothing. */
  const withImage = (image: string) => {
    const text = valid();
    expect(text).toContain(YAML_IMAGE[route]);
    return text.replace(YAML_IMAGE[route], image);
  };

  it("stores the file the cases below are made from", async () => {
    await expectStored(route, push(valid()));
  });

  it.each([
    ["an alias bomb (billion laughs)", () => `${valid()}${ALIAS_BOMB}`, "aliases expand too far"],
    [
      "a !!python/object tag",
      () => withImage('!!python/object/apply:os.system ["id"]'),
      'the YAML tag "tag:yaml.org,2002:python/object/apply:os.system"',
    ],
    [
      "a !!js/function tag",
      () => withImage('!!js/function "function () { return process.exit(1) }"'),
      'the YAML tag "tag:yaml.org,2002:js/function"',
    ],
    ["a !!binary tag", () => withImage("!!binary aGVsbG8="), 'the YAML tag "tag:yaml.org,2002:binary"'],
    ["a custom !tag", () => withImage('!vault "secret/shop/image"'), 'the YAML tag "!vault"'],
    [
      "a custom tag declared by a %TAG directive",
      () => `%TAG !e! tag:example.com,2026:\n---\n${withImage('!e!image "x"')}`,
      'the YAML tag "tag:example.com,2026:image"',
    ],
    [
      "a duplicate key",
      () => valid().replace(/^( +)image: (.*)$/m, '$1image: $2\n$1image: "nginx:1.27"'),
      "Map keys must be unique",
    ],
    [
      "a duplicate key, once quoted",
      () => valid().replace(/^( +)image: (.*)$/m, '$1image: $2\n$1"image": "nginx:1.27"'),
      "Map keys must be unique",
    ],
    ["more than 5,000 documents", () => `${"x: 1\n---\n".repeat(5000)}${valid()}`, "more than the 5000 accepted"],
  ])("refuses %s with 422, storing nothing", async (_name, body, says) => {
    await expectRefused(route, push(body()), 422, [says]);
  });

  // Compose understands its own !reset and !override; a manifest has no such tags.
  if (route === "manifests") {
    it("refuses compose's !reset tag in a manifest with 422", async () => {
      await expectRefused(route, push(withImage('!reset "x"')), 422, ['the YAML tag "!reset"']);
    });
  }

  // Not YAML at all is 400, as not-JSON and not-XML are; what the reader says names the line and column.
  it.each([
    ["an unclosed flow collection", "services: [storefront\n", ["YAML syntax at line 2, column 1", "Flow sequence"]],
    [
      "tabs as indentation",
      "services:\n\tstorefront: {}\n",
      ["YAML syntax at line 2", "Tabs are not allowed as indentation"],
    ],
    ["a nested compact mapping", "image: nginx: 1.27\n", ["YAML syntax at line 1", "Nested mappings are not allowed"]],
    ["an unterminated quote", "image: 'nginx\n", ["YAML syntax at line", "Missing closing 'quote"]],
    ["truncated JSON", '{"apiVersion": "v1", "kind":', ["YAML syntax at line 1"]],
    ["an HTML error page", "<html><body>502 Bad Gateway</body></html>", ["as YAML, got XML or HTML"]],
    ["an empty body", " \n", ["is empty"]],
  ])("refuses %s with 400", async (_name, body, says) => {
    await expectRefused(route, push(body), 400, says);
  });

  it("refuses YAML that is not what the endpoint reads with 400", async () => {
    await expectRefused(route, push(route === "manifests" ? composeYaml() : manifestsYaml()), 400, [
      route === "manifests" ? "holds no Kubernetes object" : "not a compose file",
    ]);
  });

  // Where the reader stopped is quoted escaped, like every other quoted value (expectRefused checks the message).
  it.each([
    [
      "a verbatim tag holding a C1 control",
      () => withImage("!<tag:example.com,2026:\u009b> x"),
      422,
      ["the YAML tag", "\\u009b"],
    ],
    [
      "a %TAG prefix holding DEL",
      () => `%TAG !e! tag:example.com,2026:\u007f\n---\n${withImage("!e!x y")}`,
      422,
      ["the YAML tag", "\\u007f"],
    ],
    [
      "an unknown alias named with a C1 control",
      () => `${valid()}x-ref: *nope\u009b\n`,
      422,
      ["Unresolved alias", "\\u009b"],
    ],
    [
      "an invalid escape of ESC",
      () => withImage('"a\\\u001b"'),
      400,
      ["YAML syntax", "Invalid escape sequence", "\\u001b"],
    ],
    ["a %YAML version holding a C1 control", () => `%YAML 1.\u009b\n---\n${valid()}`, 400, ["YAML syntax", "\\u009b"]],
  ] as const)("quotes %s escaped", async (_name, body, status, says) => {
    await expectRefused(route, push(body()), status, [...says]);
  });
});

// --- every endpoint: what is checked before and while the body is read ---

type TEndpointRow = { route: TRoute; valid: () => TPush; malformed: string; wrongType: string };

/** A real file, made a push never seen before: a CycloneDX BOM by its serial number, a YAML file by a comment. */
function freshFixture(name: string): string {
  unique += 1;
  if (!name.endsWith(".json")) return `# pushed ${Date.now()}-${unique}\n${fixture(name)}`;
  return JSON.stringify(
    { ...(JSON.parse(fixture(name)) as Record<string, unknown>), serialNumber: `urn:uuid:run-${Date.now()}-${unique}` },
    null,
    2,
  );
}
const ENDPOINT_ROWS: Record<TRoute, TEndpointRow> = {
  junit: {
    route: "junit",
    valid: () => ({ body: junitXml(), query: JUNIT_Q }),
    malformed: "<testsuite><testcase name='a'>",
    wrongType: "application/json",
  },
  k6: {
    route: "k6",
    valid: () => ({ body: k6With(() => {}), query: "test=checkout" }),
    malformed: '{"metrics":',
    wrongType: "application/xml",
  },
  chaos: {
    route: "chaos",
    valid: () => ({ body: json(chaos()) }),
    malformed: "name=api-pod-delete",
    wrongType: "text/plain",
  },
  attestations: {
    route: "attestations",
    valid: () => ({ body: json(attestation()) }),
    malformed: "{check: backup-restore}",
    wrongType: "application/x-www-form-urlencoded",
  },
  coverage: {
    route: "coverage",
    valid: () => ({ body: coberturaXml(), query: "project=checkout" }),
    malformed: "<coverage><packages><package name='x'>",
    wrongType: "application/json",
  },
  sarif: {
    route: "sarif",
    valid: () => ({ body: sarifLog(), query: "project=checkout" }),
    malformed: '{"version":"2.1.0","runs":[',
    wrongType: "text/plain",
  },
  sbom: {
    route: "sbom",
    valid: () => ({ body: freshFixture("sbom-trivy-cyclonedx-1.6-vulns.json"), query: "project=checkout" }),
    malformed: '{"bomFormat":"CycloneDX","components":[',
    wrongType: "application/xml",
  },
  manifests: {
    route: "manifests",
    valid: () => ({ body: freshFixture("k8s-helm-template.yaml"), query: "project=checkout" }),
    malformed: "apiVersion: v1\nkind: [Service\n",
    wrongType: "application/json",
  },
  compose: {
    route: "compose",
    valid: () => ({ body: freshFixture("compose-x0tta6bl4.yml"), query: "project=checkout" }),
    malformed: "services:\n  web: { image: nginx\n",
    wrongType: "text/xml",
  },
};

/** What each endpoint answers for a body that is not what it reads. */
const MALFORMED_SAYS = (route: TRoute) =>
  route === "junit" || route === "coverage"
    ? "malformed XML"
    : YAML_ROUTES.has(route)
      ? "YAML syntax at line"
      : "not valid JSON";

describe.each(
  Object.values(ENDPOINT_ROWS).map((row) => [EVIDENCE_ENDPOINTS[ROUTE_KIND[row.route]].path, row] as const),
)("%s", (_path, row) => {
  const accepts = EVIDENCE_ENDPOINTS[ROUTE_KIND[row.route]].accepts;

  it("stores a valid push", async () => {
    await expectStored(row.route, row.valid());
  });

  it("checks the token before reading one byte of the body", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      { pull: (controller) => void (pulls++, controller.enqueue(new Uint8Array(1024))) },
      { highWaterMark: 0 },
    );
    await expectRefused(row.route, { ...row.valid(), body }, 401, ["missing Authorization header"], null);
    expect(pulls).toBe(0);
  });

  it.each([
    ["a wrong Content-Type", () => row.wrongType, `is not accepted here: send ${accepts.join(" or ")}`],
    ["no Content-Type", () => "", "the request has no Content-Type"],
    ["a charset other than UTF-8", () => `${accepts[0]}; charset=iso-8859-1`, 'charset "iso-8859-1" is not accepted'],
  ])("refuses %s with 415 naming the accepted types", async (_name, type, says) => {
    await expectRefused(row.route, { ...row.valid(), headers: { "content-type": type() } }, 415, [says]);
  });

  it("refuses bytes that are not UTF-8 with 400 and the byte's offset", async () => {
    const valid = row.valid().body as string;
    const bytes = Buffer.concat([Buffer.from(valid.slice(0, 20)), Buffer.from([0xe9]), Buffer.from(valid.slice(20))]);
    await expectRefused(row.route, { ...row.valid(), body: new Uint8Array(bytes) }, 400, [
      "not UTF-8",
      "byte 0xE9 at offset 20",
    ]);
  });

  it("refuses a malformed body with 400", async () => {
    await expectRefused(row.route, { ...row.valid(), body: row.malformed }, 400, [MALFORMED_SAYS(row.route)]);
  });

  it("refuses a chunked body past the limit while reading it (413), never parsing the part read", async () => {
    let pulls = 0;
    const chunk = new Uint8Array(8192).fill(0x20);
    const body = new ReadableStream<Uint8Array>(
      { pull: (controller) => void (++pulls > 10_000 ? controller.close() : controller.enqueue(chunk)) },
      { highWaterMark: 0 },
    );
    await expectRefused(row.route, { ...row.valid(), body }, 413, ["larger than the 64 KiB limit"]);
    expect(pulls).toBeLessThanOrEqual(MAX_UPLOAD_BYTES / chunk.byteLength + 2);
  });

  it("refuses an unknown or repeated query parameter with 422 naming it", async () => {
    const query = row.valid().query;
    await expectRefused(row.route, { ...row.valid(), query: `${query ? `${query}&` : ""}sute=typo` }, 422, [
      'unknown query parameter "sute"',
    ]);
    const first = query?.split("&")[0];
    if (first) await expectRefused(row.route, { ...row.valid(), query: `${query}&${first}` }, 422, ["is given twice"]);
  });
});

// JSON.parse names the character it stopped at, as it is: the refusal quotes it escaped (expectRefused checks).
describe.each(["k6", "chaos", "attestations", "sarif", "sbom"] as const)("a body on /%s that is not JSON", (route) => {
  it.each([
    ["ESC", '{"name":\u001b[31m}'],
    ["BEL", "[1,\u0007]"],
    ["DEL", "\u007f"],
  ])("quotes the %s it stopped at escaped, with 400", async (_name, body) => {
    await expectRefused(route, { ...ENDPOINT_ROWS[route].valid(), body }, 400, ["not valid JSON"]);
  });
});

// --- real files: what the tools write passes the policy whole ---

const REAL_FILES: [TRoute, string, string][] = [
  ...readdirSync(new URL("../lib/evidence/fixtures/", import.meta.url))
    .filter((name) => /^(sbom-.*\.json|k8s-.*\.yaml|compose-.*\.yml)$/.test(name))
    .map((name): [TRoute, string, string] => [
      name.startsWith("sbom-") ? "sbom" : name.startsWith("k8s-") ? "manifests" : "compose",
      `lib/evidence/fixtures/${name}`,
      fixture(name),
    ]),
  [
    "compose",
    "examples/x0tta6bl4/docker-compose.yml",
    readFileSync(new URL("../examples/x0tta6bl4/docker-compose.yml", import.meta.url), "utf8"),
  ],
];

describe("real files", () => {
  it("has real files of every format read from YAML or as an SBOM", () => {
    expect(new Set(REAL_FILES.map(([route]) => route))).toEqual(new Set(["sbom", "manifests", "compose"]));
  });

  it.each(REAL_FILES)("/%s stores %s", async (route, path, text) => {
    // Each under its own project: two files with the same bytes would be one piece of evidence.
    const { row } = await expectStored(route, {
      body: text,
      query: `project=${encodeURIComponent(path)}`,
      headers: text.includes('"spdxVersion"') ? SPDX : {},
    });
    expect(row.project).toBe(path);
  });
});

// --- the guards: a new endpoint, evidence table or column without a row fails here ---

describe("coverage of the rows above", () => {
  it("has a row for every evidence endpoint", () => {
    const routes = readdirSync(new URL("../app/api/v1/evidence/", import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(routes).toEqual(Object.keys(ENDPOINT_ROWS).sort());
    expect(
      Object.values(EVIDENCE_ENDPOINTS)
        .map((e) => e.path)
        .sort(),
    ).toEqual(routes.map((r) => `/api/v1/evidence/${r}`).sort());
  });

  // Columns the sender does not write: what they hold is Preflight's own.
  const SET_BY_PREFLIGHT: Record<string, string> = {
    "testRun.id": "generated",
    "testRun.receivedAt": "the server's clock",
    "testRun.source": "the token's name, checked when the token is created",
    "testRun.tests": "counted by Preflight from the <testcase> elements",
    "testRun.passed": "counted",
    "testRun.failed": "counted",
    "testRun.errors": "counted",
    "testRun.skipped": "counted",
    "testRun.flaky": "counted",
    "testRun.passRatePct": "computed from the counts",
    "loadTestRun.id": "generated",
    "loadTestRun.receivedAt": "the server's clock",
    "loadTestRun.source": "the token's name",
    "loadTestRun.shape": "one of three names Preflight gives the summary's shape",
    "loadTestRun.allThresholdsPassed": "computed from the thresholds' verdicts (booleans, schema-checked)",
    "chaosRun.id": "generated",
    "chaosRun.receivedAt": "the server's clock",
    "chaosRun.source": "the token's name",
    "attestation.id": "generated",
    "attestation.createdAt": "the server's clock",
    "attestation.source": "the token's name",
    "coverageRun.id": "generated",
    "coverageRun.receivedAt": "the server's clock",
    "coverageRun.source": "the token's name",
    "coverageRun.format": "from the Content-Type: cobertura or lcov",
    "coverageRun.digest": "SHA-256 of the bytes received, computed by Preflight",
    "coverageRun.files": "counted by Preflight",
    "coverageRun.lineRatePct": "computed from the counts",
    "coverageRun.branchesValid":
      "counted from condition-coverage and BRDA records (rows above reach them through the same readers)",
    "coverageRun.branchesCovered": "counted",
    "coverageRun.branchRatePct": "computed from the counts",
    "scanRun.id": "generated",
    "scanRun.receivedAt": "the server's clock",
    "scanRun.source": "the token's name",
    "scanRun.digest": "SHA-256 of the bytes received, computed by Preflight",
    "scanRun.errors": "counted by Preflight from the results' effective levels (an enum, schema-checked)",
    "scanRun.warnings": "counted",
    "scanRun.notes": "counted",
    "scanRun.nones": "counted",
    "scanRun.suppressed": "counted from the suppressions' status (an enum, schema-checked)",
    "sbomRun.id": "generated",
    "sbomRun.receivedAt": "the server's clock",
    "sbomRun.source": "the token's name",
    "sbomRun.digest": "SHA-256 of the bytes received, computed by Preflight",
    "sbomRun.format":
      "cyclonedx or spdx: which of bomFormat and spdxVersion the document has (each checked against the values Preflight reads)",
    "sbomRun.components": "counted by Preflight",
    "sbomRun.withoutVersion": "counted",
    "sbomRun.withoutLicence": "counted",
    "sbomRun.scanned": "whether the document has a vulnerabilities array at all, a boolean Preflight computes",
    "sbomRun.critical":
      "counted from the vulnerabilities' severities (an enum, schema-checked, or the band of a CVSS score)",
    "sbomRun.high": "counted",
    "sbomRun.medium": "counted",
    "sbomRun.low": "counted",
    "sbomRun.other": "counted",
    "manifestRun.id": "generated",
    "manifestRun.receivedAt": "the server's clock",
    "manifestRun.source": "the token's name",
    "manifestRun.digest": "SHA-256 of the text received, computed by Preflight",
    "manifestRun.objects": "counted by Preflight",
    "manifestRun.rules": "per built-in rule (names Preflight's own), counted",
    "composeRun.id": "generated",
    "composeRun.receivedAt": "the server's clock",
    "composeRun.source": "the token's name",
    "composeRun.digest": "SHA-256 of the text received, computed by Preflight",
    "composeRun.rules": "per built-in rule (names Preflight's own), counted",
  };

  it("has a row for every column of every table evidence is stored in", () => {
    const ingest = readFileSync(new URL("../lib/services/evidence/ingest.ts", import.meta.url), "utf8");
    const models = [...new Set([...ingest.matchAll(/tx\.(\w+)\.create\(/g)].map((m) => m[1] as string))].sort();
    expect(models).toEqual([
      "attestation",
      "chaosRun",
      "composeRun",
      "coverageRun",
      "loadTestRun",
      "manifestRun",
      "sbomRun",
      "scanRun",
      "testRun",
    ]);
    const schema = readFileSync(new URL("../prisma/schema.prisma", import.meta.url), "utf8");
    const covered = new Set([
      ...TEXT_ROWS.map((r) => r.column),
      ...NUMBER_ROWS.map((r) => r.column),
      ...Object.keys(SET_BY_PREFLIGHT),
    ]);
    const missing: string[] = [];
    for (const model of models) {
      const name = model.charAt(0).toUpperCase() + model.slice(1);
      const block = new RegExp(`^model ${name} \\{([\\s\\S]*?)^\\}`, "m").exec(schema)?.[1];
      expect(block, `model ${name} in schema.prisma`).toBeDefined();
      for (const line of (block ?? "").split("\n")) {
        const field = /^\s+(\w+)\s+\w/.exec(line)?.[1];
        if (field && !line.trim().startsWith("//") && !covered.has(`${model}.${field}`))
          missing.push(`${model}.${field}`);
      }
    }
    expect(
      missing,
      "columns with no row in this test: add one (TEXT_ROWS, NUMBER_ROWS) or say why the sender cannot set it",
    ).toEqual([]);
  });

  it("has a row for every attribute the JUnit reader takes from a report", () => {
    const reader = readFileSync(new URL("../lib/evidence/junit-cases.ts", import.meta.url), "utf8");
    const attributes = [
      ...new Set([...reader.matchAll(/read(?:Text|Attribute)\([^,]+, "(\w+)"/g)].map((m) => m[1] as string)),
    ].sort();
    const parts: Record<string, keyof TJUnitParts> = {
      name: "caseName",
      classname: "classname",
      file: "file",
      message: "message",
      type: "type",
      time: "caseTime",
      line: "line",
    };
    expect(attributes.filter((a) => !(a in parts))).toEqual([]);
  });
});
