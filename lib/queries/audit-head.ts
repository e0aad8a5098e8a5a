import type { PrismaClient } from "../generated/prisma/client";

/**
 * The audit chain's head: its last entry (id, hash, time), how many entries it has, and the hash of its first, which
 * names the chain. In the shape of an anchor line (lib/audit/anchor.ts), so a copy kept elsewhere can be checked
 * with `npm run audit:verify -- --anchor`. One statement, so the figures agree with each other.
 */
export type TAuditHead = {
  chain: string | null;
  id: string | null;
  hash: string | null;
  at: string | null;
  entries: number;
};

export async function getAuditHead({ prisma }: { prisma: Pick<PrismaClient, "$queryRaw"> }): Promise<TAuditHead> {
  const [row] = await prisma.$queryRaw<
    { id: string | null; hash: string | null; at: Date | null; entries: bigint; chain: string | null }[]
  >`
    SELECT last.id::text AS id, last.hash, last.at,
      (SELECT count(*) FROM audit_log) AS entries,
      (SELECT hash FROM audit_log ORDER BY id ASC LIMIT 1) AS chain
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL (SELECT id, hash, at FROM audit_log ORDER BY id DESC LIMIT 1) AS last ON true`;
  return {
    chain: row?.chain ?? null,
    id: row?.id ?? null,
    hash: row?.hash ?? null,
    at: row?.at?.toISOString() ?? null,
    entries: Number(row?.entries ?? 0),
  };
}
