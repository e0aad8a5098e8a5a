import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";
import { writeTempConfig } from "../lib/testing/worker-process";
import { createToken } from "../lib/tokens/store";

// POST /api/v1/evidence/coverage through its route handler on a real database: real reports (vitest and coverage.py,
// Cobertura and LCOV) are stored with what their lines say, audited, pushed twice they are one row, and the scorecard's
// coverage check judges the latest one against its minimum. The input policy is walked in input-policy.integration.test.ts.

const CONFIG = `version: 1
system: { name: coverage-api-test }
defaults: { interval: 1h, timeout: 5s }
components:
  - { id: api, name: API, service: Node, probe: { type: tcp, host: 127.0.0.1, port: 9 } }
scorecard:
  categories:
    - id: testing
      name: Testing
      checks:
        - { id: web-coverage, name: Web coverage, kind: coverage, project: web, min: 80 }
        - { id: py-coverage, name: Python coverage, kind: coverage, project: shipping, min: 75, minBranch: 70 }
`;

let database: TestDatabase;
let prisma: PrismaClient;
let POST: (request: Request) => Promise<Response>;
let token = "";
const savedEnv = { ...process.env };
const fixture = (name: string) => readFileSync(new URL(`../lib/evidence/fixtures/${name}`, import.meta.url), "utf8");

beforeAll(async () => {
  database = await createTestDatabase("pf_coverage_api");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: writeTempConfig(CONFIG).path,
    PREFLIGHT_EMBEDDED_WORKER: "false",
    REDIS_URL: "",
  });
  POST = (await import("../app/api/v1/evidence/coverage/route")).POST;
  prisma = getPrisma();
  token = (await createToken(prisma, { name: "ci", scopes: ["evidence:write"], createdBy: "test" })).token;
});

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  await database.drop();
  process.env = savedEnv;
});

const push = (body: string, project: string, type = "application/xml") =>
  POST(
    new Request(`http://preflight.test/api/v1/evidence/coverage?project=${project}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": type },
      body,
    }),
  );

type TAnswer = {
  id: string;
  summary: {
    lines: { valid: number; covered: number };
    lineRatePct: number;
    branchRatePct: number | null;
    format: string;
  };
  readiness: unknown;
  duplicate?: boolean;
};

async function checkVerdict(id: string) {
  const { refreshReadiness } = await import("../lib/services/readiness/refresh");
  const { getConfig } = await import("../lib/config/current");
  const view = await refreshReadiness({ prisma, config: getConfig().config });
  return view.result.checks.find((c) => c.id === id);
}

describe("POST /api/v1/evidence/coverage", () => {
  it("stores vitest's Cobertura (external DOCTYPE and all) with the figures its lines give, audited", async () => {
    const response = await push(fixture("coverage-vitest-cobertura.xml"), "web");
    const body = (await response.json()) as TAnswer;
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.summary).toMatchObject({ format: "cobertura", lines: { valid: 86, covered: 72 } });
    const row = await prisma.coverageRun.findUniqueOrThrow({ where: { id: BigInt(body.id) } });
    expect(row).toMatchObject({
      project: "web",
      format: "cobertura",
      linesValid: 86,
      linesCovered: 72,
      source: "token ci",
      files: 2,
    });
    expect(row.lineRatePct).toBeCloseTo((72 / 86) * 100, 6);
    const audit = await prisma.auditLog.findFirstOrThrow({
      where: { action: "evidence.coverage.create", entityId: body.id },
    });
    expect(audit).toMatchObject({ actorType: "token", entityType: "coverage_run" });
    // 83.7 % of lines against a minimum of 80: passed, and it says what it measured.
    expect(await checkVerdict("web-coverage")).toMatchObject({
      verdict: "passed",
      measured: expect.stringContaining("72 of 86"),
    });
  });

  it("is idempotent: the same report again is the same row (200, duplicate), no second row, the push audited as a repush", async () => {
    const before = {
      rows: await prisma.coverageRun.count(),
      audit: await prisma.auditLog.count({ where: { action: "evidence.coverage.create" } }),
    };
    const response = await push(fixture("coverage-vitest-cobertura.xml"), "web");
    const body = (await response.json()) as TAnswer;
    expect({ status: response.status, duplicate: body.duplicate }).toEqual({ status: 200, duplicate: true });
    expect({
      rows: await prisma.coverageRun.count(),
      audit: await prisma.auditLog.count({ where: { action: "evidence.coverage.create" } }),
    }).toEqual(before);
    expect(await prisma.auditLog.count({ where: { action: "evidence.coverage.repush", entityId: body.id } })).toBe(1);
    // Under another project it is other evidence.
    expect((await push(fixture("coverage-vitest-cobertura.xml"), "web-copy")).status).toBe(201);
  });

  it("stores LCOV sent as text/plain, and two identical pushes at once make one row", async () => {
    const lcov = fixture("coverage-py.lcov");
    const [a, b] = await Promise.all([push(lcov, "shipping", "text/plain"), push(lcov, "shipping", "text/plain")]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(await prisma.coverageRun.count({ where: { project: "shipping" } })).toBe(1);
    // 86.7 % of lines passes 75; branches 66.7 % miss 70: failed, naming branch coverage.
    expect(await checkVerdict("py-coverage")).toMatchObject({
      verdict: "failed",
      reason: expect.stringMatching(/^branch coverage 66\.6\d* % is below 70 %/),
    });
  });

  it("judges the latest report: coverage that fell below the minimum fails the check", async () => {
    const low = `<coverage><packages><package name="web"><classes><class name="a" filename="a.ts"><lines><line number="1" hits="1"/><line number="2" hits="0"/></lines></class></classes></package></packages></coverage>`;
    expect((await push(low, "web")).status).toBe(201);
    expect(await checkVerdict("web-coverage")).toMatchObject({
      verdict: "failed",
      reason: "line coverage 50 % is below 80 %",
    });
  });
});
