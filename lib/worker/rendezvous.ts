import { createHash } from "node:crypto";

// Rendezvous (highest random weight) hashing with bounded loads: every (worker, component) pair has a random but
// fixed weight, and the pairs are taken heaviest first, each component going to the first worker that still has room
// for it, room being an equal share (N components over W workers: ⌊N/W⌋ or ⌈N/W⌉ each). Every worker computes the same answer
// from the same list of live workers, with no coordination; the shares are equal to within one component however few
// there are (plain rendezvous hashing splits 5 components 4 and 1 often enough); and when a worker joins or leaves,
// only about its share of the components moves, not a reshuffle of the rest.

function weight(member: string, componentId: string): bigint {
  return createHash("sha256").update(member).update("\u0000").update(componentId).digest().readBigUInt64BE(0);
}

/** Which live worker probes each component. */
export function assignShares(members: readonly string[], componentIds: readonly string[]): Map<string, string> {
  const workers = [...new Set(members)].sort();
  const assigned = new Map<string, string>();
  if (workers.length === 0) return assigned;
  // Room: ⌊N/W⌋ each, and one more for the first N mod W workers to fill up to it.
  const base = Math.floor(componentIds.length / workers.length);
  let extra = componentIds.length % workers.length;
  const pairs = componentIds.flatMap((id) => workers.map((member) => ({ id, member, w: weight(member, id) })));
  // Heaviest first; ties (never in practice with 64 bits) by name, so that every worker still agrees.
  pairs.sort((a, b) => (a.w === b.w ? (a.member + a.id < b.member + b.id ? -1 : 1) : a.w > b.w ? -1 : 1));
  const load = new Map<string, number>();
  for (const { id, member } of pairs) {
    const current = load.get(member) ?? 0;
    if (assigned.has(id) || current > base || (current === base && extra === 0)) continue;
    if (current === base) extra--;
    assigned.set(id, member);
    load.set(member, current + 1);
  }
  return assigned;
}

/** The components among `componentIds` that `self` probes when `members` are the live workers (self included). */
export function shareOf(self: string, members: readonly string[], componentIds: readonly string[]): Set<string> {
  const all = members.includes(self) ? members : [...members, self];
  const assigned = assignShares(all, componentIds);
  return new Set(componentIds.filter((id) => assigned.get(id) === self));
}
