"use client";

import {
  Fragment,
  startTransition,
  useActionState,
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from "react";
import { ALERT, BUTTON, OK } from "./field";

// A form posting to a React 19 server action through useActionState. It submits without React's automatic form
// reset, so what was typed stays after an error; `version` (an edit form) remounts the fields when the saved data
// changes, and without it a state's `round` (an add form) remounts them empty after each success. The error alert
// (role="alert") and the ok line (role="status") are rendered here, once.

/** What every action in app/∗/actions.ts answers; a state may carry more (`at`, `round`, a created token...). */
export type TActionState =
  | { status: "idle" }
  | { status: "ok"; message?: string }
  | { status: "error"; error: string; fieldErrors?: Record<string, string[]> };

export type TFieldErrors = (field: string) => string[];

type TOk<S> = Extract<S, { status: "ok" }>;

export type TActionFormProps<S extends TActionState> = {
  action: (previous: S, form: FormData) => Promise<S>;
  /** The state before the first submit; `{ status: "idle" }` (with `round: 0` if the state type has one). */
  initialState: S;
  /** The fields: a render prop given the state, whether a submit is pending and the errors of a field. */
  children: (state: S, pending: boolean, errors: TFieldErrors) => ReactNode;
  /** The submit button's label; null for a form that renders its own buttons. */
  submit: ReactNode | null;
  /** The label while pending. */
  pendingLabel?: ReactNode;
  submitClassName?: string;
  /** Before the error text: "Not saved: " by default. */
  errorPrefix?: string;
  /** The ok line's content: the state's message by default; null renders no ok line (the caller shows the result). */
  okMessage?: ((state: TOk<S>) => ReactNode) | null;
  okClassName?: string;
  okTestId?: string;
  errorTestId?: string;
  /** On the <form>. */
  testId?: string;
  className?: string;
  /** Remounts the fields when it changes (an edit form: the saved data). */
  version?: string;
  /** Reset the form (files included) after a success, for forms whose fields are not remounted. */
  resetOnSuccess?: boolean;
  /** A question for window.confirm before submitting; the submit is dropped when it is declined. */
  confirm?: string;
  /** Checks or rewrites the data before it is sent; an answer with `alert` stops the submit and is shown instead. */
  prepare?: (data: FormData) => { alert: ReactNode; fieldErrors?: Record<string, string[]> } | null;
  onReset?: () => void;
};

export function ActionForm<S extends TActionState>(props: TActionFormProps<S>) {
  const {
    action,
    initialState,
    children,
    submit,
    pendingLabel,
    submitClassName,
    errorPrefix = "Not saved: ",
    okMessage,
    okClassName,
    okTestId,
    errorTestId,
    testId,
    className,
    version,
    resetOnSuccess,
    confirm,
    prepare,
    onReset,
  } = props;
  // React types the state as Awaited<S>; the actions answer plain objects, so it is S.
  const [current, dispatch, pending] = useActionState<S, FormData>(
    action as (previous: Awaited<S>, form: FormData) => Promise<S>,
    initialState as Awaited<S>,
  );
  const state = current as S;
  const [local, setLocal] = useState<{ alert: ReactNode; fieldErrors?: Record<string, string[]> } | null>(null);
  const ref = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (resetOnSuccess && state.status === "ok") ref.current?.reset();
  }, [state, resetOnSuccess]);

  const errors: TFieldErrors = (field) =>
    local?.fieldErrors?.[field] ?? (state.status === "error" ? (state.fieldErrors?.[field] ?? []) : []);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirm !== undefined && !window.confirm(confirm)) return;
    const data = new FormData(event.currentTarget);
    const stop = prepare?.(data) ?? null;
    setLocal(stop);
    if (stop) return;
    startTransition(() => dispatch(data));
  };
  const round = "round" in state && typeof state.round === "number" ? state.round : undefined;
  const ok =
    state.status === "ok" && !local
      ? okMessage === undefined
        ? state.message
        : okMessage === null
          ? null
          : okMessage(state as TOk<S>)
      : null;

  return (
    <form ref={ref} onSubmit={onSubmit} onReset={onReset} className={className ?? "space-y-3"} data-testid={testId}>
      <Fragment key={version ?? round}>{children(state, pending, errors)}</Fragment>
      {submit !== null ? (
        <button type="submit" disabled={pending} className={submitClassName ?? BUTTON.primary}>
          {pending && pendingLabel !== undefined ? pendingLabel : submit}
        </button>
      ) : null}
      {local ? (
        <p role="alert" className={ALERT}>
          {local.alert}
        </p>
      ) : state.status === "error" ? (
        <p role="alert" className={ALERT} data-testid={errorTestId}>
          {errorPrefix}
          {state.error}
        </p>
      ) : null}
      {ok !== null && ok !== undefined ? (
        <p role="status" className={okClassName ?? OK} data-testid={okTestId}>
          <span aria-hidden="true">✓ </span>
          {ok}
        </p>
      ) : null}
    </form>
  );
}
