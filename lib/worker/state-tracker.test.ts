import { describe, expect, it } from "vitest";
import type { TrackedState } from "../monitor/status";
import { foldResults, type WriteItem } from "./state-tracker";

const RULES = { intervalMs: 1_000, failureThreshold: 2, successThreshold: 1 };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const result = (s: number, ok: boolean, inMaintenance = false): WriteItem => ({
  componentId: "api",
  checkedAt: at(s),
  outcome: { ok, latencyMs: 5, detail: null, error: ok ? null : "down" },
  observed: ok ? "up" : "down",
  rules: RULES,
  inMaintenance,
});

/** Folds results batch by batch, each onto the state the previous one left, as the database holds it. */
function foldAll(batches: WriteItem[][], start: TrackedState | null = null) {
  let state = start;
  const transitions: string[] = [];
  const notified: string[] = [];
  for (const batch of batches) {
    const out = foldResults(state, batch);
    state = out.state;
    for (const f of out.folded) {
      if (f.transition) transitions.push(`${f.transition.from}->${f.transition.to}@${f.transition.at.getUTCSeconds()}`);
      if (f.notify && f.transition) notified.push(f.transition.to);
    }
  }
  return { state, transitions, notified };
}

describe("foldResults", () => {
  it("confirms down after two failures, dated from the first, and announces it; coming up from unknown is not news", () => {
    const { state, transitions, notified } = foldAll([
      [result(0, true), result(1, false), result(2, false), result(3, true)],
    ]);
    expect(transitions).toEqual(["unknown->up@0", "up->down@1", "down->up@3"]);
    expect(notified).toEqual(["down", "up"]);
    expect(state?.status).toBe("up");
  });

  it("counts each slot once: a second worker's copy of a slot already folded is skipped", () => {
    const a = [result(0, true), result(1, false), result(2, false), result(3, true)];
    // The other worker probed the same slots (Redis unreachable) and stored them later, in other batches.
    const b = a.map((r) => ({ ...r }));
    const { transitions, notified } = foldAll([a.slice(0, 2), b.slice(0, 3), [...a.slice(2), ...b.slice(3)]]);
    expect(transitions).toEqual(["unknown->up@0", "up->down@1", "down->up@3"]);
    expect(notified).toEqual(["down", "up"]);
  });

  it("a single failure seen by two workers is still one failure (failureThreshold 2): no incident", () => {
    const a = [result(0, true), result(1, false), result(2, true)];
    const b = a.map((r) => ({ ...r }));
    // The other worker's copy of the failed slot lands after this one's, in a batch of its own, or in the same batch.
    expect(foldAll([a.slice(0, 2), b.slice(1, 2), a.slice(2)]).transitions).toEqual(["unknown->up@0"]);
    expect(foldResults(null, [...a, ...b]).folded.flatMap((f) => (f.transition ? [f.transition.to] : []))).toEqual([
      "up",
    ]);
  });

  it("skips duplicates within one batch and folds a batch in time order whatever order it came in", () => {
    const out = foldResults(null, [
      result(2, false),
      result(1, false),
      result(1, false),
      result(0, true),
      result(2, false),
    ]);
    expect(out.folded.map((f) => f.item.checkedAt.getUTCSeconds())).toEqual([0, 1, 2]);
    expect(out.state?.status).toBe("down");
    expect(out.state?.since).toEqual(at(1));
  });

  it("a late result older than the stored state is stored raw and changes nothing", () => {
    const { state } = foldAll([[result(0, true), result(1, true), result(5, true)]]);
    const out = foldResults(state, [result(3, false), result(4, false)]);
    expect(out.folded).toEqual([]);
    expect(out.state).toEqual(state);
  });

  it("one outage seen by two workers in interleaved batches is one transition down and one up", () => {
    const seconds = Array.from({ length: 30 }, (_, i) => i);
    const down = (s: number) => s >= 10 && s < 20;
    const a = seconds.map((s) => result(s, !down(s)));
    const b = seconds.map((s) => result(s, !down(s)));
    // Worker A writes every 3 slots, worker B every 4 (and a slot late): their batches interleave.
    const batches: WriteItem[][] = [];
    for (let s = 0; s < 30; s++) {
      if (s % 3 === 2) batches.push(a.slice(s - 2, s + 1));
      if (s % 4 === 3) batches.push(b.slice(Math.max(0, s - 4), s));
    }
    const { transitions } = foldAll(batches);
    expect(transitions).toEqual(["unknown->up@0", "up->down@10", "down->up@20"]);
  });

  it("reads a gap longer than three intervals as unknown, closing the period where its coverage ended", () => {
    const { state } = foldAll([[result(0, true), result(1, true)]]);
    const out = foldResults(state, [result(10, true)]);
    expect(out.folded[0]?.gapFrom).toEqual(at(2));
    expect(out.folded[0]?.transition).toMatchObject({ from: "unknown", to: "up" });
    // Back up after a gap: not news.
    expect(out.folded[0]?.notify).toBe(false);
  });

  it("never announces a change inside a maintenance window", () => {
    const { transitions, notified } = foldAll([[result(0, true), result(1, false, true), result(2, false, true)]]);
    expect(transitions).toEqual(["unknown->up@0", "up->down@1"]);
    expect(notified).toEqual([]);
  });
});
