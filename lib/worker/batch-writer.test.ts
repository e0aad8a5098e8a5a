import pino from "pino";
import { describe, expect, it } from "vitest";
import { createBatchWriter } from "./batch-writer";
import type { WriteItem } from "./state-tracker";

// The buffer's own logic; the database side is covered by the outage integration test.
const item = (n: number) => ({ componentId: `c${n}` }) as unknown as WriteItem;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("createBatchWriter", () => {
  it("writes in batches, in order", async () => {
    const written: string[][] = [];
    const writer = createBatchWriter({
      write: async (items) => void written.push(items.map((i) => i.componentId)),
      logger: pino({ level: "silent" }),
      limit: 100,
      maxBatch: 3,
      flushEveryMs: 10,
    });
    for (let n = 0; n < 7; n++) writer.enqueue(item(n));
    expect(await writer.flush()).toBe(true);
    await writer.stop();
    expect(written.flat()).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    expect(Math.max(...written.map((b) => b.length))).toBe(3);
    expect(writer.stats()).toMatchObject({ depth: 0, written: 7, dropped: 0 });
  });

  it("keeps results while writes fail and writes them all when the database is back", async () => {
    let down = true;
    const written: string[] = [];
    const writer = createBatchWriter({
      write: async (items) => {
        if (down) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
        written.push(...items.map((i) => i.componentId));
      },
      logger: pino({ level: "silent" }),
      limit: 100,
      flushEveryMs: 10,
      maxBackoffMs: 20,
    });
    for (let n = 0; n < 5; n++) writer.enqueue(item(n));
    await sleep(60);
    expect(writer.stats()).toMatchObject({ depth: 5, lastError: "connect ECONNREFUSED 127.0.0.1:5432" });
    expect(writer.stats().failedFlushes).toBeGreaterThan(0);
    down = false;
    await sleep(80);
    await writer.stop();
    expect(written).toEqual(["c0", "c1", "c2", "c3", "c4"]);
    expect(writer.stats()).toMatchObject({ depth: 0, lastError: null, dropped: 0 });
  });

  it("counts what an overflowing buffer drops, oldest first, and reports it", async () => {
    const drops: number[] = [];
    let down = true;
    const written: string[] = [];
    const writer = createBatchWriter({
      write: async (items) => {
        if (down) throw new Error("down");
        written.push(...items.map((i) => i.componentId));
      },
      logger: pino({ level: "silent" }),
      limit: 3,
      flushEveryMs: 1_000,
      onDrop: (count) => drops.push(count),
    });
    for (let n = 0; n < 5; n++) writer.enqueue(item(n));
    expect(writer.stats()).toMatchObject({ depth: 3, dropped: 2 });
    expect(drops).toEqual([1, 1]);
    down = false;
    await writer.stop(500);
    expect(written).toEqual(["c2", "c3", "c4"]);
  });

  it("sets aside a result the database refuses as data, and writes every other one", async () => {
    const written: string[] = [];
    const dataError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: "22021" });
    const writer = createBatchWriter({
      write: async (items) => {
        if (items.some((i) => i.componentId === "c2")) throw dataError;
        written.push(...items.map((i) => i.componentId));
      },
      logger: pino({ level: "silent" }),
      limit: 100,
      flushEveryMs: 10,
      isDataError: (error) => (error as { code?: string }).code === "22021",
    });
    for (let n = 0; n < 5; n++) writer.enqueue(item(n));
    expect(await writer.flush()).toBe(true);
    await writer.stop();
    expect(written).toEqual(["c0", "c1", "c3", "c4"]);
    expect(writer.stats()).toMatchObject({ rejected: 1, dropped: 0, depth: 0 });
  });

  it("never drops the results being written when the buffer overflows meanwhile", async () => {
    const written: string[] = [];
    const gate = { open: () => undefined as void };
    const writer = createBatchWriter({
      write: async (items) => {
        await new Promise<void>((resolve) => {
          gate.open = resolve;
        });
        written.push(...items.map((i) => i.componentId));
      },
      logger: pino({ level: "silent" }),
      limit: 3,
      maxBatch: 2,
      flushEveryMs: 5,
    });
    writer.enqueue(item(0));
    writer.enqueue(item(1));
    await sleep(30);
    // c0 and c1 are being written; the overflow takes the oldest of the rest.
    for (let n = 2; n < 6; n++) writer.enqueue(item(n));
    expect(writer.stats()).toMatchObject({ dropped: 3 });
    gate.open();
    await sleep(30);
    gate.open();
    await sleep(30);
    gate.open();
    await writer.stop(200);
    expect(written.slice(0, 2)).toEqual(["c0", "c1"]);
    expect(written).toContain("c5");
    expect(written).not.toContain("c2");
  });
});
