import { describe, expect, it } from "vitest";
import { checkAnchors, formatAnchorLine, parseAnchors, type TAnchor } from "./anchor";
import { auditHash, verifyChain, type TChainRow } from "./chain";

// The anchor against every way of rewriting the log that the chain alone accepts: recomputed from an entry onwards
// (every later hash redone), recomputed from the very first entry, entries removed and the rest recomputed, the end
// cut off; and the anchor file's own faults.

function buildChain(names: string[], firstId = 1): TChainRow[] {
  const rows: TChainRow[] = [];
  let prevHash: string | null = null;
  names.forEach((actorName, i) => {
    const id = firstId + i;
    const fields = {
      id: String(id),
      at: new Date(Date.UTC(2026, 10, 27, 9, id)).toISOString(),
      actorType: "user",
      actorId: "u-1",
      actorName,
      action: "plan.task.save",
      entityType: "plan_task",
      entityId: `t-${id}`,
      before: null,
      after: { n: id },
      prevHash,
    };
    const row: TChainRow = { ...fields, hash: auditHash(fields) };
    rows.push(row);
    prevHash = row.hash;
  });
  return rows;
}

const anchorsOf = (rows: TChainRow[]): TAnchor[] =>
  rows.map((r) => ({ chain: rows[0]?.hash ?? "", id: r.id, hash: r.hash, at: r.at }));

const NAMES = ["a", "b", "c", "d", "e", "f", "g", "h"];
const chain = buildChain(NAMES);
const anchors = anchorsOf(chain);

describe("checkAnchors", () => {
  it("passes an intact chain, and one that grew since the last anchored entry", () => {
    expect(checkAnchors(anchors, chain)).toEqual({ ok: true, anchored: 8, lastAnchored: "8" });
    expect(checkAnchors(anchors.slice(0, 5), chain)).toEqual({ ok: true, anchored: 5, lastAnchored: "5" });
  });

  it("passes when only some entries were anchored (before anchoring began, or between commit and a crash)", () => {
    const some = anchors.filter((_, i) => i === 2 || i === 6);
    expect(checkAnchors(some, chain)).toEqual({ ok: true, anchored: 2, lastAnchored: "7" });
  });

  it("does not depend on the order of the lines (web and worker append concurrently)", () => {
    expect(checkAnchors([...anchors].reverse(), chain)).toEqual({ ok: true, anchored: 8, lastAnchored: "8" });
  });

  it.each([1, 3, 7])(
    "names the entry a chain was recomputed from (entry %i), which the chain check alone accepts",
    (from) => {
      const forged = buildChain(NAMES.map((n, i) => (i + 1 >= from + 1 ? `${n}'` : n)));
      // Entries after `from` (ids from+1 on) were rewritten and every hash from there recomputed.
      expect(verifyChain(forged).ok).toBe(true);
      const verdict = checkAnchors(anchors, forged);
      expect(verdict).toEqual({
        ok: false,
        kind: "recomputed",
        reason: `recomputed from entry ${from + 1}: the anchor has hash ${chain[from]?.hash.slice(0, 12)} for it, the database ${forged[from]?.hash.slice(0, 12)}`,
      });
    },
  );

  it("names the first anchored entry that differs when the rewrite began between two anchored ones", () => {
    const forged = buildChain(NAMES.map((n, i) => (i >= 3 ? `${n}'` : n)));
    const sparse = anchors.filter((_, i) => i === 1 || i === 5);
    expect(checkAnchors(sparse, forged)).toMatchObject({
      ok: false,
      kind: "recomputed",
      reason: expect.stringMatching(/^recomputed from entry 6: /),
    });
  });

  it("catches a chain recomputed from its first entry (so its name changed too)", () => {
    const forged = buildChain(NAMES.map((n) => `${n}'`));
    expect(verifyChain(forged).ok).toBe(true);
    expect(checkAnchors(anchors, forged)).toEqual({
      ok: false,
      kind: "recomputed",
      reason: `recomputed from entry 1: the anchor has hash ${chain[0]?.hash.slice(0, 12)} for it, the database ${forged[0]?.hash.slice(0, 12)} (unless the anchor is another database's)`,
    });
  });

  it("catches entries removed from the middle with the rest recomputed", () => {
    const kept = NAMES.filter((_, i) => i !== 3 && i !== 4);
    // Ids 1-3 and 6-8 remain, relinked: rebuilt with those ids.
    const rebuilt = [...buildChain(kept.slice(0, 3)), ...buildChain(kept.slice(3), 6)];
    const relinked: TChainRow[] = [];
    let prev: string | null = null;
    for (const row of rebuilt) {
      const fields: TChainRow = { ...row, prevHash: prev };
      const next: TChainRow = { ...fields, hash: auditHash(fields) };
      relinked.push(next);
      prev = next.hash;
    }
    expect(verifyChain(relinked).ok).toBe(true);
    expect(checkAnchors(anchors, relinked)).toMatchObject({
      ok: false,
      kind: "recomputed",
      reason: "recomputed from entry 4: the anchor has it, the database does not",
    });
  });

  it.each([1, 3, 7])("catches the last %i entries cut off", (cut) => {
    const short = chain.slice(0, chain.length - cut);
    expect(verifyChain(short).ok).toBe(true);
    expect(checkAnchors(anchors, short)).toEqual({
      ok: false,
      kind: "cut-off",
      reason: `cut off: the anchor has entries up to 8, the database ends at ${8 - cut}`,
    });
  });

  it("catches every entry gone", () => {
    expect(checkAnchors(anchors, [])).toEqual({
      ok: false,
      kind: "cut-off",
      reason: "cut off: the anchor has entries up to 8, the database has none",
    });
  });

  it("passes an empty log against an empty anchor, and refuses to call a log intact against nothing", () => {
    expect(checkAnchors([], [])).toEqual({ ok: true, anchored: 0, lastAnchored: null });
    expect(checkAnchors([], chain)).toMatchObject({ ok: false, kind: "unanchored" });
  });

  it("checks each database against its own lines in a shared file, and says when none are its own", () => {
    const other = buildChain(["x", "y", "z"], 40);
    const shared = [...anchorsOf(other), ...anchors];
    expect(checkAnchors(shared, chain)).toEqual({ ok: true, anchored: 8, lastAnchored: "8" });
    expect(checkAnchors(shared, other)).toEqual({ ok: true, anchored: 3, lastAnchored: "42" });
    expect(checkAnchors(anchorsOf(other), chain)).toEqual({
      ok: false,
      kind: "unanchored",
      reason: `the anchor has no entry of this audit log (its first entry, 1, hashes to ${chain[0]?.hash.slice(0, 12)}): it is another database's`,
    });
  });
});

