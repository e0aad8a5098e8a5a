import { describe, expect, it } from "vitest";
import { auditHash, verifyChain, type TAuditFields, type TChainRow } from "./chain";

// The hash chain is what makes the audit log tamper-evident, so every way of rewriting history is tried here:
// each field of each entry, deletion, reordering, insertion, rehashing, and the JSON details (key order) that
// must not count as a change.

type TEntry = Omit<TAuditFields, "id" | "prevHash">;

const ENTRIES: TEntry[] = [
  {
    at: "2026-11-27T09:00:00.000Z",
    actorType: "system",
    actorId: null,
    actorName: "preflight",
    action: "config.load",
    entityType: "config",
    entityId: null,
    before: null,
    after: { components: 3 },
  },
  {
    at: "2026-11-27T09:01:00.000Z",
    actorType: "user",
    actorId: "u-1",
    actorName: "Ada Admin",
    action: "user.invite",
    entityType: "user",
    entityId: "u-2",
    before: null,
    after: { email: "bo@example.com", role: "approver" },
  },
  {
    at: "2026-11-27T09:02:30.125Z",
    actorType: "user",
    actorId: "u-2",
    actorName: "Bo Approver",
    action: "signoff.create",
    entityType: "signoff",
    entityId: "7",
    before: null,
    after: { decision: "approve", role: "security-officer", comment: "ü 🚀" },
  },
  {
    at: "2026-11-27T09:03:00.000Z",
    actorType: "token",
    actorId: "t-1",
    actorName: "ci",
    action: "evidence.junit.create",
    entityType: "test_run",
    entityId: "42",
    before: null,
    after: { suite: "unit", tests: 120, passed: 119, ratio: 0.9917 },
  },
  {
    at: "2026-11-27T09:04:00.000Z",
    actorType: "user",
    actorId: "u-1",
    actorName: "Ada Admin",
    action: "user.role.update",
    entityType: "user",
    entityId: "u-2",
    before: { role: "approver", signOffRoles: ["security-officer"] },
    after: { role: "editor", signOffRoles: [] },
  },
];

/** A valid chain: ids 1..n, each entry linked to and hashed over the one before. */
function buildChain(entries: TEntry[] = ENTRIES, firstId = 1, prevHash: string | null = null): TChainRow[] {
  const rows: TChainRow[] = [];
  let prev = prevHash;
  entries.forEach((entry, index) => {
    const fields: TAuditFields = { ...entry, id: String(firstId + index), prevHash: prev };
    const row = { ...fields, hash: auditHash(fields) };
    rows.push(row);
    prev = row.hash;
  });
  return rows;
}

/** The chain with one entry replaced (its stored hash kept, as a rewrite of the row in the database would). */
function withEntry(rows: TChainRow[], index: number, change: Partial<TChainRow>): TChainRow[] {
  return rows.map((row, i) => (i === index ? { ...row, ...change } : row));
}

/** Recomputes an entry's own hash after a change: what a forger who knows the scheme would do. */
function rehash(row: TChainRow): TChainRow {
  return { ...row, hash: auditHash(row) };
}

