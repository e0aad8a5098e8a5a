import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHeartbeatPublisher, createHeartbeatStore, HEARTBEAT_STALE_MS, type THeartbeat } from "./heartbeat";
import { TEST_REDIS_URL } from "./testing/database";

// The workers' heartbeats outside the database, against a real directory and a real Redis: what one place holds
// the other need not; the newest beat of a worker wins; beats older than HEARTBEAT_STALE_MS are gone workers.

const dir = mkdtempSync(join(tmpdir(), "pf-heartbeat-"));
const namespace = `preflight:test-${randomBytes(4).toString("hex")}`;
let redis: Redis;

const beat = (workerId: string, at: Date, extra: Partial<THeartbeat> = {}): THeartbeat => ({
  workerId,
  host: "h",
  pid: 1,
  mode: "standalone",
  startedAt: new Date(at.getTime() - 60_000).toISOString(),
  beatAt: at.toISOString(),
  state: "running",
  bufferedResults: 0,
  droppedResults: 0,
  lastFlushAt: null,
  writesFailingSince: null,
  lastError: null,
  ownedComponents: [],
  ...extra,
});

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("heartbeat store", () => {
  it("reads back from the file alone, from Redis alone, and the newest beat of a worker from both", async () => {
    const now = new Date();
    const both = createHeartbeatStore({ dir: join(dir, "a"), namespace, redis: () => redis });
    const fileOnly = createHeartbeatStore({ dir: join(dir, "a"), namespace, redis: () => null });
    const redisOnly = createHeartbeatStore({ dir: join(dir, "elsewhere"), namespace, redis: () => redis });

    expect(await both.write(beat("w1", new Date(now.getTime() - 2_000), { bufferedResults: 5 }))).toEqual([]);
    expect((await fileOnly.read(now)).beats.map((b) => [b.workerId, b.bufferedResults])).toEqual([["w1", 5]]);
    expect((await redisOnly.read(now)).beats.map((b) => [b.workerId, b.bufferedResults])).toEqual([["w1", 5]]);

    // A newer beat only in Redis (this host's file is older): Redis's wins; one only in the file still counts.
    await redisOnly.write(beat("w1", new Date(now.getTime() - 1_000), { bufferedResults: 9 }));
    await fileOnly.write(beat("w2", now, { bufferedResults: 1 }));
    const reading = await both.read(now);
    expect(reading.beats.map((b) => [b.workerId, b.bufferedResults])).toEqual([
      ["w1", 9],
      ["w2", 1],
    ]);
    expect(reading.sources).toEqual({ file: "ok", redis: "ok" });
    // Owner-only: the data directory's rule.
    for (const name of readdirSync(join(dir, "a"))) expect(statSync(join(dir, "a", name)).mode & 0o077, name).toBe(0);
  });

  it("leaves out gone workers and what is not a heartbeat, and forgets a stopped one", async () => {
    const now = new Date();
    const store = createHeartbeatStore({ dir: join(dir, "b"), namespace: `${namespace}:b`, redis: () => redis });
    await store.write(beat("old", new Date(now.getTime() - HEARTBEAT_STALE_MS - 1_000)));
    await store.write(beat("live", now));
    writeFileSync(join(dir, "b", "junk.json"), "{ not json");
    writeFileSync(join(dir, "b", "other.json"), JSON.stringify({ workerId: "x" }));
    expect((await store.read(now)).beats.map((b) => b.workerId)).toEqual(["live"]);
    await store.remove("live");
    expect((await store.read(now)).beats).toEqual([]);
  });

  it("still reads the file when Redis does not answer, and says which place failed", async () => {
    const dead = new Redis("redis://127.0.0.1:1", {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on("error", () => undefined);
    const store = createHeartbeatStore({ dir: join(dir, "c"), namespace: `${namespace}:c`, redis: () => dead });
    const now = new Date();
    const problems = await store.write(beat("w", now, { state: "buffering", bufferedResults: 147 }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Redis: /);
    const reading = await store.read(now);
    expect(reading.beats.map((b) => [b.workerId, b.state, b.bufferedResults])).toEqual([["w", "buffering", 147]]);
    expect(reading.sources).toEqual({ file: "ok", redis: "failed" });
    dead.disconnect();
  });

  it("publishes a worker's buffer and marks when its writes started failing", async () => {
    const store = createHeartbeatStore({ dir: join(dir, "d"), namespace: `${namespace}:d`, redis: () => null });
    const warnings: unknown[] = [];
    const publisher = createHeartbeatPublisher(
      store,
      { workerId: "p", mode: "embedded", startedAt: new Date() },
      { warn: (o: unknown) => void warnings.push(o), info: () => undefined },
    );
    const t0 = new Date();
    const t1 = new Date(t0.getTime() + 5_000);
    await publisher.publish(
      { depth: 3, dropped: 0, lastError: "connect ECONNREFUSED", lastFlushAt: null },
      ["b", "a"],
      t0,
    );
    await publisher.publish(
      { depth: 30, dropped: 0, lastError: "connect ECONNREFUSED", lastFlushAt: null },
      ["a", "b"],
      t1,
    );
    const [written] = (await store.read(t1)).beats;
    expect(written).toMatchObject({
      state: "buffering",
      bufferedResults: 30,
      writesFailingSince: t0.toISOString(),
      ownedComponents: ["a", "b"],
    });
    await publisher.publish({ depth: 0, dropped: 0, lastError: null, lastFlushAt: t1 }, [], t1);
    expect((await store.read(t1)).beats[0]).toMatchObject({
      state: "running",
      writesFailingSince: null,
      lastFlushAt: t1.toISOString(),
    });
    expect(warnings).toEqual([]);
  });
});
