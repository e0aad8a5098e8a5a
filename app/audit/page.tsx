import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { AuditFilter, AuditTable, ChainStatus } from "@/components/audit/audit-parts";
import { verifyAuditLog } from "@/lib/audit/verify";
import { requirePermission } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { listAuditEntries, listAuditEntityTypes } from "@/lib/queries/audit";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;

type Props = { searchParams: Promise<{ entity?: string | string[]; before?: string | string[] }> };

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v === "" ? undefined : v;
}

function auditHref(params: { entity?: string; before?: string }): string {
  const query = new URLSearchParams();
  if (params.entity) query.set("entity", params.entity);
  if (params.before) query.set("before", params.before);
  const text = query.toString();
  return text ? `/audit?${text}` : "/audit";
}

async function AuditPage({ searchParams }: Props) {
  await requirePermission("audit:read");
  await connection();
  const params = await searchParams;
  const entity = single(params.entity);
  const before = single(params.before);
  const prisma = getPrisma();
  const [page, entityTypes, verdict] = await Promise.all([
    listAuditEntries(prisma, { before, limit: PAGE_SIZE, entityType: entity }),
    listAuditEntityTypes(prisma),
    verifyAuditLog(prisma),
  ]);

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">Audit log</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Every change made through Preflight, newest first. Entries are append-only, and each stores the SHA-256 of its
          fields and of the entry before it, so a rewritten, removed or inserted row breaks the chain below.
        </p>
        <ChainStatus verdict={verdict} />
      </div>

      <AuditFilter entity={entity} before={before} entityTypes={entityTypes} />

      {page.entries.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          {before
            ? "No older entries."
            : entity
              ? `No audit entries for entity type “${entity}”.`
              : "No audit entries yet: changes made through Preflight appear here."}
        </p>
      ) : (
        <AuditTable entries={page.entries} entity={entity} brokenAt={verdict.ok ? null : verdict.brokenAt} />
      )}

      {page.nextCursor || before ? (
        <nav aria-label="Audit log pages" className="flex gap-4 text-sm">
          {before ? (
            <Link href={auditHref({ entity })} className="underline underline-offset-2">
              <span aria-hidden="true">« </span>Newest
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link
              href={auditHref({ entity, before: page.nextCursor })}
              rel="next"
              className="underline underline-offset-2"
            >
              Older<span aria-hidden="true"> »</span>
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export default withDatabasePage(AuditPage);
