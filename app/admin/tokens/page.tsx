import type { Metadata } from "next";
import { connection } from "next/server";
import { LocalTime } from "@/components/ui/local-time";
import { requirePermission } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { listTokens } from "@/lib/tokens/store";
import { SCOPES, type TScope } from "@/lib/tokens/token";
import { CreateTokenForm, RevokeTokenButton } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "API tokens" };

const SCOPE_DESCRIPTIONS: Record<TScope, string> = {
  "evidence:write": "Push JUnit, k6, chaos and attestation evidence (/api/v1/evidence/…).",
  "readiness:read": "Read the readiness and the gate verdict (/api/v1/readiness, npx preflight gate).",
  "audit:read": "Read the audit chain's head, to keep a copy of it outside Preflight (/api/v1/audit/head).",
};

const th = "px-3 py-2";
const td = "px-3 py-2 align-top";

async function TokensPage() {
  await connection();
  await requirePermission("tokens:manage");
  const tokens = await listTokens(getPrisma());
  const active = tokens.filter((t) => !t.revokedAt).length;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">API tokens</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Tokens let CI push evidence and ask the gate, as <code className="font-mono">Authorization: Bearer pf_…</code>. Preflight stores only a hash of each:
          a token is shown once, when it is created. Creating and revoking are recorded in the audit log.
        </p>
      </div>

      <section aria-labelledby="create-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="create-heading" className="text-lg font-semibold">
          Create a token
        </h2>
        <CreateTokenForm scopes={SCOPES.map((id) => ({ id, description: SCOPE_DESCRIPTIONS[id] }))} />
      </section>

      <section aria-labelledby="tokens-heading" className="space-y-3">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          Tokens ({active} active{tokens.length > active ? `, ${tokens.length - active} revoked` : ""})
        </h2>
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">No tokens yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="w-full text-left text-sm" data-testid="tokens">
              <caption className="sr-only">API tokens: name, scopes, the start of the token, who created it and when, last use, and status</caption>
              <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
                <tr>
                  <th scope="col" className={th}>Name</th>
                  <th scope="col" className={th}>Scopes</th>
                  <th scope="col" className={th}>Starts with</th>
                  <th scope="col" className={th}>Created</th>
                  <th scope="col" className={th}>Last used</th>
                  <th scope="col" className={th}>Status</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} data-token={t.name} className={`border-b border-slate-100 last:border-0 dark:border-slate-800 ${t.revokedAt ? "text-slate-500 dark:text-slate-400" : ""}`}>
                    <th scope="row" className={`${td} font-medium`}>
                      {t.name}
                    </th>
                    <td className={td}>
                      <ul>
                        {t.scopes.map((s) => (
                          <li key={s}>
                            <code className="font-mono text-xs">{s}</code>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className={td}>
                      <code className="font-mono text-xs">{t.hint}</code>
                    </td>
                    <td className={`${td} text-xs`}>
                      {t.createdBy}
                      <div>
                        <LocalTime iso={t.createdAt.toISOString()} />
                      </div>
                    </td>
                    <td className={`${td} text-xs`}>{t.lastUsedAt ? <LocalTime iso={t.lastUsedAt.toISOString()} /> : "never"}</td>
                    <td className={td}>
                      {t.revokedAt ? (
                        <span className="text-xs">
                          Revoked <LocalTime iso={t.revokedAt.toISOString()} />
                        </span>
                      ) : (
                        <div className="space-y-1">
                          <span className="text-emerald-800 dark:text-emerald-300">Active</span>
                          <RevokeTokenButton name={t.name} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export default withDatabasePage(TokensPage);
