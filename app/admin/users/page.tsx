import type { Metadata } from "next";
import { connection } from "next/server";
import { roleName, UsersTable } from "@/components/admin/users-table";
import { Card, Section } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getPublicBaseUrl } from "@/lib/public-url";
import { listOpenInvitations, listUsers } from "@/lib/queries/users";
import { InviteForm, type TSignOffRoleOption } from "./client";
import { OpenInvitations, type TOpenInvitationRow } from "./invitations";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Users" };

async function UsersPage() {
  await connection();
  const actor = await requirePermission("users:manage");
  const { config } = getConfig();
  const prisma = getPrisma();
  const now = new Date();
  const [users, invitations] = await Promise.all([listUsers(prisma), listOpenInvitations(prisma, now)]);
  const signOffRoles: TSignOffRoleOption[] = config.signoff?.roles.map((r) => ({ id: r.id, name: r.name })) ?? [];
  const names = new Map(signOffRoles.map((r) => [r.id, r.name]));
  const publicBase = getPublicBaseUrl(getEnv());
  const openInvitations: TOpenInvitationRow[] = invitations.map((i) => ({
    id: i.id,
    name: i.name,
    email: i.email,
    role: roleName(i.role),
    signOffRoles: i.signOffRoles.map((id) => ({ id, name: names.get(id) ?? null })),
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
  }));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Users</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Who can sign in, with which role, and which sign-off roles each approver holds. People join by invitation:
          Preflight sends no email, so pass the link on yourself. Every change is recorded in the audit log.
        </p>
      </div>

      <Card id="invite" title="Invite someone">
        <div>
          <p className="text-xs text-slate-600 dark:text-slate-300">
            The link is valid for 7 days and works once; a new invitation for the same address replaces an open one, and
            an open one can be revoked below.
          </p>
          {publicBase.ok ? null : (
            <p
              role="note"
              className="mt-2 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
            >
              No invitation can be made yet: {publicBase.message}. Links are never built from the address a request
              names.
            </p>
          )}
        </div>
        <InviteForm signOffRoles={signOffRoles} />
      </Card>

      <Section id="invitations" title="Open invitations" className="space-y-3">
        <OpenInvitations invitations={openInvitations} />
      </Section>

      <Section id="users" title={`People (${users.length})`} className="space-y-3">
        <UsersTable users={users} actorId={actor.id} signOffRoles={signOffRoles} />
      </Section>
    </div>
  );
}

export default withDatabasePage(UsersPage);
