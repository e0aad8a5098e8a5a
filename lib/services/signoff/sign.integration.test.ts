import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TActor } from "../../auth/actor";
import { createPrismaClient } from "../../db/client";
import type { PrismaClient } from "../../generated/prisma/client";
import { getSignOffView } from "../../queries/signoff";
import { buildTestConfig } from "../../testing/config";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { signOff } from "./sign";

// Signing against a real database: only a holder of the role, only against the current snapshot, one role per
// person per release, audited; and the grid's staleness read back from the snapshots stored after it.

const config = buildTestConfig({
  system: { name: "x", release: { name: "Phase 4 go-live", targetDate: "2026-01-21" } },
  components: [{ id: "api", name: "API", service: "FastAPI", probe: { type: "tcp", host: "127.0.0.1", port: 1 } }],
  scorecard: {
    gate: { minScorePct: 90 },
    categories: [{ id: "c", name: "C", checks: [{ id: "a", name: "A", kind: "attestation", question: "Q?" }] }],
  },
  signoff: {
    roles: [
      { id: "security-officer", name: "Security Officer" },
      { id: "technical-lead", name: "Technical Lead" },
    ],
    separationOfDuties: true,
    expiresAfterDays: 30,
  },
});

let database: TestDatabase;
let prisma: PrismaClient;
const T0 = new Date("2026-01-14T10:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

const actor = (patch: Partial<TActor>): TActor => ({
  id: "u-sam",
  name: "Sam",
  email: "sam@x",
  role: "approver",
  signOffRoles: ["security-officer"],
  ...patch,
});
const SAM = actor({});
const BOTH = actor({ id: "u-both", name: "Bo", email: "bo@x", signOffRoles: ["security-officer", "technical-lead"] });

let snapshotSeq = 0;
async function snapshot(
  takenAt: Date,
  overallPct: number | null,
  criticalFailed = 0,
  blockers = criticalFailed,
): Promise<string> {
  snapshotSeq += 1;
  const hash = snapshotSeq.toString(16).padStart(64, "0");
  await prisma.readinessSnapshot.create({
    data: { takenAt, overallPct, blockers, criticalFailed, reason: "change", fingerprint: hash, hash, result: {} },
  });
  return hash;
}

const counts = async () => ({ signoffs: await prisma.signOff.count(), audit: await prisma.auditLog.count() });

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, 2);
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});
beforeEach(async () => {
  await prisma.signOff.deleteMany();
  await prisma.readinessSnapshot.deleteMany();
});

