import { UserEditForm, type TSignOffRoleOption } from "@/app/admin/users/client";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
import { isRole, ROLE_LABELS } from "@/lib/auth/permissions";
import type { listUsers } from "@/lib/queries/users";

// The users page's table of people, each with a form to change their role, sign-off roles and status.

type TUser = Awaited<ReturnType<typeof listUsers>>[number];
const muted = "text-slate-500 dark:text-slate-400";

export function roleName(role: string): string {
  return isRole(role) ? (ROLE_LABELS[role].split(":")[0] ?? role) : role;
}

function SignOffNames({ ids, names }: { ids: string[]; names: Map<string, string> }) {
  if (ids.length === 0) return <span className={muted}>—</span>;
  return (
    <ul className="space-y-0.5">
      {ids.map((id) => (
        <li key={id}>{names.get(id) ?? <span title="no longer in the configuration">{id} (not configured)</span>}</li>
      ))}
    </ul>
  );
}

export function UsersTable({
  users,
  actorId,
  signOffRoles,
}: {
  users: TUser[];
  actorId: string;
  signOffRoles: TSignOffRoleOption[];
}) {
  const names = new Map(signOffRoles.map((r) => [r.id, r.name]));
  return (
    <Table
      data-testid="users"
      caption="Users: name, email, role, sign-off roles, status, last seen, and a form to change them"
      captionHidden
      rows={users}
      rowKey={(u) => u.id}
      rowProps={(u) => ({ "data-user": u.email })}
      columns={[
        {
          key: "name",
          header: "Name",
          primary: true,
          className: "font-medium",
          cell: (u) => (
            <>
              {u.name}
              {u.id === actorId ? <span className={`ml-1 text-xs font-normal ${muted}`}>(you)</span> : null}
            </>
          ),
        },
        { key: "email", header: "Email", className: "[overflow-wrap:anywhere]", cell: (u) => u.email },
        { key: "role", header: "Role", cell: (u) => roleName(u.role) },
        { key: "signoff", header: "Sign-off roles", cell: (u) => <SignOffNames ids={u.signOffRoles} names={names} /> },
        {
          key: "status",
          header: "Status",
          cell: (u) =>
            u.disabledAt ? (
              <span className="text-red-800 dark:text-red-300">
                Disabled{" "}
                <span className="text-xs">
                  since <LocalTime iso={u.disabledAt.toISOString()} dateOnly />
                </span>
              </span>
            ) : (
              <span className="text-emerald-800 dark:text-emerald-300">Active</span>
            ),
        },
        {
          key: "seen",
          header: "Last seen",
          className: "text-xs",
          cell: (u) =>
            u.lastSeenAt ? <LocalTime iso={u.lastSeenAt.toISOString()} /> : <span className={muted}>no session</span>,
        },
        {
          key: "change",
          header: <span className="sr-only">Change</span>,
          label: "",
          className: "relative",
          cell: (u) => (
            <details>
              <summary className="cursor-pointer text-sm underline underline-offset-2">
                Change<span className="sr-only"> {u.name}</span>
              </summary>
              <UserEditForm
                user={{ id: u.id, name: u.name, role: u.role, signOffRoles: u.signOffRoles, disabled: u.disabled }}
                isSelf={u.id === actorId}
                signOffRoles={signOffRoles}
              />
            </details>
          ),
        },
      ]}
    />
  );
}
