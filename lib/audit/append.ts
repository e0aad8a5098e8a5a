import { Prisma } from "../generated/prisma/client";
import { offerAnchor } from "./anchor-hook";
import { auditHash, type TAuditActor } from "./chain";

export type TAuditEntry = {
  actor: TAuditActor;
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
};

type Tx = Prisma.TransactionClient;

/** JSON as stored: what a JSONB column gives back (no undefined, no Date objects, no bigint). */
function plain(value: unknown): Prisma.InputJsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
  ) as Prisma.InputJsonValue;
}

/**
 * Appends an entry to the audit log inside the caller's transaction, so the mutation and its record commit or
 * roll back together. Entries are serialised by an advisory lock: each links to the one before it. Once the
 * transaction commits, the client anchors the entry outside the database (lib/audit/anchor-hook.ts); a client that
 * cannot (not made by createPrismaClient) is refused, so no entry is ever committed unanchored.
 */
export async function appendAudit(tx: Tx, entry: TAuditEntry, now = new Date()): Promise<{ id: string; hash: string }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preflight.audit_log'))`;
  // After the lock, so the statement's snapshot sees the last committed entry. The first entry's hash names the chain.
  const [head] = await tx.$queryRaw<{ next_id: bigint; last_hash: string | null; first_hash: string | null }[]>`
    SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS next_id,
      (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS last_hash,
      (SELECT hash FROM audit_log ORDER BY id ASC LIMIT 1) AS first_hash`;
  if (!head) throw new Error("audit log: no id from its sequence");
  const id = head.next_id;
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
    prevHash: head.last_hash,
  };
  const hash = auditHash(fields);
  const offer = offerAnchor({ chain: head.first_hash ?? hash, id: fields.id, hash, at: fields.at });
  try {
    await tx.$executeRaw(Prisma.sql`${Prisma.raw(offer.marker)}
      INSERT INTO "audit_log" ("id", "at", "actor_type", "actor_id", "actor_name", "action", "entity_type", "entity_id", "before", "after", "prev_hash", "hash")
      VALUES (${id}::bigint, ${fields.at}::timestamptz, ${fields.actorType}, ${fields.actorId}, ${fields.actorName}, ${fields.action}, ${fields.entityType},
        ${fields.entityId}, ${json(before)}::jsonb, ${json(after)}::jsonb, ${fields.prevHash}, ${hash})`);
  } finally {
    offer.withdraw();
  }
  if (!offer.taken())
    throw new Error(
      "audit entry refused: this Prisma client does not anchor audit entries (make it with createPrismaClient)",
    );
  return { id: fields.id, hash };
}

function json(value: Prisma.InputJsonValue | null): string | null {
  return value === null ? null : JSON.stringify(value);
}