describe("auditHash", () => {
  const fields: TAuditFields = { id: "1", prevHash: null, ...ENTRIES[1]! };

  it("is the hex SHA-256 of the canonical JSON, stable across calls", () => {
    expect(auditHash(fields)).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash({ ...fields })).toBe(auditHash(fields));
  });

  it("hashes only the entry's fields: a row read back with its stored hash and other columns hashes the same", () => {
    const row: TChainRow = { ...fields, hash: "f".repeat(64) };
    const wide = { ...row, createdAt: "2026-11-27T09:01:00.000Z" };
    expect(auditHash(row)).toBe(auditHash(fields));
    expect(auditHash(wide)).toBe(auditHash(fields));
  });

  it("treats a missing before/after as null", () => {
    expect(auditHash({ ...fields, before: undefined })).toBe(auditHash({ ...fields, before: null }));
    expect(auditHash({ ...fields, after: undefined })).toBe(auditHash({ ...fields, after: null }));
  });

  it("covers the id and the link to the previous entry", () => {
    expect(auditHash({ ...fields, id: "2" })).not.toBe(auditHash(fields));
    expect(auditHash({ ...fields, prevHash: "0".repeat(64) })).not.toBe(auditHash(fields));
  });

  it("keeps fields apart: moving text from one field to the next changes the hash", () => {
    const a = auditHash({ ...fields, actorName: "ab", action: "c" });
    const b = auditHash({ ...fields, actorName: "a", action: "bc" });
    expect(a).not.toBe(b);
  });

  it("does not depend on object key order, at any depth", () => {
    const after = { role: "approver", email: "bo@example.com", nested: { z: 1, a: [1, { y: true, b: null }] } };
    const reordered = { nested: { a: [1, { b: null, y: true }], z: 1 }, email: "bo@example.com", role: "approver" };
    expect(auditHash({ ...fields, after: reordered })).toBe(auditHash({ ...fields, after }));
  });

  it("does depend on array order and on every value", () => {
    const base = auditHash({ ...fields, after: { roles: ["a", "b"], n: 1 } });
    expect(auditHash({ ...fields, after: { roles: ["b", "a"], n: 1 } })).not.toBe(base);
    expect(auditHash({ ...fields, after: { roles: ["a", "b"], n: 2 } })).not.toBe(base);
    expect(auditHash({ ...fields, after: { roles: ["a", "b"], n: "1" } })).not.toBe(base);
    expect(auditHash({ ...fields, after: { roles: ["a", "b"], n: 1, extra: null } })).not.toBe(base);
  });

  it("tells null from an empty object and a missing key from a null one", () => {
    expect(auditHash({ ...fields, before: {} })).not.toBe(auditHash({ ...fields, before: null }));
    expect(auditHash({ ...fields, after: { a: null } })).not.toBe(auditHash({ ...fields, after: {} }));
  });

  it("tells a null actor or entity id from an empty one", () => {
    expect(auditHash({ ...fields, actorId: "" })).not.toBe(auditHash({ ...fields, actorId: null }));
    expect(auditHash({ ...fields, entityId: "" })).not.toBe(auditHash({ ...fields, entityId: null }));
  });

  it("refuses values JSON cannot carry instead of hashing something else", () => {
    expect(() => auditHash({ ...fields, after: { n: Number.NaN } })).toThrow(/NaN/);
    expect(() => auditHash({ ...fields, after: { n: Number.POSITIVE_INFINITY } })).toThrow(/Infinity/);
    expect(() => auditHash({ ...fields, after: { s: "\ud800" } })).toThrow(/surrogate/);
    expect(() => auditHash({ ...fields, after: { n: 1n } })).toThrow();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => auditHash({ ...fields, after: cyclic })).toThrow(/Circular/);
  });
});

