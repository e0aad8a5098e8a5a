"use client";

import { LocalTime } from "@/components/ui/local-time";
import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { isRole, ROLE_LABELS, ROLES, type TRole } from "@/lib/auth/permissions";
import { inviteUserAction, updateUserAction, type TInviteState, type TUpdateUserState } from "./actions";

// The users page's forms: invite a person (the link is shown once, here, after success) and change one person's
// role, sign-off roles and status. Forms submit without React's automatic reset, so what was typed stays after an
// error; a successful invitation remounts the form empty, a successful edit remounts the row from the server's data.

export type TSignOffRoleOption = { id: string; name: string };

const input =
  "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";
const button = "rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300";
const secondary = "rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800";
const alert = "rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100";

function submitWithoutReset(dispatch: (data: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
}

function FieldErrors({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-700 dark:text-red-300">
      {errors.join("; ")}
    </p>
  );
}

function TextField({ name, label, type, autoComplete, errors }: { name: string; label: string; type: string; autoComplete: string; errors: string[] }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input id={id} name={name} type={type} autoComplete={autoComplete} required className={input} aria-invalid={errors.length > 0} aria-describedby={errors.length > 0 ? `${id}-error` : undefined} />
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

function RoleSelect({ role, onChange, errors }: { role: TRole; onChange: (role: TRole) => void; errors: string[] }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        Role
      </label>
      <select
        id={id}
        name="role"
        value={role}
        onChange={(e) => isRole(e.target.value) && onChange(e.target.value)}
        className={input}
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length > 0 ? `${id}-error` : undefined}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** Sign-off roles go to approvers only: for any other role the boxes are disabled, so saving drops them. */
function SignOffRoleBoxes({ options, role, held, errors }: { options: TSignOffRoleOption[]; role: TRole; held: string[]; errors: string[] }) {
  const id = useId();
  if (options.length === 0) {
    return <p className="text-xs text-slate-600 dark:text-slate-300">No sign-off roles are configured (signoff.roles in the configuration).</p>;
  }
  const enabled = role === "approver";
  return (
    <fieldset className="space-y-1" aria-describedby={`${id}-hint${errors.length > 0 ? ` ${id}-error` : ""}`}>
      <legend className="text-sm font-medium">Sign-off roles</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.id} className={`flex items-center gap-1.5 text-sm ${enabled ? "" : "text-slate-400 dark:text-slate-500"}`}>
            <input type="checkbox" name="signOffRoles" value={o.id} defaultChecked={held.includes(o.id)} disabled={!enabled} />
            {o.name}
          </label>
        ))}
      </div>
      <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-300">
        {enabled ? "The roles this person signs for a release." : "Only approvers hold sign-off roles."}
      </p>
      <FieldErrors id={`${id}-error`} errors={errors} />
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
    <button type="button" onClick={copy} className={secondary}>
      {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed: select the text" : label}
      <span className="sr-only" aria-live="polite">
        {copied === "copied" ? " to the clipboard" : ""}
      </span>
    </button>
  );
}

function InviteFields({ options, state, pending }: { options: TSignOffRoleOption[]; state: TInviteState; pending: boolean }) {
  const [role, setRole] = useState<TRole>("viewer");
  const errors = (field: string) => (state.status === "error" ? (state.fieldErrors[field] ?? []) : []);
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField name="name" label="Name" type="text" autoComplete="off" errors={errors("name")} />
        <TextField name="email" label="Email" type="email" autoComplete="off" errors={errors("email")} />
        <RoleSelect role={role} onChange={setRole} errors={errors("role")} />
      </div>
      <SignOffRoleBoxes options={options} role={role} held={[]} errors={errors("signOffRoles")} />
      <button type="submit" disabled={pending} className={button}>
        {pending ? "Inviting…" : "Create the invitation link"}
      </button>
    </>
  );
}

export function InviteForm({ signOffRoles }: { signOffRoles: TSignOffRoleOption[] }) {
  const [state, dispatch, pending] = useActionState<TInviteState, FormData>(inviteUserAction, { status: "idle", round: 0 });
  return (
    <div className="space-y-3">
      {state.status === "ok" ? (
        <div role="status" data-testid="invite-link" className="space-y-2 rounded border border-emerald-400 bg-emerald-50 p-3 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100">
          <p>
            <span aria-hidden="true">✓ </span>
            Invitation for {state.name} &lt;{state.email}&gt; created. Send them this link; it works once, until{" "}
            <LocalTime iso={state.expiresAt} />
            . It is shown only now: Preflight keeps only its hash.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">{state.link}</code>
            <CopyButton text={state.link} label="Copy link" />
          </div>
        </div>
      ) : null}
      <form onSubmit={submitWithoutReset(dispatch)} className="space-y-3">
        <InviteFields key={state.round} options={signOffRoles} state={state} pending={pending} />
        {state.status === "error" ? (
          <p role="alert" className={alert}>
            Not invited: {state.error}
          </p>
        ) : null}
      </form>
    </div>
  );
}

export type TEditableUser = { id: string; name: string; role: string; signOffRoles: string[]; disabled: boolean };

function UserFields({ user, isSelf, options, state, pending }: { user: TEditableUser; isSelf: boolean; options: TSignOffRoleOption[]; state: TUpdateUserState; pending: boolean }) {
  const [role, setRole] = useState<TRole>(isRole(user.role) ? user.role : "viewer");
  const errors = (field: string) => (state.status === "error" ? (state.fieldErrors[field] ?? []) : []);
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
        <FieldErrors id={`${disabledId}-error`} errors={errors("disabled")} />
      </div>
      <button type="submit" disabled={pending} className={button}>
        {pending ? "Saving…" : `Save ${user.name}`}
      </button>
    </>
  );
}

export function UserEditForm({ user, isSelf, signOffRoles }: { user: TEditableUser; isSelf: boolean; signOffRoles: TSignOffRoleOption[] }) {
  const [state, dispatch, pending] = useActionState<TUpdateUserState, FormData>(updateUserAction, { status: "idle" });
  // Saved data comes back as new props: remount the fields from it. After an error the props are unchanged and
  // what was chosen stays.
  const version = `${user.role}|${user.signOffRoles.join(",")}|${user.disabled}`;
  return (
    <form onSubmit={submitWithoutReset(dispatch)} className="mt-2 w-72 space-y-3" data-testid={`edit-user-${user.id}`}>
      <UserFields key={version} user={user} isSelf={isSelf} options={signOffRoles} state={state} pending={pending} />
      {state.status === "error" ? (
        <p role="alert" className={alert}>
          Not saved: {state.error}
        </p>
      ) : null}
      {state.status === "ok" ? (
        <p role="status" className="text-sm text-emerald-800 dark:text-emerald-300">
          <span aria-hidden="true">✓ </span>
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
