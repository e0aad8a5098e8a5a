"use client";

import { startTransition, useActionState, type FormEvent, type ReactNode } from "react";
import type { TPlanFormState } from "@/app/plan/actions";
import { ActionForm, type TFieldErrors } from "@/components/ui/action-form";
import { BUTTON, ERROR_TEXT } from "@/components/ui/field";

// The plan and risk pages' form primitives: a form on the plan's action state, a delete button that asks first,
// and the disclosure an edit form sits in.

type TAction = (previous: TPlanFormState, form: FormData) => Promise<TPlanFormState>;
const IDLE: TPlanFormState = { status: "idle", round: 0 };

/**
 * A plan or risk form: the kit's ActionForm with the plan's state. `version` (for edits) remounts the fields when the
 * saved data changes; without it (for adds) they remount empty after each success.
 */
export function PlanForm({
  action,
  version,
  submit,
  testId,
  className,
  children,
}: {
  action: TAction;
  version?: string;
  submit: string;
  testId?: string;
  className?: string;
  children: (errors: TFieldErrors) => ReactNode;
}) {
  return (
    <ActionForm
      action={action}
      initialState={IDLE}
      version={version}
      submit={submit}
      pendingLabel="Saving…"
      testId={testId}
      className={`space-y-3 ${className ?? ""}`.trim()}
    >
      {(_state, _pending, errors) => children(errors)}
    </ActionForm>
  );
}

/** Deletes one row after the browser's confirmation. */
export function DeleteButton({ action, id, what }: { action: TAction; id: string; what: string }) {
  const [state, dispatch, pending] = useActionState<TPlanFormState, FormData>(action, IDLE);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!window.confirm(`Delete ${what}? The audit log keeps what it was.`)) return;
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return (
    <form onSubmit={onSubmit} className="inline">
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className={BUTTON.danger}>
        {pending ? "Deleting…" : "Delete"}
        <span className="sr-only"> {what}</span>
      </button>
      {state.status === "error" ? (
        <span role="alert" className={`ml-2 ${ERROR_TEXT}`}>
          {state.error}
        </span>
      ) : null}
    </form>
  );
}

/** A disclosure holding an edit form, closed until asked for. */
export function EditDisclosure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <details className="text-sm">
      <summary className="cursor-pointer underline underline-offset-2">
        Edit<span className="sr-only"> {label}</span>
      </summary>
      <div className="mt-2 rounded border border-slate-200 p-3 dark:border-slate-700">{children}</div>
    </details>
  );
}