describe("verifyChain", () => {
  const chain = buildChain();
  const last = chain.at(-1)!;

  it("accepts a valid chain and returns its length and last hash", () => {
    expect(verifyChain(chain)).toEqual({ ok: true, entries: ENTRIES.length, lastHash: last.hash });
  });

  it("accepts a chain of one entry", () => {
    const [only] = buildChain(ENTRIES.slice(0, 1));
    expect(verifyChain([only!])).toEqual({ ok: true, entries: 1, lastHash: only!.hash });
  });

  it("accepts an empty chain, with no last hash", () => {
    expect(verifyChain([])).toEqual({ ok: true, entries: 0, lastHash: null });
  });

  it("accepts any iterable, walking it once", () => {
    function* rows() {
      yield* chain;
    }
    expect(verifyChain(rows())).toEqual({ ok: true, entries: ENTRIES.length, lastHash: last.hash });
  });

  const CHANGES: [keyof TEntry, (row: TChainRow) => unknown][] = [
    ["at", (row) => new Date(Date.parse(row.at) + 1).toISOString()],
    ["actorType", (row) => (row.actorType === "user" ? "system" : "user")],
    ["actorId", (row) => (row.actorId === null ? "u-9" : null)],
    ["actorName", (row) => `${row.actorName} `],
    ["action", (row) => `${row.action}.x`],
    ["entityType", (row) => `${row.entityType}s`],
    ["entityId", (row) => (row.entityId === null ? "1" : `${row.entityId}0`)],
    ["before", (row) => (row.before === null ? {} : { ...(row.before as object), role: "admin" })],
    ["after", (row) => (row.after === null ? {} : { ...(row.after as object), tampered: true })],
  ];

  const cases = CHANGES.flatMap(([field, change]) => chain.map((_, index) => [field, index, change] as const));

  it.each(cases)("catches a changed %s at entry %i, at exactly that entry", (field, index, change) => {
    const original = chain[index]!;
    const value = change(original);
    expect(value).not.toEqual(original[field]);
    const verdict = verifyChain(withEntry(chain, index, { [field]: value }));
    expect(verdict).toMatchObject({ ok: false, brokenAt: original.id, entries: index + 1 });
    if (verdict.ok) return;
    expect(verdict.reason).toContain(`entry ${original.id} was changed after it was written`);
    expect(verdict.reason).toContain(original.hash.slice(0, 12));
    // The state reported is the last entry that still verified, so verification can say what is trustworthy.
    expect(verdict.lastHash).toBe(index === 0 ? null : chain[index - 1]!.hash);
  });

  it("catches a changed value inside before/after, not only a changed shape", () => {
    const index = 4;
    const row = chain[index]!;
    const verdict = verifyChain(withEntry(chain, index, { after: { role: "admin", signOffRoles: [] } }));
    expect(verdict).toMatchObject({ ok: false, brokenAt: row.id });
    const nested = verifyChain(
      withEntry(chain, index, { before: { role: "approver", signOffRoles: ["security-officer", "cto"] } }),
    );
    expect(nested).toMatchObject({ ok: false, brokenAt: row.id });
  });

  it("accepts before/after read back with their keys in another order (JSONB reorders them)", () => {
    const reordered = chain.map((row) => ({
      ...row,
      before: row.before === null ? null : Object.fromEntries(Object.entries(row.before as object).reverse()),
      after: row.after === null ? null : Object.fromEntries(Object.entries(row.after as object).reverse()),
    }));
    expect(JSON.stringify(reordered[4]!.after)).not.toBe(JSON.stringify(chain[4]!.after));
    expect(verifyChain(reordered)).toEqual({ ok: true, entries: ENTRIES.length, lastHash: last.hash });
  });

  it("catches a changed stored hash at that entry", () => {
    const verdict = verifyChain(withEntry(chain, 2, { hash: "f".repeat(64) }));
    expect(verdict).toMatchObject({ ok: false, brokenAt: "3", entries: 3 });
  });

  it("catches a changed id at that entry (the id is hashed)", () => {
    const verdict = verifyChain(withEntry(chain, 2, { id: "30" }));
    expect(verdict).toMatchObject({ ok: false, brokenAt: "30" });
  });

  it("catches a rewritten entry whose own hash was recomputed, at the entry after it", () => {
    const forged = rehash({ ...chain[1]!, actorName: "Somebody Else" });
    const verdict = verifyChain(withEntry(chain, 1, forged));
    expect(verdict).toMatchObject({ ok: false, brokenAt: "3", entries: 3 });
    if (verdict.ok) return;
    expect(verdict.reason).toContain("entry 3 links to");
    expect(verdict.reason).toContain(`hashes to ${forged.hash.slice(0, 12)}`);
  });

  it("accepts a rewrite only when every later entry is rehashed too: the last hash then differs from a copy kept elsewhere", () => {
    const rewritten = buildChain(ENTRIES.map((e, i) => (i === 1 ? { ...e, actorName: "Somebody Else" } : e)));
    const verdict = verifyChain(rewritten);
    expect(verdict.ok).toBe(true);
    expect(verdict.lastHash).not.toBe(last.hash);
  });

  it.each([1, 2, 3])("catches entry %i deleted from the middle, at the entry after it", (index) => {
    const rows = chain.filter((_, i) => i !== index);
    const next = chain[index + 1]!;
    const verdict = verifyChain(rows);
    expect(verdict).toMatchObject({ ok: false, brokenAt: next.id, entries: index + 1 });
    if (verdict.ok) return;
    expect(verdict.reason).toBe(
      `entry ${next.id} links to ${chain[index]!.hash.slice(0, 12)}, but the entry before it hashes to ${chain[index - 1]!.hash.slice(0, 12)}`,
    );
  });

  it("catches the first entry deleted: the new first entry links to something", () => {
    const verdict = verifyChain(chain.slice(1));
    expect(verdict).toMatchObject({ ok: false, brokenAt: "2", entries: 1 });
    if (verdict.ok) return;
    expect(verdict.reason).toContain("but the entry before it hashes to nothing");
  });

  it("does not notice the last entry deleted (a chain cannot; keep the last hash elsewhere to catch it)", () => {
    expect(verifyChain(chain.slice(0, -1))).toEqual({
      ok: true,
      entries: ENTRIES.length - 1,
      lastHash: chain.at(-2)!.hash,
    });
  });

  it("catches two entries swapped, at the first one out of place", () => {
    const rows = [chain[0]!, chain[2]!, chain[1]!, chain[3]!, chain[4]!];
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: "3", entries: 2 });
  });

  it("catches the whole chain reversed, at its first entry", () => {
    expect(verifyChain([...chain].reverse())).toMatchObject({ ok: false, brokenAt: last.id, entries: 1 });
  });

  it("catches a forged entry with a correct own hash but a wrong link, at the forged entry", () => {
    const forged = rehash({ ...chain[2]!, id: "99", actorName: "Mallory", prevHash: chain[0]!.hash });
    const rows = [chain[0]!, chain[1]!, forged, ...chain.slice(2)];
    const verdict = verifyChain(rows);
    expect(verdict).toMatchObject({ ok: false, brokenAt: "99", entries: 3 });
    if (verdict.ok) return;
    expect(verdict.reason).toContain("entry 99 links to");
  });

  it("catches a forged entry linked correctly, at the genuine entry after it", () => {
    const forged = rehash({ ...chain[2]!, id: "99", actorName: "Mallory", prevHash: chain[1]!.hash });
    const rows = [chain[0]!, chain[1]!, forged, ...chain.slice(2)];
    expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: "3", entries: 4 });
  });

  it("catches an entry appended with no link", () => {
    const orphan = rehash({ ...chain[4]!, id: "6", prevHash: null });
    expect(verifyChain([...chain, orphan])).toMatchObject({ ok: false, brokenAt: "6", entries: 6 });
  });

  it("catches an entry duplicated", () => {
    expect(verifyChain([...chain.slice(0, 3), chain[2]!, ...chain.slice(3)])).toMatchObject({
      ok: false,
      brokenAt: "3",
      entries: 4,
    });
  });

  describe("continuing from a previous state", () => {
    const head = chain.slice(0, 2);
    const tail = chain.slice(2);
    const state = verifyChain(head);

    it("verifies the rest of a chain in pieces, with the same verdict as in one go", () => {
      expect(state.ok).toBe(true);
      const rest = verifyChain(tail, { hash: state.lastHash, entries: state.entries });
      expect(rest).toEqual(verifyChain(chain));
    });

    it("counts entries from the previous state, and reports breaks with the full count", () => {
      const verdict = verifyChain(withEntry(tail, 1, { action: "x" }), {
        hash: state.lastHash,
        entries: state.entries,
      });
      expect(verdict).toMatchObject({ ok: false, brokenAt: "4", entries: 4, lastHash: chain[2]!.hash });
    });

    it("catches a piece that does not follow the previous state", () => {
      expect(verifyChain(chain.slice(3), { hash: state.lastHash, entries: state.entries })).toMatchObject({
        ok: false,
        brokenAt: "4",
        entries: 3,
      });
      expect(verifyChain(tail, { hash: null, entries: 0 })).toMatchObject({ ok: false, brokenAt: "3", entries: 1 });
    });

    it("returns the previous state unchanged for an empty piece", () => {
      expect(verifyChain([], { hash: last.hash, entries: 5 })).toEqual({ ok: true, entries: 5, lastHash: last.hash });
    });

    it("verifies a chain that starts after a known hash (entries before it archived)", () => {
      const archived = chain.at(-1)!.hash;
      const later = buildChain(ENTRIES.slice(0, 2), 6, archived);
      expect(verifyChain(later, { hash: archived, entries: 5 })).toEqual({
        ok: true,
        entries: 7,
        lastHash: later.at(-1)!.hash,
      });
      expect(verifyChain(later)).toMatchObject({ ok: false, brokenAt: "6" });
    });
  });
});
