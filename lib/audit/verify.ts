import type { PrismaClient } from "../generated/prisma/client";
import { verifyChain, type TChainRow, type TChainVerdict } from "./chain";

export type TAuditLogVerdict = TChainVerdict & { lastHash: string | null };

type TAuditLogRow = Awaited<ReturnType<PrismaClient["auditLog"]["findMany"]>>[number];

/** A row as the chain hashed it when it was appended: ids as decimal text, times as ISO, JSON as stored. */
export function toChainRow(row: TAuditLogRow): TChainRow {
  return {
    id: row.id.toString(),
    at: row.at.toISOString(),
    actorType: row.actorType,
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: row.before,
    after: row.after,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/**
 * Walks the whole audit log in id order through the hash chain, a batch at a time (keyset on id, so each batch
 * costs the same however deep it is and memory stays at one batch). Entries appended while it runs are verified
 * too: appends are serialised, so every read sees a prefix of the chain. `entries` counts the entries read, up
 * to and including the broken one. `onRow` sees each entry read, in id order (the anchor check walks with it).
 */
export async function verifyAuditLog(
  prisma: Pick<PrismaClient, "auditLog">,
  { batchSize = 1000, onRow }: { batchSize?: number; onRow?: (row: TChainRow) => void } = {},
): Promise<TAuditLogVerdict> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  let state: { hash: string | null; entries: number } = { hash: null, entries: 0 };
  let after: bigint | null = null;
  for (;;) {
    const rows: TAuditLogRow[] = await prisma.auditLog.findMany({
      where: after === null ? undefined : { id: { gt: after } },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    const chainRows = rows.map(toChainRow);
    if (onRow) for (const row of chainRows) onRow(row);
    const verdict = verifyChain(chainRows, state);
    const last = rows.at(-1);
    if (!verdict.ok || rows.length < batchSize || last === undefined) return verdict;
    state = { hash: verdict.lastHash, entries: verdict.entries };
    after = last.id;
  }
}
