import type { Metadata } from "next";
import { connection } from "next/server";
import { LocalTime } from "@/components/ui/local-time";
import { isRole, ROLE_LABELS } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getPublicBaseUrl } from "@/lib/public-url";
import { listOpenInvitations, listUsers } from "@/lib/queries/users";
import { InviteForm, UserEditForm, type TSignOffRoleOption } from "./client";
import { OpenInvitations, type TOpenInvitationRow } from "./invitations";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Users" };

const th = "px-3 py-2";
const td = "px-3 py-2 align-top";

function roleName(role: string): string {
  return isRole(role) ? ROLE_LABELS[role].split(":")[0] ?? role : role;
}

function SignOffNames({ ids, names }: { ids: string[]; names: Map<string, string> }) {
  if (ids.length === 0) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {ids.map((id) => (
        <li key={id}>{names.get(id) ?? <span title="no longer in the configuration">{id} (not configured)</span>}</li>
      ))}
    </ul>
  );
}

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
          Who can sign in, with which role, and which sign-off roles each approver holds. People join by invitation: Preflight sends no email, so pass the
          link on yourself. Every change is recorded in the audit log.
        </p>
      </div>

      <section aria-labelledby="invite-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <div>
          <h2 id="invite-heading" className="text-lg font-semibold">
            Invite someone
          </h2>
          <p className="text-xs text-slate-600 dark:text-slate-300">
            The link is valid for 7 days and works once; a new invitation for the same address replaces an open one, and an open one can be revoked below.
          </p>
          {publicBase.ok ? null : (
            <p role="note" className="mt-2 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
              No invitation can be made yet: {publicBase.message}. Links are never built from the address a request names.
            </p>
          )}
        </div>
        <InviteForm signOffRoles={signOffRoles} />
      </section>

      <section aria-labelledby="invitations-heading" className="space-y-3">
        <h2 id="invitations-heading" className="text-lg font-semibold">
          Open invitations
        </h2>
        <OpenInvitations invitations={openInvitations} />
      </section>

      <section aria-labelledby="users-heading" className="space-y-3">
        <h2 id="users-heading" className="text-lg font-semibold">
          People ({users.length})
        </h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="users">
            <caption className="sr-only">Users: name, email, role, sign-off roles, status, last seen, and a form to change them</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className={th}>Name</th>
                <th scope="col" className={th}>Email</th>
                <th scope="col" className={th}>Role</th>
                <th scope="col" className={th}>Sign-off roles</th>
                <th scope="col" className={th}>Status</th>
                <th scope="col" className={th}>Last seen</th>
                <th scope="col" className={th}>
                  <span className="sr-only">Change</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user={u.email} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <th scope="row" className={`${td} font-medium`}>
                    {u.name}
                    {u.id === actor.id ? <span className="ml-1 text-xs font-normal text-slate-500 dark:text-slate-400">(you)</span> : null}
                  </th>
                  <td className={td}>{u.email}</td>
                  <td className={td}>{roleName(u.role)}</td>
                  <td className={td}>
                    <SignOffNames ids={u.signOffRoles} names={names} />
                  </td>
                  <td className={td}>
                    {u.disabledAt ? (
                      <span className="text-red-800 dark:text-red-300">
                        Disabled <span className="text-xs">since <LocalTime iso={u.disabledAt.toISOString()} dateOnly /></span>
                      </span>
                    ) : (
                      <span className="text-emerald-800 dark:text-emerald-300">Active</span>
                    )}
                  </td>
                  <td className={`${td} text-xs`}>
                    {u.lastSeenAt ? <LocalTime iso={u.lastSeenAt.toISOString()} /> : <span className="text-slate-500 dark:text-slate-400">no session</span>}
                  </td>
                  <td className={td}>
                    <details>
                      <summary className="cursor-pointer text-sm underline underline-offset-2">
                        Change<span className="sr-only"> {u.name}</span>
                      </summary>
                      <UserEditForm user={{ id: u.id, name: u.name, role: u.role, signOffRoles: u.signOffRoles, disabled: u.disabled }} isSelf={u.id === actor.id} signOffRoles={signOffRoles} />
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

export default withDatabasePage(UsersPage);
