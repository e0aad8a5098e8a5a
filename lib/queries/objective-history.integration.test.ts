import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZScorecard } from "../config/scorecard-schema";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { evaluateReadiness } from "../readiness/evaluate";
import { baselineKey, emptyFacts } from "../readiness/facts";
import { recordSnapshot } from "../readiness/snapshot";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { gatherObjectiveHistory, SOAK_VOUCH_MS } from "./objective-history";

// The baselines and soak starts the objectives read from stored snapshots on the real PostgreSQL: the snapshot the
// latest approval stood on, the latest one that cleared the gate, the mean of the last N; a soak carried from the
// latest snapshot only while evaluations have confirmed it recently.

const T0 = new Date("2026-11-20T10:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

const scorecard = ZScorecard.parse({
  gate: { minScorePct: 90 },
  categories: [
    {
      id: "perf",
      name: "Performance",
      checks: [
        {
          id: "p95",
          name: "P95",
          kind: "promql",
          prometheus: "http://prometheus:9090",
          query: "p95",
          condition: "[VALUE] >= 0",
          unit: "ms",
          pass: "<=+10%",
          compareWith: "lastSigned",
        },
        {
          id: "p95-passing",
          name: "P95 against the last passing",
          kind: "promql",
          prometheus: "http://prometheus:9090",
          query: "p95",
          condition: "[VALUE] >= 0",
          pass: "<=+10%",
          compareWith: "lastPassing",
        },
        {
          id: "p95-mean",
          name: "P95 against the mean of 2",
          kind: "promql",
          prometheus: "http://prometheus:9090",
          query: "p95",
          condition: "[VALUE] >= 0",
          pass: "<=+10%",
          compareWith: { last: 2 },
        },
        {
          id: "soak",
          name: "Soak",
          kind: "promql",
          prometheus: "http://prometheus:9090",
          query: "s",
          condition: "[VALUE] >= 0",
          pass: "<= 1",
          holdFor: "21h",
        },
      ],
    },
  ],
});

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

/** Evaluates and stores a snapshot as the worker does, with the history read back from the database. */
async function snapshotWith(p95: number, now: Date) {
  const facts = emptyFacts();
  for (const id of ["p95", "p95-passing", "p95-mean"])
    facts.promql[id] = { value: p95, unit: "ms", at: now, source: "prometheus" };
  facts.promql.soak = { value: 0, at: now, source: "prometheus" };
  facts.history = await gatherObjectiveHistory(prisma, scorecard, now);
  const result = evaluateReadiness(scorecard, facts, now);
  return { result, ...(await recordSnapshot(prisma, result, now)) };
}

describe("objective history from stored snapshots", () => {
  it("takes baselines from the signed, the last passing and the last N snapshots, each named", async () => {
    const first = await snapshotWith(200, at(0));
    // No sign-off yet: lastSigned has nothing to compare with.
    const none = await gatherObjectiveHistory(prisma, scorecard, at(10));
    expect(none.baselines[baselineKey("lastSigned", "perf/p95")]).toBeUndefined();
    await prisma.signOff.create({
      data: {
        release: "v1",
        role: "qa",
        userId: "u1",
        userName: "Alice",
        userEmail: "alice@example.com",
        decision: "approve",
        snapshotId: BigInt(first.snapshot.id),
        snapshotHash: first.snapshot.hash,
        scorePct: first.result.overallPct,
        signedAt: at(60),
      },
    });
    // A later, slower snapshot (a change: the verdicts moved), then the history as the next evaluation sees it.
    await snapshotWith(300, at(3_600));
    const history = await gatherObjectiveHistory(prisma, scorecard, at(3_700));
    expect(history.baselines[baselineKey("lastSigned", "perf/p95")]).toEqual({
      value: 200,
      source: expect.stringMatching(
        new RegExp(`^snapshot #${first.snapshot.id} of .*, signed for v1 \\(qa, Alice\\)$`),
      ),
    });
    // The first snapshot had no baseline (pending), so no snapshot cleared the gate.
    expect(history.baselines[baselineKey("lastPassing", "perf/p95-passing")]).toBeUndefined();
    // Mean of the two latest: (200 + 300) / 2.
    expect(history.baselines[baselineKey("last2", "perf/p95-mean")]).toEqual({
      value: 250,
      source: "the mean of the last 2 snapshots",
    });
  });

  it("carries a soak's start only while the latest snapshot has been confirmed within the vouching window", async () => {
    const start = at(7_200);
    // A snapshot records the soak's start (its verdict moved to pending), then an evaluation confirms it unchanged.
    const soaking = await snapshotWith(300, start);
    expect(soaking.result.checks.find((c) => c.id === "soak")?.heldSince).toBeDefined();
    const since = soaking.result.checks.find((c) => c.id === "soak")?.heldSince;
    // (The mean of the last two moves once more as the older value leaves it; then nothing changes.)
    const carried = await snapshotWith(300, at(7_260));
    expect(carried.result.checks.find((c) => c.id === "soak")?.heldSince).toBe(since);
    const confirmed = await snapshotWith(300, at(7_320));
    expect(confirmed.stored).toBe(false);
    const row = await prisma.readinessSnapshot.findUnique({ where: { id: BigInt(confirmed.snapshot.id) } });
    expect(row?.confirmedAt?.toISOString()).toBe(at(7_320).toISOString());

    const soon = await gatherObjectiveHistory(prisma, scorecard, new Date(at(7_320).getTime() + SOAK_VOUCH_MS));
    expect(soon.heldSince["perf/soak"]).toBe(since);
    // Nobody evaluated for longer than the window: the soak cannot be vouched for and starts over.
    const late = await gatherObjectiveHistory(prisma, scorecard, new Date(at(7_320).getTime() + SOAK_VOUCH_MS + 1));
    expect(late.heldSince["perf/soak"]).toBeUndefined();
  });
});
