"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { LocalTime } from "@/components/ui/local-time";
import { revokeInvitationAction, type TRevokeInvitationState } from "./actions";

// The open invitations, each with a Revoke button. One action state for the whole table: a revoked row leaves the
// list at once (the page is revalidated), and the notice of what was revoked stays above it.

export type TOpenInvitationRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  /** Sign-off roles by id, with their configured name (null: no longer in the configuration). */
  signOffRoles: { id: string; name: string | null }[];
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
};

const th = "px-3 py-2";
const td = "px-3 py-2 align-top";
const secondary = "rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";

function SignOffRoleNames({ roles }: { roles: TOpenInvitationRow["signOffRoles"] }) {
  if (roles.length === 0) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {roles.map((r) => (
        <li key={r.id}>{r.name ?? <span title="no longer in the configuration">{r.id} (not configured)</span>}</li>
      ))}
    </ul>
  );
}

export function OpenInvitations({ invitations }: { invitations: TOpenInvitationRow[] }) {
  const [state, dispatch, pending] = useActionState<TRevokeInvitationState, FormData>(revokeInvitationAction, { status: "idle" });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return (
    <div className="space-y-3">
      {state.status === "ok" ? (
        <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">
          <span aria-hidden="true">✓ </span>
          {state.message}
        </p>
      ) : null}
      {state.status === "error" ? (
        <p role="alert" className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100">
          Not revoked: {state.error}
        </p>
      ) : null}
      {invitations.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">None waiting.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" data-testid="open-invitations">
            <caption className="sr-only">Invitations not yet accepted: person, role, sign-off roles, who invited them, until when the link works, and a button to revoke it</caption>
            <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className={th}>Person</th>
                <th scope="col" className={th}>Role</th>
                <th scope="col" className={th}>Sign-off roles</th>
                <th scope="col" className={th}>Invited</th>
                <th scope="col" className={th}>Link works until</th>
                <th scope="col" className={th}>
                  <span className="sr-only">Revoke</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.id} data-invitation={i.email} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <th scope="row" className={`${td} font-medium`}>
                    {i.name}
                    <div className="text-xs font-normal text-slate-600 dark:text-slate-300">{i.email}</div>
                  </th>
                  <td className={td}>{i.role}</td>
                  <td className={td}>
                    <SignOffRoleNames roles={i.signOffRoles} />
                  </td>
                  <td className={`${td} text-xs`}>
                    by {i.invitedBy}, <LocalTime iso={i.createdAt} />
                  </td>
                  <td className={`${td} text-xs`}>
                    <LocalTime iso={i.expiresAt} />
                  </td>
                  <td className={td}>
                    <form onSubmit={submit}>
                      <input type="hidden" name="invitationId" value={i.id} />
                      <button type="submit" disabled={pending} className={secondary}>
                        Revoke<span className="sr-only"> the invitation of {i.email}</span>
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
