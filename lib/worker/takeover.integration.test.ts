import type { ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { startPrivateRedis, type PrivateRedis } from "../testing/private-redis";
import { startProbeTarget, type ProbeTarget } from "../testing/probe-target";
import { spawnWorkerProcess, stopProcess, writeTempConfig } from "../testing/worker-process";

// Three `npm run worker` processes at a 5 s interval, with a private Redis for ownership and then with PostgreSQL
// advisory locks alone: two share the components equally, a third started later gets its equal share within a couple
// of intervals (rendezvous hashing with bounded loads over the live workers), and when the worker with the most components is SIGKILLed the others
// take each of its components over within one interval, probing the slot it left: every component has a result for
// every slot, each slot probed once (counted where the probes arrive: the store keeps one row per slot anyway), but
// for a slot the victim was probing when it died, whose result died with it.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const INTERVAL = 5_000;
const COMPONENTS = 12;

type Ownership = Map<string, string>;

describe("takeover and rebalancing at a 5 s interval", () => {
  let redis: PrivateRedis;
  let database: TestDatabase;
  let target: ProbeTarget;
  const processes: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startPrivateRedis();
    database = await createTestDatabase("pf_takeover");
    target = await startProbeTarget();
  });
  afterAll(async () => {
    for (const p of processes) p.kill("SIGKILL");
    await database?.drop();
    await redis?.destroy();
    await target?.close();
  });

  it.each(["redis", "postgres"] as const)(
    "with %s: a late worker gets a share; a SIGKILLed worker's components are taken over within one interval, no slot lost",
    async (backend) => {
      const prefix = `${backend[0]}${Date.now().toString(36)}`;
      const ids = Array.from({ length: COMPONENTS }, (_, i) => `${prefix}-${i}`);
      const components = ids.map(
        (id) => `  - { id: ${id}, name: ${id}, service: HTTP, probe: { type: http, url: "${target.urlFor(id)}" } }`,
      );
      const config = writeTempConfig(
        `version: 1\nsystem: { name: takeover }\ndefaults: { interval: 5s, timeout: 1s }\ncomponents:\n${components.join("\n")}\n`,
      );
      const env = {
        DATABASE_URL: database.url,
        PREFLIGHT_CONFIG: config.path,
        REDIS_URL: backend === "redis" ? redis.url : "",
      };
      const watcher = new Redis(redis.url);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      // Who holds each component: its Redis key, or the session holding its advisory lock (the key a bigint, shown in
      // pg_locks as two 32-bit halves) and that session's application name, which names the worker.
      const owners = async (): Promise<Ownership> => {
        if (backend === "postgres") {
          const rows = (
            await client.query<{ id: string; owner: string }>(
              `SELECT c.id, substr(a.application_name, length('preflight-owner:') + 1) AS owner
             FROM unnest($1::text[]) AS c(id)
             CROSS JOIN LATERAL (SELECT hashtextextended('preflight:owner:' || c.id, 0) AS k) h
             JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
               AND l.classid = ((h.k >> 32) & 4294967295)::oid AND l.objid = (h.k & 4294967295)::oid
             JOIN pg_stat_activity a ON a.pid = l.pid`,
              [ids],
            )
          ).rows;
          return new Map(rows.map((r) => [r.id, r.owner]));
        }
        const keys = (await watcher.keys("*:owner:*")).filter((k) => ids.some((id) => k.endsWith(`:owner:${id}`)));
        const values = keys.length > 0 ? await watcher.mget(...keys) : [];
        return new Map(
          keys.flatMap((k, i) =>
            values[i] ? [[k.split(":owner:")[1] ?? k, values[i] ?? ""] as [string, string]] : [],
          ),
        );
      };
      const pidOf = (workerId: string) => Number(workerId.split("-").at(-2));
      const shares = (o: Ownership) => {
        const count = new Map<number, number>();
        for (const w of o.values()) count.set(pidOf(w), (count.get(pidOf(w)) ?? 0) + 1);
        return count;
      };
      const waitFor = async (what: string, ok: (o: Ownership) => boolean, timeoutMs: number): Promise<Ownership> => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const o = await owners();
          if (ok(o)) return o;
          if (Date.now() > deadline)
            throw new Error(`${what}: not within ${timeoutMs} ms (${JSON.stringify([...shares(o)])})`);
          await sleep(100);
        }
      };
      try {
        const a = spawnWorkerProcess(env);
        const b = spawnWorkerProcess(env);
        processes.push(a, b);
        const equal = (o: Ownership, n: number) =>
          o.size === COMPONENTS && shares(o).size === n && [...shares(o).values()].every((k) => k === COMPONENTS / n);
        await waitFor("two workers share every component equally", (o) => equal(o, 2), 30_000);
        await sleep(INTERVAL);

        const c = spawnWorkerProcess(env);
        processes.push(c);
        const cPid = c.pid ?? -1;
        // Its share, from when it is up (its first heartbeat row): boot time is the runtime's, not the scheduler's.
        const cUp = async () =>
          (
            await client.query<{ at: Date }>(`SELECT started_at AS at FROM worker_heartbeat WHERE pid = $1`, [cPid])
          ).rows[0]?.at.getTime() ?? null;
        await waitFor("the third worker holds a share", (o) => (shares(o).get(cPid) ?? 0) > 0, 30_000);
        const joinedAt = Date.now();
        const upAt = (await cUp()) ?? joinedAt;
        const settled = await waitFor("three equal shares", (o) => equal(o, 3) && shares(o).has(cPid), 2 * INTERVAL);
        console.log(
          `${backend}: third worker's first component ${joinedAt - upAt} ms after it started, shares ${JSON.stringify([...shares(settled)])}`,
        );
        expect(joinedAt - upAt, "the third worker gets a share within a couple of intervals").toBeLessThan(
          2 * INTERVAL,
        );
        await sleep(INTERVAL + 1_000);

        const before = await owners();
        const [victimPid] = [...shares(before)].sort((x, y) => y[1] - x[1])[0] ?? [];
        const victim = [a, b, c].find((p) => p.pid === victimPid);
        expect(victim, "the victim is one of ours").toBeDefined();
        const victimComponents = [...before].filter(([, w]) => pidOf(w) === victimPid).map(([id]) => id);
        const killedAt = Date.now();
        victim?.kill("SIGKILL");
        const takenAt = new Map<string, number>();
        while (takenAt.size < victimComponents.length && Date.now() - killedAt < 3 * INTERVAL) {
          const now = await owners();
          for (const id of victimComponents) {
            const w = now.get(id);
            if (!takenAt.has(id) && w && pidOf(w) !== victimPid) takenAt.set(id, Date.now() - killedAt);
          }
          await sleep(50);
        }
        const times = [...takenAt.values()].sort((x, y) => x - y);
        console.log(
          `${backend}: takeover of ${victimComponents.length} components after SIGKILL: ${times.join(", ")} ms`,
        );
        expect(takenAt.size, "every component of the victim was taken over").toBe(victimComponents.length);
        expect(Math.max(...times), "taken over within one interval").toBeLessThanOrEqual(INTERVAL);

        await sleep(3 * INTERVAL);
        for (const p of [a, b, c]) if (p !== victim) expect(await stopProcess(p)).toBe(0);

        const rows = (
          await client.query<{ component_id: string; t: Date; n: number }>(
            `SELECT component_id, checked_at AS t, count(*)::int AS n FROM probe_result WHERE component_id LIKE $1 GROUP BY 1, 2 ORDER BY 1, 2`,
            [`${prefix}-%`],
          )
        ).rows;
        const byComponent = new Map<string, number[]>();
        let duplicates = 0;
        for (const r of rows) {
          byComponent.set(r.component_id, [...(byComponent.get(r.component_id) ?? []), r.t.getTime()]);
          if (r.n > 1) duplicates++;
        }
        expect(byComponent.size).toBe(COMPONENTS);
        let widest = 0;
        for (const [id, slots] of byComponent) {
          for (let i = 1; i < slots.length; i++) widest = Math.max(widest, (slots[i] ?? 0) - (slots[i - 1] ?? 0));
          expect(Math.max(...slots), `${id} probed after the kill`).toBeGreaterThan(killedAt + 2 * INTERVAL);
          for (let i = 1; i < slots.length; i++)
            expect((slots[i] ?? 0) - (slots[i - 1] ?? 0), `${id}: a slot lost`).toBeLessThanOrEqual(INTERVAL + 250);
        }
        const twice = target.slotsProbedTwice(INTERVAL);
        const mine = [...twice].filter(([id]) => ids.includes(id));
        console.log(
          `${backend}: widest gap between stored slots: ${widest} ms; slots stored twice: ${duplicates}; ` +
            `slots probed twice: ${JSON.stringify(mine.map(([id, slots]) => [id, slots.map((t) => t - killedAt)]))}`,
        );
        expect(duplicates, "each slot stored once").toBe(0);
        // The one slot a SIGKILLed worker may have probed without storing is the only one probed again.
        for (const [id, slots] of mine) {
          expect(victimComponents, `${id}: a slot probed twice by live workers`).toContain(id);
          expect(slots, `${id}: probed twice beyond the victim's last slot`).toHaveLength(1);
          expect(Math.abs((slots[0] ?? 0) - killedAt), `${id}: the slot probed twice is the kill's`).toBeLessThan(
            INTERVAL,
          );
        }
      } finally {
        watcher.disconnect();
        await client.end();
      }
    },
    120_000,
  );
});
