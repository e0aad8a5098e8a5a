import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";
import { writeTempConfig } from "../lib/testing/worker-process";
import { createToken } from "../lib/tokens/store";

// GET /api/v1/report.md and /api/v1/report.pdf through the route handlers themselves, on a real database: a token
// with readiness:read gets the file under the system's name; no credentials, an unknown token or one without the
// scope get a status and a message; without Chromium the PDF answer says what to do instead.

const CONFIG = `version: 1
system: { name: "report api/test" }
defaults: { interval: 1h, timeout: 5s }
components:
  - { id: db, name: Database, service: PostgreSQL, probe: { type: postgres, url: "postgresql://app:\${REPORT_TEST_PG_PASSWORD}@127.0.0.1:9/app" } }
scorecard:
  categories:
    - id: quality
      name: Quality
      checks:
        - { id: unit, name: Unit tests, kind: testSuite, suite: unit, minPassRatePct: 95 }
`;

type THandler = (request: Request) => Promise<Response>;

let database: TestDatabase;
let prisma: PrismaClient;
let markdown: THandler;
let pdf: THandler;
const savedEnv = { ...process.env };
const tokens = { reader: "", writer: "" };

beforeAll(async () => {
  database = await createTestDatabase("pf_report_api");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: writeTempConfig(CONFIG).path,
    PREFLIGHT_EMBEDDED_WORKER: "false",
    REDIS_URL: "",
    REPORT_TEST_PG_PASSWORD: "pw-Never-Shown-7",
  });
  markdown = (await import("../app/api/v1/report.md/route")).GET;
  pdf = (await import("../app/api/v1/report.pdf/route")).GET;
  prisma = getPrisma();
  tokens.reader = (await createToken(prisma, { name: "reader", scopes: ["readiness:read"], createdBy: "test" })).token;
  tokens.writer = (await createToken(prisma, { name: "ci", scopes: ["evidence:write"], createdBy: "test" })).token;
}, 60_000);

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  delete (globalThis as { preflightConfig?: unknown }).preflightConfig;
  await database.drop();
  process.env = savedEnv;
});

const get = (handler: THandler, path: string, token: string | null) =>
  handler(
    new Request(`http://preflight.test${path}`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    }),
  );

describe("GET /api/v1/report.md", () => {
  it("answers a readiness:read token with the report as a Markdown attachment", async () => {
    const response = await get(markdown, "/api/v1/report.md", tokens.reader);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const day = new Date().toISOString().slice(0, 10);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="report-api-test-readiness-${day}.md"`,
    );
    const text = await response.text();
    expect(text.split("\n")[0]).toBe(`# report api/test: production readiness report, ${day}`);
    expect(text).toContain("**unverified** (no JUnit run pushed)");
    expect(text).toContain("postgresql://app:\\*\\*\\*\\*@127.0.0.1:9/app");
    expect(text).not.toContain("pw-Never-Shown-7");
  });

  it("refuses a request without credentials, with an unknown token or without the scope", async () => {
    const anonymous = await get(markdown, "/api/v1/report.md", null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: "sign in, or send a bearer token with the readiness:read scope" });
    expect((await get(markdown, "/api/v1/report.md", "pf_not_a_real_token_0000000000000000")).status).toBe(401);
    const writer = await get(markdown, "/api/v1/report.md", tokens.writer);
    expect(writer.status).toBe(403);
    expect(await writer.json()).toEqual({ error: 'token "ci" lacks the readiness:read scope' });
  });
});

describe("GET /api/v1/report.pdf", () => {
  it("answers with an A4 PDF printed by the server's Chromium", async () => {
    const response = await get(pdf, "/api/v1/report.pdf", tokens.reader);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="report-api-test-readiness-\d{4}-\d{2}-\d{2}\.pdf"$/,
    );
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");
  }, 60_000);

  it("says what to do when the server has no Chromium", async () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    try {
      const response = await get(pdf, "/api/v1/report.pdf", tokens.reader);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: string; print: string };
      expect(body.print).toBe("/report");
      expect(body.error).toMatch(
        /^PDF rendering needs Chromium on the server: no executable at \/nonexistent\/chromium\. Set CHROMIUM_PATH/,
      );
      expect(body.error).toContain("prints to PDF from your browser");
    } finally {
      delete process.env.CHROMIUM_PATH;
    }
  });

  it("refuses a request without credentials", async () => {
    expect((await get(pdf, "/api/v1/report.pdf", null)).status).toBe(401);
  });
});
