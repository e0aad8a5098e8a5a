import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../db/client";
import type { PrismaClient } from "../../generated/prisma/client";
import { ensurePartitions } from "../../history/partitions";
import { runRollups } from "../../history/rollup";
import { writeBatch } from "../../history/write-batch";
import { getPostDeployment } from "../../queries/post-deployment";
import { buildTestConfig } from "../../testing/config";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { toWriteItem, type WriteItem } from "../../worker/state-tracker";
import { markDeployed } from "./mark-deployed";

// Marking a release deployed on the real PostgreSQL, and its watch: once per release, audited; the wrong release
// or a second, different time refused; the verdict at the end of the window stored once settled, so it still reads
// the same after the minute rollups it came from are gone.

const HOUR = 3_600_000;
const T0 = new Date("2026-07-01T10:00:00Z");
const config = buildTestConfig({
  system: { name: "x", release: { name: "v2.0" } },
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
  postDeployment: { window: "1h", maxErrorRatePct: 1, maxP95Ms: 200, minCoveragePct: 90 },
});
const CI = { type: "token" as const, id: "t1", name: "ci" };

let database: TestDatabase;
let prisma: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase("pf_deployed");
  prisma = createPrismaClient(database.url, 2);
  await ensurePartitions(prisma, T0.getTime() - HOUR, T0.getTime() + 3 * HOUR);
});
afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
});

describe("markDeployed and the post-deployment watch", () => {
  it("marks once, audited; refuses another release or another time", async () => {
    const deps = { prisma, config };
    const audit = await prisma.auditLog.count();
    expect(await markDeployed(deps, CI, "v1.0", {}, T0)).toMatchObject({ ok: false, status: 404 });
    expect(await markDeployed(deps, CI, "v2.0", { deployedAt: "yesterday" }, T0)).toMatchObject({
      ok: false,
      status: 422,
    });
    expect(await markDeployed(deps, CI, "v2.0", { deployedAt: "2026-07-01T11:00:00Z" }, T0)).toMatchObject({
      ok: false,
      status: 422,
      message: "deployedAt is in the future",
    });
    expect(await markDeployed(deps, CI, "v2.0", {}, T0)).toMatchObject({ ok: true, value: { created: true } });
    expect(await prisma.auditLog.count()).toBe(audit + 1);
    // A retry without a time answers the stored row; another time is a conflict.
    expect(await markDeployed(deps, CI, "v2.0", {}, new Date(T0.getTime() + 60_000))).toMatchObject({
      ok: true,
      value: { created: false, deployedAt: T0 },
    });
    expect(
      await markDeployed(deps, CI, "v2.0", { deployedAt: "2026-07-01T10:00:30Z" }, new Date(T0.getTime() + 60_000)),
    ).toMatchObject({ ok: false, status: 409 });
    expect(await prisma.auditLog.count()).toBe(audit + 1);
  });

  it("watches on the way, then stores the verdict once settled and reads it back after the rollups are gone", async () => {
    const component = config.components[0];
    if (!component) throw new Error("no component");
    const items: WriteItem[] = [];
    for (let t = T0.getTime(); t < T0.getTime() + HOUR + 5 * 60_000; t += 10_000)
      items.push(toWriteItem(component, { ok: true, latencyMs: 40, detail: null, error: null }, new Date(t), false));
    for (let k = 0; k < items.length; k += 500)
      await writeBatch(prisma, items.slice(k, k + 500), { workerId: "w", webhooks: [], redact: (s) => s });
    await runRollups(prisma, new Date(T0.getTime() + 2 * HOUR));

    const midway = await getPostDeployment({ prisma, config, now: new Date(T0.getTime() + HOUR / 2) });
    if (!midway.configured) throw new Error("not configured");
    expect(midway.verdict).toMatchObject({ state: "watching", trend: "passing so far" });
    expect(midway.frozen).toBe(false);

    const after = await getPostDeployment({ prisma, config, now: new Date(T0.getTime() + HOUR + 3 * 60_000) });
    if (!after.configured) throw new Error("not configured");
    expect(after.verdict).toMatchObject({ state: "passed", settled: true });
    const row = await prisma.releaseDeployment.findUniqueOrThrow({ where: { release: "v2.0" } });
    expect(row.verdict).toBe("passed");

    await prisma.rollupMinute.deleteMany();
    const later = await getPostDeployment({ prisma, config, now: new Date(T0.getTime() + 3 * HOUR) });
    if (!later.configured) throw new Error("not configured");
    expect(later.frozen).toBe(true);
    expect(later.verdict.state).toBe("passed");
    expect(later.verdict.rows).toEqual(after.verdict.rows);
  });
});
