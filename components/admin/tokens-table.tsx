import { RevokeTokenButton } from "@/app/admin/tokens/client";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
import type { listTokens } from "@/lib/tokens/store";

// The tokens page's table: every token, active ones with their Revoke button.

type TToken = Awaited<ReturnType<typeof listTokens>>[number];

export function TokensTable({ tokens }: { tokens: TToken[] }) {
  return (
    <Table
      data-testid="tokens"
      caption="API tokens: name, scopes, the start of the token, who created it and when, last use, and status"
      captionHidden
      rows={tokens}
      rowKey={(t) => t.id}
      rowProps={(t) => ({ "data-token": t.name, className: t.revokedAt ? "text-slate-500 dark:text-slate-400" : "" })}
      columns={[
        { key: "name", header: "Name", primary: true, className: "font-medium", cell: (t) => t.name },
        {
          key: "scopes",
          header: "Scopes",
          cell: (t) => (
            <ul>
              {t.scopes.map((s) => (
                <li key={s}>
                  <code className="font-mono text-xs">{s}</code>
                </li>
              ))}
            </ul>
          ),
        },
        { key: "hint", header: "Starts with", cell: (t) => <code className="font-mono text-xs">{t.hint}</code> },
        {
          key: "created",
          header: "Created",
          className: "text-xs",
          cell: (t) => (
            <>
              {t.createdBy}
              <div>
                <LocalTime iso={t.createdAt.toISOString()} />
              </div>
            </>
          ),
        },
        {
          key: "used",
          header: "Last used",
          className: "text-xs",
          cell: (t) => (t.lastUsedAt ? <LocalTime iso={t.lastUsedAt.toISOString()} /> : "never"),
        },
        {
          key: "status",
          header: "Status",
          className: "relative",
          cell: (t) =>
            t.revokedAt ? (
              <span className="text-xs">
                Revoked <LocalTime iso={t.revokedAt.toISOString()} />
              </span>
            ) : (
              <div className="space-y-1">
                <span className="text-emerald-800 dark:text-emerald-300">Active</span>
                <RevokeTokenButton name={t.name} />
              </div>
            ),
        },
      ]}
    />
  );
}
