import type { TChainRow } from "./chain";

// The audit chain's anchor, pure: a copy of each entry's hash kept outside the database (lib/audit/anchor-sink.ts
// writes it), one JSON line per entry. The chain alone cannot tell a log recomputed from some entry onwards, or
// cut short at its end, from an intact one; compared with the anchor, it can.
//
// Each line names its chain by the hash of the chain's first entry, so one anchor file may hold the lines of
// several databases (a data directory used with the embedded database and later with a server, say) and each is
// checked against its own. GET /api/v1/audit/head answers in the same shape, so its answers can be kept as lines.

export type TAnchor = { chain: string; id: string; hash: string; at: string };

const HASH = /^[0-9a-f]{64}$/;
const ID = /^[1-9]\d{0,18}$/;

export function formatAnchorLine(anchor: TAnchor): string {
  return `${JSON.stringify({ chain: anchor.chain, id: anchor.id, hash: anchor.hash, at: anchor.at })}\n`;
}

export type TAnchorFile = { ok: true; anchors: TAnchor[] } | { ok: false; error: string };

/** The anchors of a file's text; blank lines are skipped, any other line that is not an anchor is an error. */
export function parseAnchors(text: string): TAnchorFile {
  const anchors: TAnchor[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, error: `line ${index + 1} is not JSON` };
    }
    const anchor = toAnchor(value);
    if (!anchor)
      return { ok: false, error: `line ${index + 1} is not an anchor entry: expected {"chain", "id", "hash", "at"}` };
    anchors.push(anchor);
  }
  return { ok: true, anchors };
}

function toAnchor(value: unknown): TAnchor | null {
  if (typeof value !== "object" || value === null) return null;
  const { chain, id, hash, at } = value as Record<string, unknown>;
  if (typeof chain !== "string" || !HASH.test(chain)) return null;
  if (typeof id !== "string" || !ID.test(id)) return null;
  if (typeof hash !== "string" || !HASH.test(hash)) return null;
  if (typeof at !== "string" || Number.isNaN(Date.parse(at))) return null;
  return { chain, id, hash, at };
}

export type TAnchorVerdict =
  | { ok: true; anchored: number; lastAnchored: string | null }
  | { ok: false; kind: "recomputed" | "cut-off" | "unanchored"; reason: string };

const short = (hash: string | null | undefined) => hash?.slice(0, 12) ?? "none";
const recomputed = (id: string, anchored: string, stored: string) =>
  `recomputed from entry ${id}: the anchor has hash ${short(anchored)} for it, the database ${short(stored)}`;

/**
 * Compares the database's entries, seen in id order, with the anchored ones. Every anchored entry of this chain up
 * to the database's last must be there with the same hash (else the chain was recomputed from the first that is
 * not), and the database must reach the last anchored entry (else it was cut off). Entries that were never anchored
 * (written before anchoring began, or by a process that stopped between commit and anchor) are not required.
 */
export function createAnchorCheck(anchors: readonly TAnchor[]): {
  see: (row: TChainRow) => void;
  finish: () => TAnchorVerdict;
} {
  let first: TChainRow | null = null;
  let last: TChainRow | null = null;
  /** This chain's anchored entries not met yet, by id. */
  let pending = new Map<string, TAnchor>();
  let ofChain: TAnchor[] = [];
  let matched = 0;
  let mismatch: { id: string; anchored: string; stored: string } | null = null;

  return {
    see(row) {
      if (first === null) {
        first = row;
        ofChain = anchors.filter((a) => a.chain === row.hash);
        pending = new Map(ofChain.map((a) => [a.id, a]));
      }
      last = row;
      const anchor = pending.get(row.id);
      if (!anchor) return;
      pending.delete(row.id);
      if (anchor.hash === row.hash) matched += 1;
      // Rows come in id order: the first mismatch is the earliest.
      else mismatch ??= { id: row.id, anchored: anchor.hash, stored: row.hash };
    },
    finish() {
      const head = first;
      const tail = last;
      if (head === null || tail === null) {
        const upTo = maxId(anchors);
        if (upTo === null) return { ok: true, anchored: 0, lastAnchored: null };
        return {
          ok: false,
          kind: "cut-off",
          reason: `cut off: the anchor has entries up to ${upTo}, the database has none`,
        };
      }
      if (ofChain.length === 0) {
        if (anchors.length === 0)
          return {
            ok: false,
            kind: "unanchored",
            reason: "the anchor has no entries, the database has some: nothing to compare with",
          };
        // No line names this chain. A line that is the first entry of its own chain, at the database's first id,
        // is most likely this log as it was before its first entry was rewritten.
        const rival = anchors.find((a) => a.id === head.id && a.hash === a.chain);
        if (rival) {
          const reason = `${recomputed(head.id, rival.hash, head.hash)} (unless the anchor is another database's)`;
          return { ok: false, kind: "recomputed", reason };
        }
        const reason = `the anchor has no entry of this audit log (its first entry, ${head.id}, hashes to ${short(head.hash)}): it is another database's`;
        return { ok: false, kind: "unanchored", reason };
      }
      // Anchored entries the walk did not meet: below the database's last id they were removed, above it cut off.
      const end = BigInt(tail.id);
      const removed = minId([...pending.values()].filter((a) => BigInt(a.id) <= end));
      if (mismatch !== null && (removed === null || BigInt(mismatch.id) < removed)) {
        return { ok: false, kind: "recomputed", reason: recomputed(mismatch.id, mismatch.anchored, mismatch.stored) };
      }
      if (removed !== null) {
        return {
          ok: false,
          kind: "recomputed",
          reason: `recomputed from entry ${removed}: the anchor has it, the database does not`,
        };
      }
      const upTo = maxId(pending.values());
      if (upTo !== null)
        return {
          ok: false,
          kind: "cut-off",
          reason: `cut off: the anchor has entries up to ${upTo}, the database ends at ${end}`,
        };
      return { ok: true, anchored: matched, lastAnchored: maxId(ofChain)?.toString() ?? null };
    },
  };
}

function maxId(list: Iterable<TAnchor>): bigint | null {
  let max: bigint | null = null;
  for (const a of list) if (max === null || BigInt(a.id) > max) max = BigInt(a.id);
  return max;
}

function minId(list: Iterable<TAnchor>): bigint | null {
  let min: bigint | null = null;
  for (const a of list) if (min === null || BigInt(a.id) < min) min = BigInt(a.id);
  return min;
}

/** createAnchorCheck over rows already in hand. */
export function checkAnchors(anchors: readonly TAnchor[], rows: Iterable<TChainRow>): TAnchorVerdict {
  const check = createAnchorCheck(anchors);
  for (const row of rows) check.see(row);
  return check.finish();
}
