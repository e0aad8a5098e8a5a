import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

// The audit log's hash chain, pure: an entry's hash is the SHA-256 of the canonical JSON (RFC 8785) of its fields
// and the previous entry's hash. Rewriting any entry changes its hash and so breaks the link from the next one.

export type TAuditActor = { type: "user" | "token" | "system"; id: string | null; name: string };

export type TAuditFields = {
  id: string;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  prevHash: string | null;
};

export function auditHash(fields: TAuditFields): string {
  // Exactly these fields: a row read back from the database carries its stored hash (and may carry more).
  const { id, at, actorType, actorId, actorName, action, entityType, entityId, before, after, prevHash } = fields;
  const text = canonicalize({
    id,
    at,
    actorType,
    actorId,
    actorName,
    action,
    entityType,
    entityId,
    before: before ?? null,
    after: after ?? null,
    prevHash,
  });
  if (text === undefined) throw new Error("audit entry is not serialisable");
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export type TChainRow = TAuditFields & { hash: string };

export type TChainVerdict =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAt: string; reason: string };

/** Walks entries in id order: each must link to the one before and hash to what it stores. */
export function verifyChain(
  rows: Iterable<TChainRow>,
  previous: { hash: string | null; entries: number } = { hash: null, entries: 0 },
): TChainVerdict & { lastHash: string | null } {
  let prev = previous.hash;
  let entries = previous.entries;
  for (const row of rows) {
    entries += 1;
    if (row.prevHash !== prev) {
      return {
        ok: false,
        entries,
        brokenAt: row.id,
        reason: `entry ${row.id} links to ${row.prevHash?.slice(0, 12) ?? "nothing"}, but the entry before it hashes to ${prev?.slice(0, 12) ?? "nothing"}`,
        lastHash: prev,
      };
    }
    const expected = auditHash(row);
    if (expected !== row.hash) {
      return {
        ok: false,
        entries,
        brokenAt: row.id,
        reason: `entry ${row.id} was changed after it was written: its fields hash to ${expected.slice(0, 12)}, it stores ${row.hash.slice(0, 12)}`,
        lastHash: prev,
      };
    }
    prev = row.hash;
  }
  return { ok: true, entries, lastHash: prev };
}