describe("signOff", () => {
  it("binds the decision to the current snapshot and writes one audit entry with it", async () => {
    const hash = await snapshot(at(0), 92);
    const before = await counts();
    const result = await signOff(
      { prisma, config },
      SAM,
      { role: "security-officer", decision: "approve", snapshotHash: hash },
      at(10),
    );
    expect(result).toMatchObject({ ok: true, snapshotHash: hash });
    const row = await prisma.signOff.findFirstOrThrow();
    expect(row).toMatchObject({
      release: "Phase 4 go-live",
      role: "security-officer",
      userName: "Sam",
      decision: "approve",
      snapshotHash: hash,
      scorePct: 92,
    });
    expect(await counts()).toEqual({ signoffs: before.signoffs + 1, audit: before.audit + 1 });
    expect(await prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } })).toMatchObject({
      action: "signoff.sign",
      entityId: String(row.id),
      actorName: "Sam <sam@x>",
    });
  });

  it.each([
    ["anonymous", null, "security-officer", 401],
    ["a viewer", actor({ role: "viewer", signOffRoles: [] }), "security-officer", 403],
    ["an admin", actor({ role: "admin", signOffRoles: [] }), "security-officer", 403],
    ["an editor", actor({ role: "editor", signOffRoles: [] }), "security-officer", 403],
    ["an approver of another role", actor({ signOffRoles: ["technical-lead"] }), "security-officer", 403],
  ] as const)("refuses %s, storing nothing", async (_who, who, role, status) => {
    const hash = await snapshot(at(0), 92);
    const before = await counts();
    expect(
      await signOff({ prisma, config }, who, { role, decision: "approve", snapshotHash: hash }, at(10)),
    ).toMatchObject({ ok: false, status });
    expect(await counts()).toEqual(before);
  });

  it("refuses a snapshot that is no longer the latest: readiness changed while the approver read", async () => {
    const seen = await snapshot(at(0), 92);
    await snapshot(at(5), 85);
    const before = await counts();
    expect(
      await signOff(
        { prisma, config },
        SAM,
        { role: "security-officer", decision: "approve", snapshotHash: seen },
        at(10),
      ),
    ).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringMatching(/^readiness changed while you were reading/),
    });
    expect(await counts()).toEqual(before);
  });

  it("needs a comment to reject, and names the field", async () => {
    const hash = await snapshot(at(0), 92);
    expect(
      await signOff(
        { prisma, config },
        SAM,
        { role: "security-officer", decision: "reject", comment: "  ", snapshotHash: hash },
        at(10),
      ),
    ).toMatchObject({ ok: false, status: 422, fieldErrors: { comment: ["a rejection needs a comment saying why"] } });
  });

  it("refuses a comment with a control character in it, naming the field, and stores nothing", async () => {
    const hash = await snapshot(at(0), 92);
    const before = await counts();
    const result = await signOff(
      { prisma, config },
      SAM,
      { role: "security-officer", decision: "reject", comment: "fails\u0000 here", snapshotHash: hash },
      at(10),
    );
    expect(result).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { comment: [expect.stringContaining("control character U+0000 (NUL)")] },
    });
    expect(await counts()).toEqual(before);
  });

  it("separation of duties: one person, one role per release; signing their own role again is fine", async () => {
    const hash = await snapshot(at(0), 92);
    expect(
      (
        await signOff(
          { prisma, config },
          BOTH,
          { role: "security-officer", decision: "ready", snapshotHash: hash },
          at(10),
        )
      ).ok,
    ).toBe(true);
    const before = await counts();
    expect(
      await signOff(
        { prisma, config },
        BOTH,
        { role: "technical-lead", decision: "approve", snapshotHash: hash },
        at(20),
      ),
    ).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringMatching(/^separation of duties: you already signed as Security Officer/),
    });
    expect(await counts()).toEqual(before);
    expect(
      (
        await signOff(
          { prisma, config },
          BOTH,
          { role: "security-officer", decision: "approve", snapshotHash: hash },
          at(30),
        )
      ).ok,
    ).toBe(true);
    const relaxed = { ...config, signoff: { ...config.signoff!, separationOfDuties: false } };
    expect(
      (
        await signOff(
          { prisma, config: relaxed },
          BOTH,
          { role: "technical-lead", decision: "approve", snapshotHash: hash },
          at(40),
        )
      ).ok,
    ).toBe(true);
  });
});

describe("approving below the gate or with critical blockers needs an explicit confirmation", () => {
  const approve = (hash: string, extra: Record<string, unknown> = {}) =>
    signOff(
      { prisma, config },
      SAM,
      { role: "security-officer", decision: "approve", snapshotHash: hash, ...extra },
      at(10),
    );

  it.each([
    ["without the field", {}],
    ['with confirmedBelowGate "0"', { confirmedBelowGate: "0" }],
    ["with it empty", { confirmedBelowGate: "" }],
    ["with it false", { confirmedBelowGate: false }],
  ])(
    "refuses a forged approval at 59.5 percent with 6 critical blockers %s, saying why, storing nothing",
    async (_how, extra) => {
      const hash = await snapshot(at(0), 59.5, 6);
      const before = await counts();
      const result = await approve(hash, extra);
      expect(result).toMatchObject({
        ok: false,
        status: 422,
        message:
          "approving needs an explicit confirmation: the score is 59.5 % against a gate of 90 % and 6 critical blockers remain; confirm that you approve anyway (confirmedBelowGate=1)",
        fieldErrors: { confirmedBelowGate: [expect.stringContaining("explicit confirmation")] },
      });
      expect(await counts()).toEqual(before);
    },
  );

  it("asks for it on a closed gate alone, and on critical blockers alone (a pending critical check above the gate)", async () => {
    const low = await snapshot(at(0), 85);
    expect(await approve(low)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/: the score is 85\.0 % against a gate of 90 %; confirm/),
    });
    const blocked = await snapshot(at(1), 95, 0, 1);
    expect(await approve(blocked)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/: 1 critical blocker remains; confirm/),
    });
    const unscored = await snapshot(at(2), null);
    expect(await approve(unscored)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/: nothing is scored yet against a gate of 90 %; confirm/),
    });
  });

  it("with confirmedBelowGate=1 it is stored, and the audit entry records the confirmation", async () => {
    const hash = await snapshot(at(0), 59.5, 6);
    expect(await approve(hash, { confirmedBelowGate: "1" })).toMatchObject({ ok: true, snapshotHash: hash });
    expect(await prisma.signOff.findFirstOrThrow()).toMatchObject({ decision: "approve", scorePct: 59.5 });
    const entry = await prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(entry.after).toMatchObject({ decision: "approve", confirmedBelowGate: true });
  });

  it("ready and reject need no confirmation; an open gate without blockers needs none either", async () => {
    const low = await snapshot(at(0), 59.5, 6);
    expect(
      (
        await signOff(
          { prisma, config },
          SAM,
          { role: "security-officer", decision: "ready", snapshotHash: low },
          at(10),
        )
      ).ok,
    ).toBe(true);
    expect(
      (
        await signOff(
          { prisma, config },
          SAM,
          { role: "security-officer", decision: "reject", comment: "six blockers", snapshotHash: low },
          at(20),
        )
      ).ok,
    ).toBe(true);
    const open = await snapshot(at(30), 90);
    expect(
      (
        await signOff(
          { prisma, config },
          SAM,
          { role: "security-officer", decision: "approve", snapshotHash: open },
          at(40),
        )
      ).ok,
    ).toBe(true);
    const entry = await prisma.auditLog.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(entry.after).not.toHaveProperty("confirmedBelowGate");
  });

  it("refuses a confirmation field that is not 1, 0, empty or a boolean", async () => {
    const hash = await snapshot(at(0), 59.5, 6);
    expect(await approve(hash, { confirmedBelowGate: "yes" })).toMatchObject({
      ok: false,
      status: 422,
      fieldErrors: { confirmedBelowGate: [expect.any(String)] },
    });
  });
});

