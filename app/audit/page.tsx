import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { LocalTime } from "@/components/ui/local-time";
import { verifyAuditLog, type TAuditLogVerdict } from "@/lib/audit/verify";
import { requirePermission } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { listAuditEntries, listAuditEntityTypes, type TAuditChange } from "@/lib/queries/audit";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 50;
const MAX_CHANGES = 6;
const MAX_VALUE_CHARS = 48;

type Props = { searchParams: Promise<{ entity?: string | string[]; before?: string | string[] }> };

const input = "rounded border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";
const button = "rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300";

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

function ChainStatus({ verdict }: { verdict: TAuditLogVerdict }) {
  if (verdict.ok) {
    return (
      <p data-testid="audit-chain" data-chain="intact" className="text-sm text-emerald-800 dark:text-emerald-300">
        <span aria-hidden="true">✓ </span>
        Chain: intact, {verdict.entries} {verdict.entries === 1 ? "entry" : "entries"}
        {verdict.lastHash ? (
          <span className="text-slate-600 dark:text-slate-300">
            {" "}
            · last hash <code className="font-mono">{verdict.lastHash.slice(0, 12)}</code>
          </span>
        ) : null}
      </p>
    );
  }
  return (
    <p role="alert" data-testid="audit-chain" data-chain="broken" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      <span aria-hidden="true">✕ </span>
      <strong>Chain: BROKEN at entry {verdict.brokenAt}</strong>: {verdict.reason}. The entries before it verify; this one and every later one cannot
      be trusted until the database is compared with a backup.
    </p>
  );
}

function ChangeValue({ value }: { value: string | null }) {
  if (value === null) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  const short = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS - 1)}…` : value;
  return (
    <code className="font-mono break-all" title={short === value ? undefined : value}>
      {short}
    </code>
  );
}

function Changes({ changes }: { changes: TAuditChange[] }) {
  if (changes.length === 0) return <span className="text-slate-500 dark:text-slate-400">no change recorded</span>;
  const shown = changes.slice(0, MAX_CHANGES);
  return (
    <ul className="space-y-0.5">
      {shown.map((c) => (
        <li key={c.key ?? "(value)"}>
          {c.key === null ? null : <span className="font-medium">{c.key}: </span>}
          <ChangeValue value={c.before} />
          <span aria-hidden="true"> → </span>
          <span className="sr-only"> changed to </span>
          <ChangeValue value={c.after} />
        </li>
      ))}
      {changes.length > shown.length ? <li className="text-slate-500 dark:text-slate-400">and {changes.length - shown.length} more</li> : null}
    </ul>
  );
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
          Every change made through Preflight, newest first. Entries are append-only, and each stores the SHA-256 of its fields and of the entry
          before it, so a rewritten, removed or inserted row breaks the chain below.
        </p>
        <ChainStatus verdict={verdict} />
      </div>

      <form method="get" action="/audit" className="flex flex-wrap items-end gap-2" role="search" aria-label="Filter the audit log">
        <label className="text-sm">
          <span className="mb-1 block font-medium">Entity type</span>
          <select name="entity" defaultValue={entity ?? ""} className={input}>
            <option value="">All entity types</option>
            {entity && !entityTypes.includes(entity) ? <option value={entity}>{entity}</option> : null}
            {entityTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={button}>
          Filter
        </button>
        {entity || before ? (
          <Link href="/audit" className="py-1.5 text-sm underline underline-offset-2">
            Show all, newest first
          </Link>
        ) : null}
      </form>

      {page.entries.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          {before ? "No older entries." : entity ? `No audit entries for entity type “${entity}”.` : "No audit entries yet: changes made through Preflight appear here."}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="audit-log">
            <caption className="sr-only">
              Audit log{entity ? ` of entity type ${entity}` : ""}, newest first: time, actor, action, entity, what changed and the entry&apos;s hash
            </caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className="px-3 py-2">Time</th>
                <th scope="col" className="px-3 py-2">Actor</th>
                <th scope="col" className="px-3 py-2">Action</th>
                <th scope="col" className="px-3 py-2">Entity</th>
                <th scope="col" className="px-3 py-2">Change</th>
                <th scope="col" className="px-3 py-2">Hash</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((e) => (
                <tr
                  key={e.id}
                  id={`entry-${e.id}`}
                  data-entry={e.id}
                  className={`border-b border-slate-100 align-top last:border-0 dark:border-slate-800 ${!verdict.ok && verdict.brokenAt === e.id ? "bg-red-50 dark:bg-red-950" : ""}`}
                >
                  <th scope="row" className="whitespace-nowrap px-3 py-2 font-normal">
                    <LocalTime iso={e.at} />
                    <div className="text-xs text-slate-500 dark:text-slate-400">#{e.id}</div>
                  </th>
                  <td className="px-3 py-2">
                    {e.actor.name}
                    <div className="text-xs text-slate-500 dark:text-slate-400">{e.actor.type}</div>
                  </td>
                  <td className="px-3 py-2">
                    <code className="font-mono text-xs">{e.action}</code>
                  </td>
                  <td className="px-3 py-2">
                    {e.entity.type}
                    {e.entity.id ? <div className="font-mono text-xs text-slate-500 dark:text-slate-400">{e.entity.id}</div> : null}
                  </td>
                  <td className="min-w-64 max-w-md px-3 py-2 text-xs">
                    <Changes changes={e.changes} />
                  </td>
                  <td className="px-3 py-2">
                    <code className="font-mono text-xs">{e.hash}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {page.nextCursor || before ? (
        <nav aria-label="Audit log pages" className="flex gap-4 text-sm">
          {before ? (
            <Link href={auditHref({ entity })} className="underline underline-offset-2">
              <span aria-hidden="true">« </span>Newest
            </Link>
          ) : null}
          {page.nextCursor ? (
            <Link href={auditHref({ entity, before: page.nextCursor })} rel="next" className="underline underline-offset-2">
              Older<span aria-hidden="true"> »</span>
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

export default withDatabasePage(AuditPage);
