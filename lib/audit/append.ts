import type { Prisma } from "../generated/prisma/client";
import { auditHash, type TAuditActor } from "./chain";

export type TAuditEntry = { actor: TAuditActor; action: string; entityType: string; entityId?: string | null; before?: unknown; after?: unknown };

type Tx = Prisma.TransactionClient;

/** JSON as stored: what a JSONB column gives back (no undefined, no Date objects, no bigint). */
function plain(value: unknown): Prisma.InputJsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v))) as Prisma.InputJsonValue;
}

/**
 * Appends an entry to the audit log inside the caller's transaction, so the mutation and its record commit or
 * roll back together. Entries are serialised by an advisory lock: each links to the one before it.
 */
export async function appendAudit(tx: Tx, entry: TAuditEntry, now = new Date()): Promise<{ id: string; hash: string }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preflight.audit_log'))`;
  const last = await tx.auditLog.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const [{ id }] = await tx.$queryRaw<[{ id: bigint }]>`SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id`;
  const at = new Date(Math.floor(now.getTime()));
  const before = plain(entry.before);
  const after = plain(entry.after);
  const fields = {
    id: String(id),
    at: at.toISOString(),
    actorType: entry.actor.type,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    before,
    after,
    prevHash: last?.hash ?? null,
  };
  const hash = auditHash(fields);
  await tx.auditLog.create({
    data: {
      id,
      at,
      actorType: fields.actorType,
      actorId: fields.actorId,
      actorName: fields.actorName,
      action: fields.action,
      entityType: fields.entityType,
      entityId: fields.entityId,
      before: before ?? undefined,
      after: after ?? undefined,
      prevHash: fields.prevHash,
      hash,
    },
  });
  return { id: fields.id, hash };
}
