import type { Metadata } from "next";
import { connection } from "next/server";
import { TokensTable } from "@/components/admin/tokens-table";
import { Card, Section } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/session";
import { getPrisma } from "@/lib/db/client";
import { listTokens } from "@/lib/tokens/store";
import { SCOPES, type TScope } from "@/lib/tokens/token";
import { CreateTokenForm } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "API tokens" };

const SCOPE_DESCRIPTIONS: Record<TScope, string> = {
  "evidence:write": "Push JUnit, k6, chaos and attestation evidence (/api/v1/evidence/…).",
  "readiness:read": "Read the readiness and the gate verdict (/api/v1/readiness, npx preflight gate).",
  "audit:read": "Read the audit chain's head, to keep a copy of it outside Preflight (/api/v1/audit/head).",
};

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
          Tokens let CI push evidence and ask the gate, as <code className="font-mono">Authorization: Bearer pf_…</code>
          . Preflight stores only a hash of each: a token is shown once, when it is created. Creating and revoking are
          recorded in the audit log.
        </p>
      </div>

      <Card id="create" title="Create a token">
        <CreateTokenForm scopes={SCOPES.map((id) => ({ id, description: SCOPE_DESCRIPTIONS[id] }))} />
      </Card>

      <Section
        id="tokens"
        title={`Tokens (${active} active${tokens.length > active ? `, ${tokens.length - active} revoked` : ""})`}
        className="space-y-3"
      >
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">No tokens yet.</p>
        ) : (
          <TokensTable tokens={tokens} />
        )}
      </Section>
    </div>
  );
}

export default withDatabasePage(TokensPage);
