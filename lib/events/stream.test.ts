import { describe, expect, it } from "vitest";
import type { TLiveEvent } from "./bus";
import { createEventStream, type TEventStreamOptions } from "./stream";

function fakeBus() {
  const listeners = new Set<(event: TLiveEvent) => void>();
  return {
    kind: "local" as const,
    subscribe: (listener: (event: TLiveEvent) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    publish: (storedAt: string) => {
      for (const listener of listeners) listener({ type: "results", storedAt, components: [] });
    },
    listeners: () => listeners.size,
  };
}

/** A stream and what it has sent so far, read as text; `done` settles when the server side closes it. */
function open(options: Partial<TEventStreamOptions> & { isStillActive: () => Promise<boolean> }) {
  const bus = fakeBus();
  const revoked: string[] = [];
  const stream = createEventStream({ bus, onRevoked: (reason) => revoked.push(reason), ...options });
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const done = (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return performance.now();
      text += decoder.decode(chunk.value);
    }
  })();
  const events = () => [...text.matchAll(/"storedAt":"([^"]+)"/g)].map((m) => m[1]);
  return { bus, reader, done, revoked, text: () => text, events };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settles with "open" when the stream is still open after `ms`. */
const closedWithin = (done: Promise<number>, ms: number) =>
  Promise.race([done.then(() => "closed"), sleep(ms).then(() => "open")]);

