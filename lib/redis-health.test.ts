import { describe, expect, it } from "vitest";
import { createRedisHealth, type TRedisHealth } from "./redis-health";

function tracker() {
  let clock = 1_000;
  const health = createRedisHealth(() => clock);
  const told: string[] = [];
  health.subscribe((next: TRedisHealth, previous: TRedisHealth) =>
    told.push(`${previous.state}->${next.state}@${next.since.getTime()}`),
  );
  return { health, told, tick: (ms: number) => (clock += ms) };
}

describe("Redis health", () => {
  it("is connecting until every connection is ready, and says nothing on the first connection but the change", () => {
    const { health, told } = tracker();
    health.set("commands", "connecting");
    health.set("subscriber", "connecting");
    expect(health.get().state).toBe("connecting");
    health.set("commands", "ready");
    expect(health.get().state).toBe("connecting");
    health.set("subscriber", "ready");
    expect(health.get()).toMatchObject({ state: "up", lastError: null });
    expect(told).toEqual(["connecting->up@1000"]);
  });

  it("goes down once per outage however often the connections fail while retrying, and up once when all are back", () => {
    const { health, told, tick } = tracker();
    health.set("commands", "ready");
    health.set("subscriber", "ready");
    tick(500);
    health.set("commands", "lost");
    for (let i = 0; i < 29; i++) {
      health.set("commands", "lost", "connect ECONNREFUSED 127.0.0.1:6390");
      health.set("subscriber", "lost", "connect ECONNREFUSED 127.0.0.1:6390");
      health.set("subscriber", "connecting");
    }
    expect(health.get()).toMatchObject({ state: "down", lastError: "connect ECONNREFUSED 127.0.0.1:6390" });
    tick(63_000);
    health.set("commands", "ready");
    // The subscriber is not back (its channels not subscribed again): still down.
    expect(health.get().state).toBe("down");
    health.set("subscriber", "ready");
    expect(health.get()).toMatchObject({ state: "up", lastError: null });
    expect(told).toEqual(["connecting->up@1000", "up->down@1500", "down->up@64500"]);
  });

  it("is down when Redis cannot be reached at start, and a connection that stops counting no longer holds it down", () => {
    const { health, told } = tracker();
    health.set("commands", "connecting");
    health.set("commands", "lost", "connect ECONNREFUSED");
    expect(health.get()).toMatchObject({ state: "down", lastError: "connect ECONNREFUSED" });
    health.set("subscriber", "ready");
    health.remove("commands");
    expect(health.get().state).toBe("up");
    expect(told).toEqual(["connecting->down@1000", "down->up@1000"]);
  });

  it("names a lost connection without an error", () => {
    const { health } = tracker();
    health.set("commands", "ready");
    health.set("commands", "lost");
    expect(health.get()).toMatchObject({ state: "down", lastError: "connection closed" });
  });
});
