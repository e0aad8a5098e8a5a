import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";
import { writeTempConfig } from "../lib/testing/worker-process";
import { createToken } from "../lib/tokens/store";

// POST /api/v1/evidence/sarif through its route handler on a real database: ESLint's real SARIF is stored with its
// unsuppressed results by level, audited, pushed twice it is one row, and the scorecard's scan check fails on a result
// at or above its level and names it. The input policy is walked in input-policy.integration.test.ts.

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
        - { id: lint, name: No lint errors, kind: scan, project: web }
        - { id: lint-warnings, name: Few lint warnings, kind: scan, project: web, failOn: note, maxWarnings: 5 }
`;

let database: TestDatabase;
let prisma: PrismaClient;
let POST: (request: Request) => Promise<Response>;
let token = "";
const savedEnv = { ...process.env };
const fixture = (name: string) => readFileSync(new URL(`../lib/evidence/fixtures/${name}`, import.meta.url), "utf8");

beforeAll(async () => {
  database = await createTestDatabase("pf_scan_api");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: writeTempConfig(CONFIG).path,
    PREFLIGHT_EMBEDDED_WORKER: "false",
    REDIS_URL: "",
  });
  POST = (await import("../app/api/v1/evidence/sarif/route")).POST;
  prisma = getPrisma();
  token = (await createToken(prisma, { name: "ci", scopes: ["evidence:write"], createdBy: "test" })).token;
});

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  await database.drop();
  process.env = savedEnv;
});

const push = (body: string, project: string, type = "application/sarif+json") =>
  POST(
    new Request(`http://preflight.test/api/v1/evidence/sarif?project=${project}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": type },
      body,
    }),
  );

type TAnswer = {
  id: string;
  summary: { counts: Record<string, number>; suppressed: number; tools: string[] };
  duplicate?: boolean;
};

async function checkVerdict(id: string) {
  const { refreshReadiness } = await import("../lib/services/readiness/refresh");
  const { getConfig } = await import("../lib/config/current");
  const view = await refreshReadiness({ prisma, config: getConfig().config });
  return view.result.checks.find((c) => c.id === id);
}

describe("POST /api/v1/evidence/sarif", () => {
  const eslint = fixture("sarif-eslint.sarif");

  it("stores ESLint's SARIF: two errors and a warning counted, the suppressed one kept apart, audited", async () => {
    const response = await push(eslint, "web");
    const body = (await response.json()) as TAnswer;
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.summary).toMatchObject({
      tools: ["ESLint"],
      counts: { error: 2, warning: 1, note: 0, none: 0 },
      suppressed: 1,
    });
    const row = await prisma.scanRun.findUniqueOrThrow({ where: { id: BigInt(body.id) } });
    expect(row).toMatchObject({ project: "web", errors: 2, warnings: 1, suppressed: 1, source: "token ci" });
    expect(await prisma.auditLog.count({ where: { action: "evidence.scan.create", entityId: body.id } })).toBe(1);
    expect(await checkVerdict("lint")).toMatchObject({
      verdict: "failed",
      reason: expect.stringMatching(
        /^2 results at or above error: @typescript-eslint\/no-explicit-any at file:.*:1; no-var at file:.*:3$/,
      ),
    });
  });

  it("is idempotent: the same log again is the same row (200, duplicate), no second row, the push audited as a repush", async () => {
    const before = await prisma.scanRun.count();
    const response = await push(eslint, "web", "application/json");
    expect({ status: response.status, duplicate: ((await response.json()) as TAnswer).duplicate }).toEqual({
      status: 200,
      duplicate: true,
    });
    expect(await prisma.scanRun.count()).toBe(before);
    expect(await prisma.auditLog.count({ where: { action: "evidence.scan.create" } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: "evidence.scan.repush" } })).toBe(1);
  });

  it("passes once the errors are fixed, and counts warnings against maxWarnings", async () => {
    const clean = {
      version: "2.1.0",
      runs: [
        {
          tool: { driver: { name: "ESLint" } },
          results: [{ ruleId: "no-console", level: "warning", message: { text: "Unexpected console statement." } }],
        },
      ],
    };
    expect((await push(JSON.stringify(clean), "web")).status).toBe(201);
    expect(await checkVerdict("lint")).toMatchObject({ verdict: "passed", measured: "0 errors, 1 warning, 0 notes" });
    expect(await checkVerdict("lint-warnings")).toMatchObject({
      verdict: "failed",
      reason: expect.stringContaining("1 result at or above note: no-console"),
    });
  });
});
