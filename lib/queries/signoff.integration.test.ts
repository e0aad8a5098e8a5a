import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TActor } from "../auth/actor";
import { createPrismaClient } from "../db/client";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import { signOff } from "../services/signoff/sign";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { getRequestedSignOffs, getSignOffView } from "./signoff";

// Staleness read from the snapshots stored after a sign-off, against a real database: the grace for a short dip
// that recovered, at once for a critical failure or an ongoing regression, what regressed (from the stored
// results), and whose sign-off is requested.

const base = {
  system: { name: "x", release: { name: "Phase 4 go-live", targetDate: "2026-01-21" } },
  components: [{ id: "api", name: "API", service: "FastAPI", probe: { type: "tcp", host: "127.0.0.1", port: 1 } }],
  scorecard: {
    gate: { minScorePct: 90 },
    categories: [{ id: "c", name: "C", checks: [{ id: "a", name: "A", kind: "attestation", question: "Q?" }] }],
  },
};
const roles = [
  { id: "security-officer", name: "Security Officer" },
  { id: "technical-lead", name: "Technical Lead" },
  { id: "product-owner", name: "Product Owner", required: false },
];
const config = buildTestConfig({ ...base, signoff: { roles } });
const noGrace = buildTestConfig({ ...base, signoff: { roles, regressionGraceMinutes: 0 } });

let database: TestDatabase;
let prisma: PrismaClient;
const T0 = new Date("2026-01-14T10:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const MIN = 60;

const actor = (patch: Partial<TActor>): TActor => ({
  id: "u-sam",
  name: "Sam",
  email: "sam@x",
  role: "approver",
  signOffRoles: ["security-officer"],
  ...patch,
});
const SAM = actor({});
const TIA = actor({ id: "u-tia", name: "Tia", email: "tia@x", signOffRoles: ["technical-lead"] });

/** A stored result as lib/readiness/evaluate.ts writes it, reduced to what staleness reads. */
const check = (id: string, name: string, verdict: string, measured: string | null, critical = false) => ({
  id,
  name,
  kind: "promql",
  category: "performance",
  critical,
  weight: 1,
  verdict,
  measured,
  threshold: "x",
  source: null,
  observedAt: null,
  reason: null,
});
const GOOD = {
  overallPct: 92,
  categories: [],
  checks: [check("p95", "API p95 latency", "passed", "180 ms"), check("uptime", "API uptime", "passed", "99.95 %")],
  criteria: [{ ...check("stable", "Services stable", "passed", "up for 22h"), category: null }],
  blockers: [],
  gaps: [],
  evaluatedAt: "x",
};
const SLOW = {
  ...GOOD,
  overallPct: 80,
  checks: [check("p95", "API p95 latency", "failed", "420 ms"), check("uptime", "API uptime", "passed", "99.94 %")],
};

let seq = 0;
async function snapshot(
  takenAt: Date,
  overallPct: number,
  options: { criticalFailed?: number; result?: unknown } = {},
): Promise<string> {
  seq += 1;
  const hash = seq.toString(16).padStart(64, "0");
  const criticalFailed = options.criticalFailed ?? 0;
  const result = (options.result ?? (overallPct >= 90 ? GOOD : SLOW)) as Prisma.InputJsonValue;
  await prisma.readinessSnapshot.create({
    data: {
      takenAt,
      overallPct,
      blockers: criticalFailed,
      criticalFailed,
      reason: "change",
      fingerprint: hash,
      hash,
      result,
    },
  });
  return hash;
}

/** Sam's row of the grid at `now` (Sam approved at 92 % at 10 s, in beforeEach). */
async function samRow(cfg = config, now = at(3 * 3600)) {
  return (await getSignOffView({ prisma, config: cfg }, { criteria: [] }, now)).roles.find(
    (r) => r.role === "security-officer",
  );
}

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
  const hash = await snapshot(at(0), 92);
  expect(
    (
      await signOff(
        { prisma, config },
        SAM,
        { role: "security-officer", decision: "approve", snapshotHash: hash },
        at(10),
      )
    ).ok,
  ).toBe(true);
});

