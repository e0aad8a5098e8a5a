import { describe, expect, it } from "vitest";
import { createRenderQueue } from "./pdf-queue";

/** A job the test finishes by hand, recording how many jobs run at once. */
function gate() {
  const jobs: { finish: (value: string) => void; fail: (error: Error) => void }[] = [];
  let running = 0;
  let peak = 0;
  const job = () =>
    new Promise<string>((resolve, reject) => {
      running += 1;
      peak = Math.max(peak, running);
      const settle = () => (running -= 1);
      jobs.push({ finish: (v) => (settle(), resolve(v)), fail: (e) => (settle(), reject(e)) });
    });
  return { job, jobs, peak: () => peak, running: () => running };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("createRenderQueue", () => {
  it("runs one job at a time, in arrival order, never more than the concurrency", async () => {
    const queue = createRenderQueue({ concurrency: 1, maxWaiting: 2 });
    const g = gate();
    const order: string[] = [];
    const calls = ["a", "b", "c"].map((name) =>
      queue.run(async () => {
        order.push(`start ${name}`);
        return (await g.job()) + name;
      }),
    );
    await tick();
    expect(g.running()).toBe(1);
    expect(queue.stats()).toEqual({ running: 1, waiting: 2 });
    for (let i = 0; i < 3; i++) {
      g.jobs[i]?.finish("done ");
      await tick();
    }
    expect(await Promise.all(calls)).toEqual([
      { ok: true, value: "done a" },
      { ok: true, value: "done b" },
      { ok: true, value: "done c" },
    ]);
    expect(order).toEqual(["start a", "start b", "start c"]);
    expect(g.peak()).toBe(1);
    expect(queue.stats()).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses the 4th concurrent call at once, without running it", async () => {
    const queue = createRenderQueue({ concurrency: 1, maxWaiting: 2 });
    const g = gate();
    const accepted = [queue.run(g.job), queue.run(g.job), queue.run(g.job)];
    expect(queue.isFull()).toBe(true);
    let ran = false;
    const refused = await queue.run(async () => {
      ran = true;
      return "never";
    });
    expect(refused).toEqual({ ok: false, reason: "busy" });
    expect(ran).toBe(false);
    await tick();
    g.jobs[0]?.finish("x");
    await tick();
    // One finished, one started, one waits: room for one more.
    expect(queue.stats()).toEqual({ running: 1, waiting: 1 });
    expect(queue.isFull()).toBe(false);
    const late = queue.run(g.job);
    expect(await queue.run(g.job)).toEqual({ ok: false, reason: "busy" });
    for (let i = 1; i < 4; i++) {
      await tick();
      g.jobs[i]?.finish("y");
    }
    await Promise.all([...accepted, late]);
    expect(g.peak()).toBe(1);
  });

  it("frees the slot when a job throws, and rejects that call with the job's error", async () => {
    const queue = createRenderQueue({ concurrency: 1, maxWaiting: 2 });
    const g = gate();
    const failing = queue.run(g.job);
    const next = queue.run(g.job);
    const synchronousThrow = queue.run(() => {
      throw new Error("sync boom");
    });
    await tick();
    g.jobs[0]?.fail(new Error("chromium crashed"));
    await expect(failing).rejects.toThrow("chromium crashed");
    await tick();
    g.jobs[1]?.finish("after the crash");
    expect(await next).toEqual({ ok: true, value: "after the crash" });
    await expect(synchronousThrow).rejects.toThrow("sync boom");
    expect(queue.stats()).toEqual({ running: 0, waiting: 0 });
    expect(await queue.run(async () => "free again")).toEqual({ ok: true, value: "free again" });
  });

  it("with no waiting room, refuses everything while a job runs", async () => {
    const queue = createRenderQueue({ concurrency: 1, maxWaiting: 0 });
    const g = gate();
    const first = queue.run(g.job);
    expect(await queue.run(g.job)).toEqual({ ok: false, reason: "busy" });
    await tick();
    g.jobs[0]?.finish("ok");
    expect(await first).toEqual({ ok: true, value: "ok" });
  });

  it("honours a concurrency above one", async () => {
    const queue = createRenderQueue({ concurrency: 2, maxWaiting: 1 });
    const g = gate();
    const calls = [queue.run(g.job), queue.run(g.job), queue.run(g.job)];
    expect(await queue.run(g.job)).toEqual({ ok: false, reason: "busy" });
    await tick();
    expect(g.running()).toBe(2);
    g.jobs[0]?.finish("1");
    g.jobs[1]?.finish("2");
    await tick();
    g.jobs[2]?.finish("3");
    expect((await Promise.all(calls)).map((r) => r.ok && r.value)).toEqual(["1", "2", "3"]);
    expect(g.peak()).toBe(2);
  });

  it("rejects nonsense limits", () => {
    expect(() => createRenderQueue({ concurrency: 0, maxWaiting: 2 })).toThrow(RangeError);
    expect(() => createRenderQueue({ concurrency: 1, maxWaiting: -1 })).toThrow(RangeError);
    expect(() => createRenderQueue({ concurrency: 1.5, maxWaiting: 2 })).toThrow(RangeError);
  });
});
