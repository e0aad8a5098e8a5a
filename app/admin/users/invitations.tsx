"use client";

import { startTransition, useActionState, type FormEvent } from "react";
import { ALERT, BUTTON, OK } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
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
  const [state, dispatch, pending] = useActionState<TRevokeInvitationState, FormData>(revokeInvitationAction, {
    status: "idle",
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return (
    <div className="space-y-3">
      {state.status === "ok" ? (
        <p role="status" className={OK}>
          <span aria-hidden="true">✓ </span>
          {state.message}
        </p>
      ) : null}
      {state.status === "error" ? (
        <p role="alert" className={ALERT}>
          Not revoked: {state.error}
        </p>
      ) : null}
      {invitations.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">None waiting.</p>
      ) : (
        <Table
          data-testid="open-invitations"
          caption="Invitations not yet accepted: person, role, sign-off roles, who invited them, until when the link works, and a button to revoke it"
          captionHidden
          rows={invitations}
          rowKey={(i) => i.id}
          rowProps={(i) => ({ "data-invitation": i.email })}
          columns={[
            {
              key: "person",
              header: "Person",
              primary: true,
              className: "font-medium",
              cell: (i) => (
                <>
                  {i.name}
                  <div className="text-xs font-normal [overflow-wrap:anywhere] text-slate-600 dark:text-slate-300">
                    {i.email}
                  </div>
                </>
              ),
            },
            { key: "role", header: "Role", cell: (i) => i.role },
            { key: "signoff", header: "Sign-off roles", cell: (i) => <SignOffRoleNames roles={i.signOffRoles} /> },
            {
              key: "invited",
              header: "Invited",
              className: "text-xs",
              cell: (i) => (
                <>
                  by {i.invitedBy}, <LocalTime iso={i.createdAt} />
                </>
              ),
            },
            {
              key: "until",
              header: "Link works until",
              className: "text-xs",
              cell: (i) => <LocalTime iso={i.expiresAt} />,
            },
            {
              key: "revoke",
              header: <span className="sr-only">Revoke</span>,
              label: "",
              className: "relative",
              cell: (i) => (
                <form onSubmit={submit}>
                  <input type="hidden" name="invitationId" value={i.id} />
                  <button type="submit" disabled={pending} className={BUTTON.secondary}>
                    Revoke<span className="sr-only"> the invitation of {i.email}</span>
                  </button>
                </form>
              ),
            },
          ]}
        />
      )}
    </div>
  );
}
