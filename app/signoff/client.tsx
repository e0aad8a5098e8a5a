"use client";

import { useActionState } from "react";
import { signAction, type TSignState } from "./actions";

const input = "block w-full rounded border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-950";

/** One held role's form: the decision, a comment (required to reject), bound to the snapshot shown above it. */
export function SignForm({ role, roleName, snapshotHash, scoreText }: { role: string; roleName: string; snapshotHash: string; scoreText: string }) {
  const [state, action, pending] = useActionState<TSignState, FormData>(signAction, { status: "idle" });
  const errors = state.status === "error" ? state.fieldErrors : {};
  const id = `sign-${role}`;
  return (
    <form action={action} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-testid={id} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="font-semibold">
        Sign as {roleName}
      </h3>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        You sign against the readiness shown on this page: {scoreText}, snapshot <code className="font-mono">{snapshotHash.slice(0, 12)}</code>. If it changes before you submit,
        you will be asked to review it again.
      </p>
      <input type="hidden" name="role" value={role} />
      <input type="hidden" name="snapshotHash" value={snapshotHash} />
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Decision</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          {(
            [
              ["approve", "Approve go-live"],
              ["ready", "Ready (not yet approved)"],
              ["reject", "Reject"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-1">
              <input type="radio" name="decision" value={value} required /> {label}
            </label>
          ))}
        </div>
        {errors.decision ? <p className="text-xs font-medium text-red-700 dark:text-red-300">{errors.decision.join("; ")}</p> : null}
      </fieldset>
      <div className="space-y-1">
        <label htmlFor={`${id}-comment`} className="block text-sm font-medium">
          Comment <span className="font-normal text-slate-600 dark:text-slate-300">(required to reject)</span>
        </label>
        <textarea id={`${id}-comment`} name="comment" rows={2} maxLength={2000} aria-invalid={Boolean(errors.comment)} className={input} />
        {errors.comment ? <p className="text-xs font-medium text-red-700 dark:text-red-300">{errors.comment.join("; ")}</p> : null}
      </div>
      <button type="submit" disabled={pending} className="rounded bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60 dark:bg-white dark:text-slate-900">
        {pending ? "Signing…" : `Sign as ${roleName}`}
      </button>
      {state.status === "error" ? (
        <p role="alert" data-testid="sign-error" className="rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100">
          Not signed: {state.error}
        </p>
      ) : null}
      {state.status === "ok" ? (
        <p role="status" data-testid="sign-ok" className="rounded border border-emerald-400 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-100">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
