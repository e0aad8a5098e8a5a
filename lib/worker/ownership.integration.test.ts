import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from "../testing/database";
import { startProbeTarget, type ProbeTarget } from "../testing/probe-target";
import { spawnWorkerProcess, writeTempConfig } from "../testing/worker-process";

// Two `npm run worker` processes share the probe load: each slot is probed once (counted where the probes arrive;
// the store keeps one row per slot whatever happens), and when one is killed
// (SIGKILL: no goodbye, no lock released) the other takes its components over within one interval, probing the
// slot the dead one left (stored as that slot).

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const INTERVAL = 1_000;
const COMPONENTS = 6;

function writeConfig(redisPrefix: string, target: ProbeTarget): string {
  const components = Array.from(
    { length: COMPONENTS },
    (_, i) =>
      `  - { id: ${redisPrefix}-c${i}, name: C${i}, service: HTTP, probe: { type: http, url: "${target.urlFor(`${redisPrefix}-c${i}`)}" } }`,
  );
  return writeTempConfig(
    `version: 1\nsystem: { name: ownership }\ndefaults: { interval: 1s, timeout: 500ms }\ncomponents:\n${components.join("\n")}\n`,
  ).path;
}

async function runScenario(lock: "redis" | "postgres", database: TestDatabase, target: ProbeTarget) {
  const prefix = `${lock}${Date.now().toString(36)}`;
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: writeConfig(prefix, target),
    REDIS_URL: lock === "redis" ? TEST_REDIS_URL : "",
  };
  const a = spawnWorkerProcess(env);
  const b = spawnWorkerProcess(env);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await sleep(6_000);
    // Kill whichever worker owns more components, so that a takeover must happen.
    const owners = (
      await client.query<{ worker_id: string; n: number }>(
        `SELECT worker_id, count(DISTINCT component_id)::int AS n FROM probe_result WHERE component_id LIKE $1 AND checked_at > now() - interval '2 seconds' GROUP BY 1 ORDER BY 2 DESC`,
        [`${prefix}-%`],
      )
    ).rows;
    expect(owners.length).toBeGreaterThanOrEqual(1);
    const victimPid = Number(owners[0]?.worker_id.split("-").at(-2));
    const victim = [a, b].find((p) => p.pid === victimPid);
    expect(victim, `worker pid ${victimPid} is one of ours`).toBeDefined();
    const killedAt = Date.now();
    victim?.kill("SIGKILL");
    await sleep(6_000);
    for (const p of [a, b]) p.kill("SIGTERM");
    await sleep(1_500);

    const rows = (
      await client.query<{ component_id: string; checked_at: Date; worker_id: string }>(
        `SELECT component_id, checked_at, worker_id FROM probe_result WHERE component_id LIKE $1 ORDER BY component_id, checked_at`,
        [`${prefix}-%`],
      )
    ).rows;
    const byComponent = new Map<string, { t: number; w: string }[]>();
    for (const r of rows)
      byComponent.set(r.component_id, [
        ...(byComponent.get(r.component_id) ?? []),
        { t: r.checked_at.getTime(), w: r.worker_id },
      ]);
    expect(byComponent.size).toBe(COMPONENTS);
    let takeovers = 0;
    const victimId = owners[0]?.worker_id;
    for (const [id, checks] of byComponent) {
      const times = checks.map((c) => c.t);
      expect(new Set(times).size, `${id} has a slot stored twice`).toBe(times.length);
      const before = checks.filter((c) => c.t < killedAt);
      if (before.at(-1)?.w === victimId) {
        // The victim owned it: the survivor's first check comes within one interval of the kill. (The
        // victim's last result may be lost with it if it was still in its write buffer: SIGKILL.)
        const takeover = checks.find((c) => c.t >= killedAt - INTERVAL && c.w !== victimId);
        expect(takeover, `${id} was taken over`).toBeDefined();
        expect(
          (takeover?.t ?? Infinity) - killedAt,
          `${id} taken over ${(takeover?.t ?? 0) - killedAt} ms after the kill`,
        ).toBeLessThanOrEqual(INTERVAL + 250);
        takeovers++;
      } else {
        // Owned by the survivor throughout: not a single slot missed.
        for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0), `${id}`).toBe(INTERVAL);
      }
      // Checks continued after the kill.
      expect(Math.max(...times)).toBeGreaterThan(killedAt + 3 * INTERVAL);
    }
    expect(takeovers).toBeGreaterThanOrEqual(1);
    // Each slot probed once, but the one a SIGKILLed worker may have probed without storing.
    const victimComponents = new Set(
      rows.filter((r) => r.worker_id === victimId && r.checked_at.getTime() < killedAt).map((r) => r.component_id),
    );
    for (const [id, slots] of target.slotsProbedTwice(INTERVAL)) {
      if (!id.startsWith(`${prefix}-`)) continue;
      expect(victimComponents.has(id), `${id}: a slot probed twice by live workers`).toBe(true);
      expect(slots.length, `${id}: probed twice beyond the victim's last slot`).toBe(1);
      expect(Math.abs((slots[0] ?? 0) - killedAt), `${id}: the slot probed twice is the kill's`).toBeLessThan(INTERVAL);
    }
  } finally {
    for (const p of [a, b]) p.kill("SIGKILL");
    await client.end();
  }
}

describe("two workers share the load", () => {
  let database: TestDatabase;
  let target: ProbeTarget;
  beforeAll(async () => {
    database = await createTestDatabase("pf_own");
    target = await startProbeTarget();
  });
  afterAll(async () => {
    await database.drop();
    await target.close();
  });

  it("with Redis locks: each slot once, takeover within one interval after a SIGKILL", async () => {
    await runScenario("redis", database, target);
  }, 40_000);

  it("with PostgreSQL advisory locks (no Redis): the same", async () => {
    await runScenario("postgres", database, target);
  }, 40_000);
});