describe("staleness with a grace for a short regression", () => {
  it("a 10 s blip that recovered leaves the sign-off standing", async () => {
    await snapshot(at(100), 80);
    await snapshot(at(110), 93);
    expect(await samRow()).toMatchObject({ state: "approved", reason: null, regressed: [], regressedNote: null });
  });

  it("two short blips leave it standing too", async () => {
    await snapshot(at(100), 80);
    await snapshot(at(110), 93);
    await snapshot(at(2000), 79);
    await snapshot(at(2030), 93);
    expect((await samRow())?.state).toBe("approved");
  });

  it("an 11 min regression that recovered makes it stale, and says what regressed: before and after", async () => {
    await snapshot(at(100), 80);
    await snapshot(at(100 + 11 * MIN), 93);
    const row = await samRow();
    expect(row?.state).toBe("stale");
    expect(row?.reason).toBe(
      "readiness regressed after signing: the score fell to 80.0 % (92.0 % when signed) at 2026-01-14T10:01:40.000Z for 11m 0s before it recovered, not within the 10m 0s grace",
    );
    expect(row?.regressed).toEqual([
      {
        id: "p95",
        name: "API p95 latency",
        category: "performance",
        before: "passed",
        after: "failed",
        beforeMeasured: "180 ms",
        afterMeasured: "420 ms",
      },
    ]);
    expect(row?.regressedNote).toBeNull();
  });

  it("an ongoing regression makes it stale at once, saying it has not recovered", async () => {
    await snapshot(at(100), 80);
    const row = await samRow(config, at(130));
    expect(row).toMatchObject({
      state: "stale",
      reason: expect.stringMatching(/the score fell to 80\.0 % .* and has not recovered$/),
    });
    expect(row?.regressed.map((c) => [c.id, c.before, c.after])).toEqual([["p95", "passed", "failed"]]);
  });

  it("a critical check failing for 5 s makes it stale, whatever the grace", async () => {
    const critical = { ...GOOD, checks: [GOOD.checks[0], check("uptime", "API uptime", "failed", "97.1 %", true)] };
    await snapshot(at(100), 95, { criticalFailed: 1, result: critical });
    await snapshot(at(105), 93);
    const row = await samRow();
    expect(row?.state).toBe("stale");
    expect(row?.reason).toMatch(
      /^readiness regressed after signing: a critical check failed \(1 failing, 0 when signed\) at 2026-01-14T10:01:40\.000Z; it recovered at 2026-01-14T10:01:45\.000Z/,
    );
    expect(row?.regressed).toEqual([
      {
        id: "uptime",
        name: "API uptime",
        category: "performance",
        before: "passed",
        after: "failed",
        beforeMeasured: "99.95 %",
        afterMeasured: "97.1 %",
      },
    ]);
  });

  it("with regressionGraceMinutes: 0, a 10 s blip counts", async () => {
    await snapshot(at(100), 80);
    await snapshot(at(110), 93);
    expect((await samRow(noGrace))?.state).toBe("stale");
    expect((await samRow(config))?.state).toBe("approved");
  });

  it("an unreadable stored result gives no list and says the detail is unavailable, never a crash", async () => {
    await snapshot(at(100), 80, { result: { checks: "garbage" } });
    const row = await samRow();
    expect(row).toMatchObject({
      state: "stale",
      regressed: [],
      regressedNote: expect.stringMatching(/^what regressed is not available/),
    });
  });

  it("snapshots before the sign-off do not count against it", async () => {
    await prisma.signOff.deleteMany();
    await snapshot(at(20), 80);
    const hash = await snapshot(at(30), 92);
    expect(
      (
        await signOff(
          { prisma, config },
          SAM,
          { role: "security-officer", decision: "approve", snapshotHash: hash },
          at(40),
        )
      ).ok,
    ).toBe(true);
    expect((await samRow())?.state).toBe("approved");
  });
});

describe("getRequestedSignOffs", () => {
  const ask = (who: Pick<TActor, "id" | "signOffRoles">, cfg = config, now = at(3600)) =>
    getRequestedSignOffs({ prisma, config: cfg }, who, { criteria: [] }, now);

  it("the roles a person holds that are pending, stale or expired; not one that stands", async () => {
    expect(await ask(SAM)).toEqual([]);
    expect(await ask(TIA)).toEqual([{ role: "technical-lead", name: "Technical Lead", state: "pending" }]);
    expect(await ask({ id: "u-x", signOffRoles: ["product-owner"] })).toEqual([
      { role: "product-owner", name: "Product Owner", state: "pending" },
    ]);
    expect(await ask({ id: "u-viewer", signOffRoles: [] })).toEqual([]);
    // Another holder of Sam's role: it stands, so nothing is asked of them either.
    expect(await ask({ id: "u-sam2", signOffRoles: ["security-officer"] })).toEqual([]);
  });

  it("asks again once the sign-off is stale or expired", async () => {
    await snapshot(at(100), 80);
    expect(await ask(SAM)).toEqual([{ role: "security-officer", name: "Security Officer", state: "stale" }]);
    await snapshot(at(110), 93);
    expect(await ask(SAM)).toEqual([]);
    expect(await ask(SAM, config, new Date(at(10).getTime() + 30 * 86_400_000))).toEqual([
      { role: "security-officer", name: "Security Officer", state: "expired" },
    ]);
  });

  it("separation of duties: having signed one role, no other is requested of them", async () => {
    const both = { id: "u-sam", signOffRoles: ["security-officer", "technical-lead"] };
    expect(await ask(both)).toEqual([]);
    const relaxed = buildTestConfig({ ...base, signoff: { roles, separationOfDuties: false } });
    expect(await ask(both, relaxed)).toEqual([{ role: "technical-lead", name: "Technical Lead", state: "pending" }]);
    // Someone who holds both and signed neither is asked for the one that does not stand yet.
    expect(await ask({ id: "u-bo", signOffRoles: ["security-officer", "technical-lead"] })).toEqual([
      { role: "technical-lead", name: "Technical Lead", state: "pending" },
    ]);
  });

  it("nothing without a release", async () => {
    const noRelease = buildTestConfig({ ...base, system: { name: "x" }, signoff: { roles } });
    expect(await ask(TIA, noRelease)).toEqual([]);
  });
});
