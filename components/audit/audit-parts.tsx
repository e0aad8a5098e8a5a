import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { BUTTON, Select } from "@/components/ui/field";
import { Table } from "@/components/ui/table";
import type { TAuditLogVerdict } from "@/lib/audit/verify";
import type { listAuditEntries, TAuditChange } from "@/lib/queries/audit";

// The audit page's parts: the chain's verdict, the filter, and the entries.

const MAX_CHANGES = 6;
const MAX_VALUE_CHARS = 48;

type TEntry = Awaited<ReturnType<typeof listAuditEntries>>["entries"][number];
const small = "text-xs text-slate-500 dark:text-slate-400";

export function ChainStatus({ verdict }: { verdict: TAuditLogVerdict }) {
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
    <p
      role="alert"
      data-testid="audit-chain"
      data-chain="broken"
      className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <span aria-hidden="true">✕ </span>
      <strong>Chain: BROKEN at entry {verdict.brokenAt}</strong>: {verdict.reason}. The entries before it verify; this
      one and every later one cannot be trusted until the database is compared with a backup.
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
      {changes.length > shown.length ? (
        <li className="text-slate-500 dark:text-slate-400">and {changes.length - shown.length} more</li>
      ) : null}
    </ul>
  );
}

export function AuditFilter({
  entity,
  before,
  entityTypes,
}: {
  entity: string | undefined;
  before: string | undefined;
  entityTypes: string[];
}) {
  return (
    <form
      method="get"
      action="/audit"
      className="flex flex-wrap items-end gap-2"
      role="search"
      aria-label="Filter the audit log"
    >
      <label className="text-sm">
        <span className="mb-1 block font-medium">Entity type</span>
        <Select name="entity" defaultValue={entity ?? ""}>
          <option value="">All entity types</option>
          {entity && !entityTypes.includes(entity) ? <option value={entity}>{entity}</option> : null}
          {entityTypes.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
      </label>
      <button type="submit" className={BUTTON.primary}>
        Filter
      </button>
      {entity || before ? (
        <Link href="/audit" className="py-1.5 text-sm underline underline-offset-2">
          Show all, newest first
        </Link>
      ) : null}
    </form>
  );
}

export function AuditTable({
  entries,
  entity,
  brokenAt,
}: {
  entries: TEntry[];
  entity: string | undefined;
  brokenAt: number | string | null;
}) {
  return (
    <Table
      data-testid="audit-log"
      caption={`Audit log${entity ? ` of entity type ${entity}` : ""}, newest first: time, actor, action, entity, what changed and the entry's hash`}
      captionHidden
      rows={entries}
      rowKey={(e) => String(e.id)}
      rowProps={(e) => ({
        id: `entry-${e.id}`,
        "data-entry": e.id,
        className: brokenAt !== null && brokenAt === e.id ? "bg-red-50 dark:bg-red-950" : "",
      })}
      columns={[
        {
          key: "time",
          header: "Time",
          primary: true,
          className: "font-normal md:whitespace-nowrap",
          cell: (e) => (
            <>
              <LocalTime iso={e.at} />
              <div className={small}>#{e.id}</div>
            </>
          ),
        },
        {
          key: "actor",
          header: "Actor",
          cell: (e) => (
            <>
              {e.actor.name}
              <div className={small}>{e.actor.type}</div>
            </>
          ),
        },
        { key: "action", header: "Action", cell: (e) => <code className="font-mono text-xs">{e.action}</code> },
        {
          key: "entity",
          header: "Entity",
          cell: (e) => (
            <>
              {e.entity.type}
              {e.entity.id ? <div className={`font-mono ${small}`}>{e.entity.id}</div> : null}
            </>
          ),
        },
        {
          key: "change",
          header: "Change",
          className: "text-xs md:min-w-64 md:max-w-md",
          cell: (e) => <Changes changes={e.changes} />,
        },
        {
          key: "hash",
          header: "Hash",
          className: "[overflow-wrap:anywhere]",
          cell: (e) => <code className="font-mono text-xs">{e.hash}</code>,
        },
      ]}
    />
  );
}