describe("the grid", () => {
  it("shows a sign-off stale once a later snapshot regresses, and go-live lists what is missing", async () => {
    const hash = await snapshot(at(0), 92);
    await signOff(
      { prisma, config },
      SAM,
      { role: "security-officer", decision: "approve", snapshotHash: hash },
      at(10),
    );
    await signOff(
      { prisma, config },
      actor({ id: "u-tia", name: "Tia", email: "tia@x", signOffRoles: ["technical-lead"] }),
      { role: "technical-lead", decision: "approve", snapshotHash: hash },
      at(20),
    );
    let view = await getSignOffView({ prisma, config }, { criteria: [] }, at(30));
    expect(view.roles.map((r) => [r.role, r.state])).toEqual([
      ["security-officer", "approved"],
      ["technical-lead", "approved"],
    ]);
    expect(view.goLive).toEqual({ approved: true, missing: [] });

    await snapshot(at(40), 93); // better: nothing happens
    expect((await getSignOffView({ prisma, config }, { criteria: [] }, at(50))).goLive.approved).toBe(true);
    await snapshot(at(60), 80, 1); // a failing critical check drops the score below the gate
    view = await getSignOffView({ prisma, config }, { criteria: [] }, at(70));
    expect(view.roles.map((r) => r.state)).toEqual(["stale", "stale"]);
    expect(view.goLive.approved).toBe(false);
    expect(view.goLive.missing[0]).toMatch(
      /^Security Officer: sign-off stale \(Sam\): readiness regressed after signing: a critical check failed/,
    );

    // Signing again against the new snapshot counts again.
    const current = (await prisma.readinessSnapshot.findFirstOrThrow({ orderBy: { takenAt: "desc" } })).hash;
    await signOff(
      { prisma, config },
      SAM,
      {
        role: "security-officer",
        decision: "approve",
        comment: "accepted with the known failure",
        snapshotHash: current,
        confirmedBelowGate: "1",
      },
      at(80),
    );
    view = await getSignOffView({ prisma, config }, { criteria: [] }, at(90));
    expect(view.roles.map((r) => r.state)).toEqual(["approved", "stale"]);
  });

  it("expires sign-offs after the configured days and keeps earlier releases readable", async () => {
    const hash = await snapshot(at(0), 95);
    await signOff(
      { prisma, config },
      SAM,
      { role: "security-officer", decision: "approve", snapshotHash: hash },
      at(10),
    );
    const later = new Date(at(10).getTime() + 30 * 86_400_000);
    expect((await getSignOffView({ prisma, config }, { criteria: [] }, later)).roles[0]?.state).toBe("expired");
    const next = { ...config, system: { ...config.system, release: { name: "Phase 5", targetDate: "2026-03-01" } } };
    const view = await getSignOffView({ prisma, config: next }, { criteria: [] }, at(20));
    expect(view.roles.every((r) => r.state === "pending")).toBe(true);
    expect(view.previousRounds).toMatchObject([
      { release: "Phase 4 go-live", signOffs: [{ role: "security-officer", userName: "Sam" }] },
    ]);
  });
});