describe("createEventStream", () => {
  it("greets, then relays the bus while the person stays active", async () => {
    const s = open({ isStillActive: async () => true, recheckMs: 30 });
    s.bus.publish("t1");
    s.bus.publish("t2");
    await sleep(80);
    s.bus.publish("t3");
    await sleep(20);
    expect(s.text()).toMatch(/^retry: 2000\nevent: hello\ndata: \{"bus":"local","at":"[^"]+"\}\n\n/);
    expect(s.events()).toEqual(["t1", "t2", "t3"]);
    expect(s.text()).toContain('event: results\ndata: {"type":"results","storedAt":"t1","components":[]}\n\n');
    expect(await closedWithin(s.done, 10)).toBe("open");
    await s.reader.cancel();
    expect(s.bus.listeners()).toBe(0);
  });

  it("ends a quiet stream within the re-check interval once the person is no longer active", async () => {
    let active = true;
    const s = open({ isStillActive: async () => active, recheckMs: 50 });
    await sleep(120);
    expect(await closedWithin(s.done, 0)).toBe("open");
    const disabledAt = performance.now();
    active = false;
    const closedAt = await s.done;
    // One interval and the check itself, with room for a busy machine; without the timer it would never close.
    expect(closedAt - disabledAt).toBeLessThan(250);
    expect(s.revoked).toEqual(["inactive"]);
    expect(s.bus.listeners()).toBe(0);
  });

  it("asks again before a send when the last answer is stale, and sends nothing to someone no longer active", async () => {
    let clock = 0;
    let active = true;
    // The timer would only ask after 10 s: the send itself must find out.
    const s = open({ isStillActive: async () => active, recheckMs: 10_000, now: () => clock });
    s.bus.publish("before");
    await sleep(10);
    active = false;
    clock += 10_000;
    s.bus.publish("after");
    expect(await closedWithin(s.done, 200)).toBe("closed");
    expect(s.events()).toEqual(["before"]);
    expect(s.revoked).toEqual(["inactive"]);
  });

  it("asks at most once per interval however many events arrive, and keeps their order", async () => {
    let clock = 0;
    let calls = 0;
    let answer: (value: boolean) => void = () => undefined;
    const isStillActive = () => {
      calls += 1;
      return new Promise<boolean>((resolve) => (answer = resolve));
    };
    const s = open({ isStillActive, recheckMs: 10_000, now: () => clock });
    for (const at of ["a", "b", "c"]) s.bus.publish(at);
    await sleep(10);
    expect(calls).toBe(0);
    clock = 10_000;
    for (const at of ["d", "e", "f"]) s.bus.publish(at);
    await sleep(10);
    expect(calls).toBe(1);
    // Events wait for the pending answer rather than overtaking it.
    expect(s.events()).toEqual(["a", "b", "c"]);
    answer(true);
    await sleep(10);
    expect(s.events()).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(calls).toBe(1);
    await s.reader.cancel();
  });

  it("ends the stream when the check fails or does not answer in time", async () => {
    const failing = open({
      isStillActive: async () => {
        throw new Error("database down");
      },
      recheckMs: 20,
    });
    expect(await closedWithin(failing.done, 200)).toBe("closed");
    expect(failing.revoked).toEqual(["check-failed"]);
    const hanging = open({
      isStillActive: () => new Promise<boolean>(() => undefined),
      recheckMs: 20,
      checkTimeoutMs: 30,
    });
    expect(await closedWithin(hanging.done, 200)).toBe("closed");
    expect(hanging.revoked).toEqual(["check-failed"]);
    expect(hanging.bus.listeners()).toBe(0);
  });

  it("stops asking and unsubscribes when the browser leaves", async () => {
    let calls = 0;
    const controller = new AbortController();
    const s = open({ isStillActive: async () => (calls += 1) > 0, recheckMs: 20, signal: controller.signal });
    await sleep(70);
    expect(calls).toBeGreaterThanOrEqual(2);
    controller.abort();
    await s.done;
    const after = calls;
    await sleep(70);
    expect(calls).toBe(after);
    expect(s.bus.listeners()).toBe(0);
    expect(s.revoked).toEqual([]);
  });

  it("sends a keep-alive comment on the heartbeat", async () => {
    const s = open({ isStillActive: async () => true, recheckMs: 1_000, heartbeatMs: 20 });
    await sleep(70);
    expect(s.text()).toContain(": keep-alive\n\n");
    await s.reader.cancel();
  });
});

describe("createEventStream while the bus is down (Redis unreachable)", () => {
  /** A Redis-like bus whose state the test sets. */
  function busWithState(initial: "up" | "down") {
    const bus = fakeBus();
    let state = initial;
    const watchers = new Set<(next: "up" | "down") => void>();
    return {
      ...bus,
      kind: "redis" as const,
      state: () => state,
      subscribeState: (listener: (next: "up" | "down") => void) => {
        watchers.add(listener);
        return () => void watchers.delete(listener);
      },
      set: (next: "up" | "down") => {
        state = next;
        for (const watcher of [...watchers]) watcher(next);
      },
      watchers: () => watchers.size,
    };
  }
  const read = (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const done = (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return text;
        text += decoder.decode(chunk.value);
      }
    })();
    return { done, text: () => text, reader };
  };
  const DEGRADED = /^retry: 5000\nevent: degraded\ndata: (\{.*\})\n\n$/;

  it("answers a new stream with one degraded event and ends it: no hello, so the page polls", async () => {
    const bus = busWithState("down");
    const s = read(
      createEventStream({ bus, isStillActive: async () => true, now: () => Date.parse("2026-12-02T15:00:00Z") }),
    );
    const text = await s.done;
    expect(text).toMatch(DEGRADED);
    expect(JSON.parse(DEGRADED.exec(text)?.[1] ?? "{}")).toEqual({
      reason: "bus-down",
      message: "live updates are paused: the event bus (Redis) is unreachable",
      at: "2026-12-02T15:00:00.000Z",
      retryMs: 5_000,
    });
    expect(text).not.toContain("event: hello");
    expect(bus.listeners()).toBe(0);
    expect(bus.watchers()).toBe(0);
  });

  it("tells an open stream when the bus goes down and ends it; a stream opened after it is back is live", async () => {
    const bus = busWithState("up");
    const s = read(createEventStream({ bus, isStillActive: async () => true, recheckMs: 1_000 }));
    bus.publish("t1");
    await sleep(20);
    bus.set("up");
    expect(
      await closedWithin(
        s.done.then(() => 0),
        20,
      ),
    ).toBe("open");
    bus.set("down");
    const text = await s.done;
    expect(text).toMatch(/^retry: 2000\nevent: hello\n/);
    expect(text).toContain('"storedAt":"t1"');
    expect(text).toMatch(
      /event: results\ndata: [^\n]+\n\nretry: 5000\nevent: degraded\ndata: \{"reason":"bus-down"[^\n]*\n\n$/,
    );
    expect(bus.listeners()).toBe(0);
    expect(bus.watchers()).toBe(0);

    bus.set("up");
    const again = read(createEventStream({ bus, isStillActive: async () => true, recheckMs: 1_000 }));
    await sleep(20);
    expect(again.text()).toMatch(/^retry: 2000\nevent: hello\n/);
    await again.reader.cancel();
  });
});
