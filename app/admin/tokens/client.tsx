"use client";

import { useActionState, useId, useState } from "react";
import { ActionForm, type TFieldErrors } from "@/components/ui/action-form";
import { BUTTON, ERROR_TEXT, Field, FieldErrors, TextInput } from "@/components/ui/field";
import { createTokenAction, revokeTokenAction, type TCreateTokenState, type TRevokeTokenState } from "./actions";

// Create a token (shown once, here, after creation) and revoke one (after a confirm step).

const IDLE_CREATE: TCreateTokenState = { status: "idle", round: 0 };

export type TScopeOption = { id: string; description: string };

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied("copied"),
      () => setCopied("failed"),
    );
  };
  return (
    <button type="button" onClick={copy} className={BUTTON.secondary}>
      {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed: select the text" : "Copy token"}
      <span className="sr-only" aria-live="polite">
        {copied === "copied" ? " to the clipboard" : ""}
      </span>
    </button>
  );
}

function CreateFields({ scopes, errors }: { scopes: TScopeOption[]; errors: TFieldErrors }) {
  const id = useId();
  const scopeErrors = errors("scopes");
  return (
    <div className="max-w-md space-y-3">
      <Field
        label="Name"
        hint="Where it is used, e.g. the pipeline's name: letters, digits, spaces, dots, dashes, underscores. Names are never reused."
        error={errors("name")}
      >
        <TextInput name="name" required maxLength={64} autoComplete="off" placeholder="ci" />
      </Field>
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
        <FieldErrors id={`${id}-scopes-error`} error={scopeErrors} />
      </fieldset>
    </div>
  );
}

function NewToken({ state }: { state: Extract<TCreateTokenState, { status: "ok" }> }) {
  return (
    <div
      role="status"
      data-testid="new-token"
      className="space-y-2 rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>
        <strong>Copy the token &quot;{state.name}&quot; now: it will not be shown again.</strong> Preflight keeps only
        its hash; if it is lost, revoke it and create another. Scopes: {state.scopes.join(", ")}.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">
          {state.token}
        </code>
        <CopyButton text={state.token} />
      </div>
    </div>
  );
}

/** The token is shown once, above the fields, after creation; the fields then remount empty (`round`). */
export function CreateTokenForm({ scopes }: { scopes: TScopeOption[] }) {
  return (
    <ActionForm
      action={createTokenAction}
      initialState={IDLE_CREATE}
      submit="Create the token"
      pendingLabel="Creating…"
      errorPrefix="Not created: "
      okMessage={null}
    >
      {(state, _pending, errors) => (
        <>
          {state.status === "ok" ? <NewToken state={state} /> : null}
          <CreateFields scopes={scopes} errors={errors} />
        </>
      )}
    </ActionForm>
  );
}

/** Revoking cannot be undone: the first click asks, the second revokes. */
export function RevokeTokenButton({ name }: { name: string }) {
  const [state, dispatch, pending] = useActionState<TRevokeTokenState, FormData>(revokeTokenAction, { status: "idle" });
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <div className="space-y-1">
        <button type="button" onClick={() => setConfirming(true)} disabled={pending} className={BUTTON.secondary}>
          {pending ? "Revoking…" : "Revoke"}
          <span className="sr-only"> {name}</span>
        </button>
        {state.status === "error" ? (
          <p role="alert" className={ERROR_TEXT}>
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
      <p className="text-xs">
        Revoke &quot;{name}&quot;? Whatever uses it stops working at once. This cannot be undone.
      </p>
      <div className="flex gap-2">
        <button type="submit" disabled={pending} className={BUTTON.dangerSolid}>
          {pending ? "Revoking…" : `Yes, revoke ${name}`}
        </button>
        <button type="button" onClick={() => setConfirming(false)} className={BUTTON.secondary}>
          Cancel
        </button>
      </div>
    </form>
  );
}
