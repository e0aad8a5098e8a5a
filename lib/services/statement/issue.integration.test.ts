import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TActor } from "../../auth/actor";
import { createPrismaClient } from "../../db/client";
import type { PrismaClient } from "../../generated/prisma/client";
import { getSignOffView } from "../../queries/signoff";
import { evaluateLive } from "../../queries/readiness";
import { judgeDeployment } from "../../statement/deployment";
import { verifyEnvelope } from "../../statement/envelope";
import { buildTestConfig } from "../../testing/config";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { refreshReadiness } from "../readiness/refresh";
import { signOff } from "../signoff/sign";
import { issueStatement, signingKey } from "./issue";

// Issuing a readiness statement on the real PostgreSQL: nothing while go-live is not approved or no artefact is
// named; once both, one signed statement that verifies offline for the named digest and not for another, audited;
// not issued again for the same sign-offs; and void at the gate once the release's sign-off goes stale.

process.env.PREFLIGHT_DATA_DIR = mkdtempSync(join(tmpdir(), "pf-statement-"));
delete process.env.PREFLIGHT_STATEMENT_KEY;

const config = buildTestConfig({
  system: { name: "x0", release: { name: "v1.0", targetDate: "2026-12-21" } },
  components: [{ id: "api", name: "API", service: "FastAPI", probe: { type: "tcp", host: "127.0.0.1", port: 1 } }],
  scorecard: {
    gate: { minScorePct: 90 },
    categories: [
      { id: "c", name: "C", checks: [{ id: "runbooks", name: "Runbooks", kind: "attestation", question: "Q?" }] },
    ],
  },
  signoff: { roles: [{ id: "technical-lead", name: "Technical Lead" }] },
});

const TIA: TActor = {
  id: "u-tia",
  name: "Tia",
  email: "tia@x",
  role: "approver",
  signOffRoles: ["technical-lead"],
};
const DIGEST = `sha256:${"ab".repeat(32)}`;
const OTHER = `sha256:${"cd".repeat(32)}`;
const CI = { type: "token" as const, id: "t1", name: "ci" };

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 2);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

async function attest(answer: "yes" | "no", at: Date) {
  await prisma.attestation.create({
    data: {
      checkId: "runbooks",
      answer,
      evidenceUrl: "https://wiki/runbooks",
      attestedBy: "ed",
      expiresAt: new Date(at.getTime() + 86_400_000),
      createdAt: at,
      source: "form",
    },
  });
}

describe("issueStatement", () => {
  it("issues once go-live is approved and an artefact is named; verifies for that digest only; void when stale", async () => {
    const deps = { prisma, config };
    const t0 = new Date();
    await attest("yes", t0);
    const { snapshot } = await refreshReadiness(deps, t0);
    expect(await issueStatement(deps, CI, t0)).toMatchObject({
      issued: false,
      reason: expect.stringMatching(/^go-live is not approved: /),
    });

    const signed = await signOff(deps, TIA, {
      role: "technical-lead",
      decision: "approve",
      snapshotHash: snapshot?.hash ?? "",
    });
    expect(signed.ok).toBe(true);
    expect(await issueStatement(deps, CI)).toEqual({
      issued: false,
      reason: "go-live is approved, but CI has named no artefact for the release",
      current: null,
    });

    await prisma.releaseArtefact.create({
      data: { release: "v1.0", name: "api image", digest: DIGEST, namedAt: new Date(), source: "token ci" },
    });
    const audit = await prisma.auditLog.count();
    const issued = await issueStatement(deps, CI);
    if (!issued.issued) throw new Error(`not issued: ${issued.reason}`);
    expect(await prisma.auditLog.count()).toBe(audit + 1);
    expect(await prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } })).toMatchObject({
      action: "statement.issue",
      entityId: issued.id,
    });

    const key = signingKey();
    const verified = verifyEnvelope(issued.envelope, key.publicKeyPem, { digest: DIGEST });
    if (!verified.ok) throw new Error(verified.reason);
    expect(verified.statement.predicate).toMatchObject({
      release: { name: "v1.0" },
      snapshot: { hash: snapshot?.hash },
      signOffs: [expect.objectContaining({ role: "technical-lead", decision: "approve" })],
    });
    expect(verifyEnvelope(issued.envelope, key.publicKeyPem, { digest: OTHER })).toMatchObject({
      ok: false,
      code: "digest",
    });
    // The same sign-offs and artefacts: no second statement.
    expect(await issueStatement(deps, CI)).toMatchObject({ issued: false, current: { id: issued.id } });

    // The gate's question for this digest: valid now; void once the evidence regresses and the sign-off goes stale.
    const judge = async (at: Date) => {
      const { result } = await evaluateLive(deps, at);
      const view = await getSignOffView(deps, result, at);
      const rows = await prisma.readinessStatement.findMany({ orderBy: { issuedAt: "desc" } });
      return judgeDeployment({
        digest: DIGEST,
        envelopes: rows.map((r) => r.envelope),
        publicKey: key.publicKey,
        signOffs: view,
      });
    };
    expect(await judge(new Date())).toMatchObject({ passed: true });
    const later = new Date(Date.now() + 60_000);
    await attest("no", later);
    await refreshReadiness(deps, later);
    expect(await judge(new Date(later.getTime() + 1_000))).toMatchObject({
      passed: false,
      code: "void",
      reason: expect.stringContaining("stale"),
    });
  });
});
