"use client";

import { useActionState } from "react";
import { setupAdmin, type TSetupState } from "./actions";

const input =
  "block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950";

function Field({
  name,
  label,
  type,
  autoComplete,
  state,
  defaultValue,
}: {
  name: string;
  label: string;
  type: string;
  autoComplete: string;
  state: TSetupState;
  defaultValue?: string;
}) {
  const errors = state.fieldErrors[name] ?? [];
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={name}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        defaultValue={defaultValue}
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

export function SetupForm() {
  const [state, action, pending] = useActionState<TSetupState, FormData>(setupAdmin, {
    error: null,
    fieldErrors: {},
    values: { email: "", name: "" },
  });
  return (
    <form action={action} className="space-y-4">
      <Field
        name="name"
        label="Your name"
        type="text"
        autoComplete="name"
        state={state}
        defaultValue={state.values.name}
      />
      <Field
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        state={state}
        defaultValue={state.values.email}
      />
      <Field
        name="password"
        label="Password (at least 12 characters)"
        type="password"
        autoComplete="new-password"
        state={state}
      />
      <Field name="confirm" label="Password again" type="password" autoComplete="new-password" state={state} />
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
        {pending ? "Creating…" : "Create the administrator"}
      </button>
    </form>
  );
}
