import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeRedis, getRedisConnections, redisNamespace, type TRedisConnections } from "../redis";
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from "../testing/database";
import { spawnWorkerProcess, stopProcess, writeTempConfig } from "../testing/worker-process";
import { createLocalBus, createRedisBus, type TLiveEvent } from "./bus";

const event = (id: string): TLiveEvent => ({
  type: "results",
  storedAt: new Date().toISOString(),
  components: [{ id, status: "up", observedStatus: "up", checkedAt: new Date().toISOString(), latencyMs: 1 }],
});

// Every bus of this process shares its two Redis connections, as the replicas' buses do in theirs.
const redis = (): TRedisConnections => {
  const connections = getRedisConnections(TEST_REDIS_URL);
  if (!connections) throw new Error("no TEST_REDIS_URL");
  return connections;
};
afterAll(async () => {
  await closeRedis();
});

describe("event bus", () => {
  it("in-process: every subscriber hears every event until it unsubscribes", async () => {
    const bus = createLocalBus();
    const heard: string[] = [];
    const stop = bus.subscribe((e) => heard.push(e.components[0]?.id ?? ""));
    await bus.publish(event("a"));
    stop();
    await bus.publish(event("b"));
    expect(heard).toEqual(["a"]);
  });

  it("over Redis: another installation's events are not heard", async () => {
    const mine = createRedisBus(redis(), "preflight:test-mine");
    const theirs = createRedisBus(redis(), "preflight:test-theirs");
    const heard: string[] = [];
    mine.subscribe((e) => heard.push(e.components[0]?.id ?? ""));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await theirs.publish(event("theirs"));
    await mine.publish(event("mine"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toEqual(["mine"]);
    await mine.close();
    await theirs.close();
  });

  it("over Redis: an access change reaches another replica's streams, not another installation's", async () => {
    const webA = createRedisBus(redis(), "preflight:test-access");
    const webB = createRedisBus(redis(), "preflight:test-access");
    const other = createRedisBus(redis(), "preflight:test-access-other");
    const heardB: string[] = [];
    const heardOther: string[] = [];
    webB.subscribeAccessChanges((userId) => heardB.push(userId));
    other.subscribeAccessChanges((userId) => heardOther.push(userId));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await webA.publishAccessChange("user-1");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heardB).toEqual(["user-1"]);
    expect(heardOther).toEqual([]);
    await Promise.all([webA.close(), webB.close(), other.close()]);
  });

  describe("from a standalone worker process", () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase("pf_bus");
    });
    afterAll(async () => {
      await database.drop();
    });

    it("announces every stored batch over Redis", async () => {
      const { path: configPath } = writeTempConfig(
        `version: 1\nsystem: { name: bus }\ndefaults: { interval: 1s, timeout: 500ms }\ncomponents:\n  - { id: bus-cache, name: Cache, service: Redis, probe: { type: redis, url: "${TEST_REDIS_URL}" } }\n`,
      );
      const listener = createRedisBus(redis(), redisNamespace(database.url));
      const heard: TLiveEvent[] = [];
      listener.subscribe((e) => heard.push(e));
      const child = spawnWorkerProcess({
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        PREFLIGHT_CONFIG: configPath,
      });
      try {
        for (let i = 0; i < 60 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 250));
        expect(heard[0]?.components[0]).toMatchObject({ id: "bus-cache", observedStatus: "up" });
      } finally {
        await stopProcess(child);
        await listener.close();
      }
    }, 30_000);
  });
});
