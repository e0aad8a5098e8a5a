import canonicalize from "canonicalize";
import type { Prisma, PrismaClient } from "../generated/prisma/client";

export type TAuditChange = {
  /** The top-level key that changed; null when before/after are not both objects (the whole value changed). */
  key: string | null;
  /** Compact JSON of the value before and after; null when the key (or the value) is absent on that side. */
  before: string | null;
  after: string | null;
};

export type TAuditListEntry = {
  id: string;
  at: string;
  actor: { type: string; id: string | null; name: string };
  action: string;
  entity: { type: string; id: string | null };
  before: Prisma.JsonValue | null;
  after: Prisma.JsonValue | null;
  changes: TAuditChange[];
  /** The first 12 hex digits of the entry's hash. */
  hash: string;
};

export type TAuditPage = { entries: TAuditListEntry[]; nextCursor: string | null };

export type TListAuditOptions = {
  /** Entries older than this one (an id, as decimal text): the nextCursor of the page before. */
  before?: string;
  limit?: number;
  entityType?: string;
  action?: string;
};

export const AUDIT_PAGE_MAX = 200;
const CURSOR = /^[1-9]\d{0,18}$/;

type TJsonObject = { [key: string]: Prisma.JsonValue | null | undefined };

function isObject(value: unknown): value is TJsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compact(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * What an entry changed, key by key: the top-level keys whose values differ between before and after (compared
 * as canonical JSON, so key order inside a value does not count), in key order. A creation lists every key of
 * after, a deletion every key of before.
 */
export function diffAudit(before: unknown, after: unknown): TAuditChange[] {
  const b = before ?? null;
  const a = after ?? null;
  if ((b === null || isObject(b)) && (a === null || isObject(a))) {
    const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].sort();
    return keys
      .map((key) => ({ key, b: b?.[key], a: a?.[key] }))
      .filter(({ b: x, a: y }) => (x === undefined) !== (y === undefined) || canonicalize(x) !== canonicalize(y))
      .map(({ key, b: x, a: y }) => ({ key, before: compact(x), after: compact(y) }));
  }
  return canonicalize(b) === canonicalize(a)
    ? []
    : [{ key: null, before: b === null ? null : compact(b), after: a === null ? null : compact(a) }];
}

/** Audit entries newest first, a page at a time, optionally of one entity type or action. */
export async function listAuditEntries(
  prisma: Pick<PrismaClient, "auditLog">,
  options: TListAuditOptions = {},
): Promise<TAuditPage> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), AUDIT_PAGE_MAX);
  // A cursor comes from a URL: one that is not an id (or is out of bigint range) starts from the newest entry.
  const before =
    options.before !== undefined && CURSOR.test(options.before) && BigInt(options.before) <= 9_223_372_036_854_775_807n
      ? BigInt(options.before)
      : undefined;
  const rows = await prisma.auditLog.findMany({
    where: {
      ...(before === undefined ? {} : { id: { lt: before } }),
      ...(options.entityType ? { entityType: options.entityType } : {}),
      ...(options.action ? { action: options.action } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((row) => ({
      id: row.id.toString(),
      at: row.at.toISOString(),
      actor: { type: row.actorType, id: row.actorId, name: row.actorName },
      action: row.action,
      entity: { type: row.entityType, id: row.entityId },
      before: row.before,
      after: row.after,
      changes: diffAudit(row.before, row.after),
      hash: row.hash.slice(0, 12),
    })),
    nextCursor: rows.length > limit && last ? last.id.toString() : null,
  };
}

/** The entity types that have audit entries, for the filter. */
export async function listAuditEntityTypes(prisma: Pick<PrismaClient, "auditLog">): Promise<string[]> {
  const groups = await prisma.auditLog.groupBy({ by: ["entityType"], orderBy: { entityType: "asc" } });
  return groups.map((g) => g.entityType);
}
