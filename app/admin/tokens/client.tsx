"use client";

import { startTransition, useActionState, useId, useState, type FormEvent } from "react";
import { createTokenAction, revokeTokenAction, type TCreateTokenState, type TRevokeTokenState } from "./actions";

// Create a token (shown once, here, after creation) and revoke one (after a confirm step).

const input =
  "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";
const button = "rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300";
const secondary = "rounded border border-slate-300 px-2 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800";
const danger = "rounded bg-red-700 px-2 py-1 text-xs font-semibold text-white hover:bg-red-800 disabled:opacity-50";
const alert = "rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100";

export type TScopeOption = { id: string; description: string };

function FieldErrors({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-700 dark:text-red-300">
      {errors.join("; ")}
    </p>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };
  return (
    <button type="button" onClick={copy} className={secondary}>
      {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed: select the text" : "Copy token"}
      <span className="sr-only" aria-live="polite">
        {copied === "copied" ? " to the clipboard" : ""}
      </span>
    </button>
  );
}

function CreateFields({ scopes, state, pending }: { scopes: TScopeOption[]; state: TCreateTokenState; pending: boolean }) {
  const id = useId();
  const errors = (field: string) => (state.status === "error" ? (state.fieldErrors[field] ?? []) : []);
  const nameErrors = errors("name");
  const scopeErrors = errors("scopes");
  return (
    <>
      <div className="space-y-1">
        <label htmlFor={`${id}-name`} className="block text-sm font-medium">
          Name
        </label>
        <input
          id={`${id}-name`}
          name="name"
          type="text"
          required
          maxLength={64}
          autoComplete="off"
          placeholder="ci"
          className={input}
          aria-invalid={nameErrors.length > 0}
          aria-describedby={`${id}-name-hint${nameErrors.length > 0 ? ` ${id}-name-error` : ""}`}
        />
        <p id={`${id}-name-hint`} className="text-xs text-slate-600 dark:text-slate-300">
          Where it is used, e.g. the pipeline&apos;s name: letters, digits, spaces, dots, dashes, underscores. Names are never reused.
        </p>
        <FieldErrors id={`${id}-name-error`} errors={nameErrors} />
      </div>
      <fieldset className="space-y-1" aria-describedby={scopeErrors.length > 0 ? `${id}-scopes-error` : undefined}>
        <legend className="text-sm font-medium">Scopes</legend>
        {scopes.map((s) => (
          <label key={s.id} className="flex items-start gap-1.5 text-sm">
            <input type="checkbox" name="scopes" value={s.id} className="mt-1" />
            <span>
              <code className="font-mono">{s.id}</code>
              <span className="block text-xs text-slate-600 dark:text-slate-300">{s.description}</span>
            </span>
          </label>
        ))}
        <FieldErrors id={`${id}-scopes-error`} errors={scopeErrors} />
      </fieldset>
      <button type="submit" disabled={pending} className={button}>
        {pending ? "Creating…" : "Create the token"}
      </button>
    </>
  );
}

export function CreateTokenForm({ scopes }: { scopes: TScopeOption[] }) {
  const [state, dispatch, pending] = useActionState<TCreateTokenState, FormData>(createTokenAction, { status: "idle", round: 0 });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return (
    <div className="space-y-3">
      {state.status === "ok" ? (
        <div role="status" data-testid="new-token" className="space-y-2 rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100">
          <p>
            <strong>Copy the token &quot;{state.name}&quot; now: it will not be shown again.</strong> Preflight keeps only its hash; if it is lost, revoke it and
            create another. Scopes: {state.scopes.join(", ")}.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">{state.token}</code>
            <CopyButton text={state.token} />
          </div>
        </div>
      ) : null}
      <form onSubmit={onSubmit} className="max-w-md space-y-3">
        <CreateFields key={state.round} scopes={scopes} state={state} pending={pending} />
        {state.status === "error" ? (
          <p role="alert" className={alert}>
            Not created: {state.error}
          </p>
        ) : null}
      </form>
    </div>
  );
}

/** Revoking cannot be undone: the first click asks, the second revokes. */
export function RevokeTokenButton({ name }: { name: string }) {
  const [state, dispatch, pending] = useActionState<TRevokeTokenState, FormData>(revokeTokenAction, { status: "idle" });
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <div className="space-y-1">
        <button type="button" onClick={() => setConfirming(true)} disabled={pending} className={secondary}>
          {pending ? "Revoking…" : "Revoke"}
          <span className="sr-only"> {name}</span>
        </button>
        {state.status === "error" ? (
          <p role="alert" className="text-xs font-medium text-red-700 dark:text-red-300">
            {state.error}
          </p>
        ) : null}
      </div>
    );
  }
  return (
    <form
      action={(data) => {
        setConfirming(false);
        dispatch(data);
      }}
      className="space-y-1"
    >
      <input type="hidden" name="name" value={name} />
      <p className="text-xs">Revoke &quot;{name}&quot;? Whatever uses it stops working at once. This cannot be undone.</p>
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={danger}>
          {pending ? "Revoking…" : `Yes, revoke ${name}`}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className={secondary}>
          Cancel
        </button>
      </div>
    </form>
  );
}
