import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZScorecard } from "../config/scorecard-schema";
import { createPrismaClient } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { ensurePartitions } from "../history/partitions";
import { runRollups } from "../history/rollup";
import { writeBatch } from "../history/write-batch";
import { evaluateReadiness } from "../readiness/evaluate";
import { emptyFacts } from "../readiness/facts";
import { buildTestConfig } from "../testing/config";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { toWriteItem, type WriteItem } from "../worker/state-tracker";
import { gatherRegressions } from "./regression-facts";

// A release signed, then a slower build: the regression check compares the component's probe latency over the last
// hour with the hour before the signing, from the stored rollups, and fails with its figures; the same build again
// passes; before any signing it is pending, never passed.

const HOUR = 3_600_000;
const T0 = new Date("2026-05-04T08:00:00Z").getTime();
const SIGNED = new Date(T0 + 2 * HOUR);
const config = buildTestConfig({
  components: [
    {
      id: "api",
      name: "API",
      service: "S",
      probe: { type: "tcp", host: "127.0.0.1", port: 1 },
      interval: "10s",
      timeout: "5s",
    },
  ],
});
const scorecard = ZScorecard.parse({
  categories: [
    {
      id: "perf",
      name: "Performance",
      checks: [
        {
          id: "api-regression",
          name: "API not slower than signed",
          kind: "regression",
          component: "api",
          window: "1h",
        },
      ],
    },
  ],
});
const check = scorecard.categories[0]?.checks[0];

let database: TestDatabase;
let prisma: PrismaClient;

/** Deterministic spread around a median: 40-60 ms times `factor`. */
const latency = (i: number, factor: number) => (40 + ((Math.imul(i + 1, 2_654_435_761) >>> 0) % 2_001) / 100) * factor;

async function write(from: number, to: number, factor: number) {
  const component = config.components[0];
  if (!component) throw new Error("no component");
  const items: WriteItem[] = [];
  for (let t = from, i = 0; t < to; t += 10_000, i++)
    items.push(
      toWriteItem(
        component,
        { ok: true, latencyMs: latency(i, factor), detail: null, error: null },
        new Date(t),
        false,
      ),
    );
  for (let k = 0; k < items.length; k += 500)
    await writeBatch(prisma, items.slice(k, k + 500), { workerId: "test", webhooks: [], redact: (s) => s });
}

beforeAll(async () => {
  database = await createTestDatabase("pf_regress");
  prisma = createPrismaClient(database.url, 2);
  await ensurePartitions(prisma, T0, T0 + 6 * HOUR);
  await write(T0, T0 + 2 * HOUR, 1); // the signed build
  await write(T0 + 2 * HOUR, T0 + 3 * HOUR, 1); // the same build after signing
  await write(T0 + 3 * HOUR, T0 + 4 * HOUR, 1.3); // a build 30 % slower
  await runRollups(prisma, new Date(T0 + 5 * HOUR));
}, 120_000);
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

async function judgedAt(now: Date) {
  if (check?.kind !== "regression") throw new Error("no regression check");
  const facts = emptyFacts();
  facts.regressions = await gatherRegressions(prisma, [check], now);
  return evaluateReadiness(scorecard, facts, now).checks[0];
}

describe("the regression check on stored histograms", () => {
  it("is pending before any release is signed", async () => {
    expect(await judgedAt(new Date(T0 + 4 * HOUR))).toMatchObject({
      verdict: "pending",
      reason: "no release has been signed yet: nothing to compare the latency with",
    });
  });

  it("passes for the same build and fails for a slower one, with the p-value, effect and both p95s", async () => {
    await prisma.signOff.create({
      data: {
        release: "v1",
        role: "technical-lead",
        userId: "u",
        userName: "Tia",
        userEmail: "tia@x",
        decision: "approve",
        snapshotId: 1n,
        snapshotHash: "x",
        signedAt: SIGNED,
      },
    });
    const same = await judgedAt(new Date(T0 + 3 * HOUR));
    expect(same?.verdict).toBe("passed");
    const slower = await judgedAt(new Date(T0 + 4 * HOUR));
    expect(slower?.verdict).toBe("failed");
    expect(slower?.measured).toMatch(/^p95 \d+(\.\d+)? ms → \d+(\.\d+)? ms, p < 0\.0001, CLES 0\.\d+$/);
    // 30 % slower: the p95 moves from about 59 ms to about 77 ms.
    expect(slower?.value).toBeGreaterThan(74);
    expect(slower?.value).toBeLessThan(80);
    expect(slower?.source).toMatch(/^probe latency of api: the last 1h 0m against the 1h 0m before v1 was signed/);
  });
});
