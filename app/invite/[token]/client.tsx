"use client";

import { useActionState } from "react";
import { acceptInvitationAction, type TAcceptState } from "./actions";

const input =
  "block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";

function PasswordField({ name, label, state }: { name: string; label: string; state: TAcceptState }) {
  const errors = state.fieldErrors[name] ?? [];
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type="password"
        autoComplete="new-password"
        required
        minLength={12}
        maxLength={256}
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length > 0 ? `${name}-error` : undefined}
        className={input}
      />
      {errors.length > 0 ? (
        <p id={`${name}-error`} className="text-xs font-medium text-red-700 dark:text-red-300">
          {errors.join("; ")}
        </p>
      ) : null}
    </div>
  );
}

export function AcceptInvitationForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<TAcceptState, FormData>(acceptInvitationAction, {
    error: null,
    fieldErrors: {},
  });
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {/* For password managers: the account the new password belongs to. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <PasswordField name="password" label="Password (at least 12 characters)" state={state} />
      <PasswordField name="confirm" label="Password again" state={state} />
      {state.error ? (
        <p
          role="alert"
          className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100"
        >
          {state.error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-white dark:text-slate-900"
      >
        {pending ? "Setting the password…" : "Set the password and sign in"}
      </button>
    </form>
  );
}