describe("the anchor file", () => {
  it("reads back what it writes, a line per entry, skipping blank lines", () => {
    const text = anchors.map(formatAnchorLine).join("") + "\n";
    expect(text.split("\n").filter(Boolean)).toHaveLength(8);
    expect(parseAnchors(text)).toEqual({ ok: true, anchors });
    expect(parseAnchors("")).toEqual({ ok: true, anchors: [] });
  });

  it("accepts the head endpoint's answer as a line (extra fields ignored)", () => {
    const head = { id: "8", hash: chain[7]?.hash, at: chain[7]?.at, entries: 8, chain: chain[0]?.hash };
    expect(parseAnchors(JSON.stringify(head))).toEqual({ ok: true, anchors: [anchors[7]] });
  });

  it.each([
    ["a line that is not JSON", `${formatAnchorLine(anchors[0] as TAnchor)}{"chain":`, "line 2 is not JSON"],
    ["a JSON value that is not an object", "42", "line 1 is not an anchor entry"],
    ["a missing hash", JSON.stringify({ ...anchors[0], hash: undefined }), "line 1 is not an anchor entry"],
    ["a short hash", JSON.stringify({ ...anchors[0], hash: "abc" }), "line 1 is not an anchor entry"],
    [
      "an id that is not a positive integer",
      JSON.stringify({ ...anchors[0], id: "0" }),
      "line 1 is not an anchor entry",
    ],
    ["a numeric id", JSON.stringify({ ...anchors[0], id: 1 }), "line 1 is not an anchor entry"],
    ["a time that is not one", JSON.stringify({ ...anchors[0], at: "yesterday" }), "line 1 is not an anchor entry"],
    [
      "the head of an empty log",
      JSON.stringify({ chain: null, id: null, hash: null, at: null, entries: 0 }),
      "line 1 is not an anchor entry",
    ],
  ])("refuses %s, naming the line", (_name, text, error) => {
    const parsed = parseAnchors(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});
