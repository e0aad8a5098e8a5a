"use client";

import { useId, useState } from "react";
import { ActionForm, type TFieldErrors } from "@/components/ui/action-form";
import { BUTTON, Field, FieldErrors, Select, TextField } from "@/components/ui/field";
import { LocalTime } from "@/components/ui/local-time";
import { isRole, ROLE_LABELS, ROLES, type TRole } from "@/lib/auth/permissions";
import { inviteUserAction, updateUserAction, type TInviteState, type TUpdateUserState } from "./actions";

// The users page's forms: invite a person (the link is shown once, here, after success) and change one person's
// role, sign-off roles and status. Forms submit without React's automatic reset, so what was typed stays after an
// error; a successful invitation remounts the form empty, a successful edit remounts the row from the server's data.

export type TSignOffRoleOption = { id: string; name: string };

const IDLE_INVITE: TInviteState = { status: "idle", round: 0 };
const IDLE_UPDATE: TUpdateUserState = { status: "idle" };

function RoleSelect({ role, onChange, errors }: { role: TRole; onChange: (role: TRole) => void; errors: string[] }) {
  return (
    <Field label="Role" error={errors}>
      <Select name="role" value={role} onChange={(e) => isRole(e.target.value) && onChange(e.target.value)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </Select>
    </Field>
  );
}

/** Sign-off roles go to approvers only: for any other role the boxes are disabled, so saving drops them. */
function SignOffRoleBoxes({
  options,
  role,
  held,
  errors,
}: {
  options: TSignOffRoleOption[];
  role: TRole;
  held: string[];
  errors: string[];
}) {
  const id = useId();
  if (options.length === 0) {
    return (
      <p className="text-xs text-slate-600 dark:text-slate-300">
        No sign-off roles are configured (signoff.roles in the configuration).
      </p>
    );
  }
  const enabled = role === "approver";
  return (
    <fieldset className="space-y-1" aria-describedby={`${id}-hint${errors.length > 0 ? ` ${id}-error` : ""}`}>
      <legend className="text-sm font-medium">Sign-off roles</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label
            key={o.id}
            className={`flex items-center gap-1.5 text-sm ${enabled ? "" : "text-slate-400 dark:text-slate-500"}`}
          >
            <input
              type="checkbox"
              name="signOffRoles"
              value={o.id}
              defaultChecked={held.includes(o.id)}
              disabled={!enabled}
            />
            {o.name}
          </label>
        ))}
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-300">
        {enabled ? "The roles this person signs for a release." : "Only approvers hold sign-off roles."}
      </p>
      <FieldErrors id={`${id}-error`} error={errors} />
    </fieldset>
  );
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };
  return (
    <button type="button" onClick={copy} className={BUTTON.secondary}>
      {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed: select the text" : label}
      <span className="sr-only" aria-live="polite">
        {copied === "copied" ? " to the clipboard" : ""}
      </span>
    </button>
  );
}

function InviteFields({ options, errors }: { options: TSignOffRoleOption[]; errors: TFieldErrors }) {
  const [role, setRole] = useState<TRole>("viewer");
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField name="name" label="Name" type="text" autoComplete="off" required error={errors("name")} />
        <TextField name="email" label="Email" type="email" autoComplete="off" required error={errors("email")} />
        <RoleSelect role={role} onChange={setRole} errors={errors("role")} />
      </div>
      <SignOffRoleBoxes options={options} role={role} held={[]} errors={errors("signOffRoles")} />
    </>
  );
}

function InviteLink({ state }: { state: Extract<TInviteState, { status: "ok" }> }) {
  return (
    <div
      role="status"
      data-testid="invite-link"
      className="space-y-2 rounded border border-emerald-400 bg-emerald-50 p-3 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100"
    >
      <p>
        <span aria-hidden="true">✓ </span>
        Invitation for {state.name} &lt;{state.email}&gt; created. Send them this link; it works once, until{" "}
        <LocalTime iso={state.expiresAt} />. It is shown only now: Preflight keeps only its hash.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">
          {state.link}
        </code>
        <CopyButton text={state.link} label="Copy link" />
      </div>
    </div>
  );
}

/** The link is shown once, above the fields, after a success; the fields then remount empty (`round`). */
export function InviteForm({ signOffRoles }: { signOffRoles: TSignOffRoleOption[] }) {
  return (
    <ActionForm
      action={inviteUserAction}
      initialState={IDLE_INVITE}
      submit="Create the invitation link"
      pendingLabel="Inviting…"
      errorPrefix="Not invited: "
      okMessage={null}
    >
      {(state, _pending, errors) => (
        <>
          {state.status === "ok" ? <InviteLink state={state} /> : null}
          <InviteFields options={signOffRoles} errors={errors} />
        </>
      )}
    </ActionForm>
  );
}

export type TEditableUser = { id: string; name: string; role: string; signOffRoles: string[]; disabled: boolean };

function UserFields({
  user,
  isSelf,
  options,
  errors,
}: {
  user: TEditableUser;
  isSelf: boolean;
  options: TSignOffRoleOption[];
  errors: TFieldErrors;
}) {
  const [role, setRole] = useState<TRole>(isRole(user.role) ? user.role : "viewer");
  const disabledId = useId();
  return (
    <>
      <input type="hidden" name="userId" value={user.id} />
      <RoleSelect role={role} onChange={setRole} errors={errors("role")} />
      <SignOffRoleBoxes options={options} role={role} held={user.signOffRoles} errors={errors("signOffRoles")} />
      <div className="space-y-1">
        <label htmlFor={disabledId} className="flex items-center gap-1.5 text-sm font-medium">
          <input id={disabledId} type="checkbox" name="disabled" defaultChecked={user.disabled} />
          Disabled: cannot sign in{isSelf ? " (this is you: you would be signed out)" : ""}
        </label>
        <FieldErrors id={`${disabledId}-error`} error={errors("disabled")} />
      </div>
    </>
  );
}

export function UserEditForm({
  user,
  isSelf,
  signOffRoles,
}: {
  user: TEditableUser;
  isSelf: boolean;
  signOffRoles: TSignOffRoleOption[];
}) {
  // Saved data comes back as new props: remount the fields from it. After an error the props are unchanged and
  // what was chosen stays.
  const version = `${user.role}|${user.signOffRoles.join(",")}|${user.disabled}`;
  return (
    <ActionForm
      action={updateUserAction}
      initialState={IDLE_UPDATE}
      version={version}
      submit={`Save ${user.name}`}
      pendingLabel="Saving…"
      testId={`edit-user-${user.id}`}
      className="mt-2 w-72 max-w-full space-y-3"
    >
      {(_state, _pending, errors) => <UserFields user={user} isSelf={isSelf} options={signOffRoles} errors={errors} />}
    </ActionForm>
  );
}
