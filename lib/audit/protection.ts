import pg from "pg";

// Whether the app's own database role could switch the audit log's append-only trigger off: a superuser can do
// anything, and the owner of audit_log (or a member of the owning role) can ALTER TABLE ... DISABLE TRIGGER.

export const AUDIT_OWNER_DOCS = 'README, "The audit log\'s owner and its anchor"';

export type TAuditExposure = { role: string; why: string };

/** Why `url`'s role is not kept from rewriting the audit log, or null when it is (or there is no audit log yet). */
export async function findAuditExposure(url: string): Promise<TAuditExposure | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ role: string; superuser: boolean; owner: string; owns: boolean }>(
      `SELECT current_user AS role, r.rolsuper AS superuser, c.relowner::regrole::text AS owner,
              pg_has_role(current_user, c.relowner, 'MEMBER') AS owns
         FROM pg_roles r, pg_class c
        WHERE r.rolname = current_user AND c.oid = to_regclass('audit_log')`,
    );
    const row = rows[0];
    if (!row) return null;
    if (row.superuser) return { role: row.role, why: `"${row.role}" is a superuser` };
    if (!row.owns) return null;
    const why =
      row.owner === row.role
        ? `"${row.role}" owns audit_log`
        : `"${row.role}" is a member of ${row.owner}, which owns audit_log`;
    return { role: row.role, why };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function describeAuditExposure(exposure: TAuditExposure): string {
  return (
    `the audit log is not protected from the app's own database role: ${exposure.why}, so it can switch the ` +
    `append-only trigger off; run the app as a role that does not own the schema (${AUDIT_OWNER_DOCS})`
  );
}
