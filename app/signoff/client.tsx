"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { CARD } from "@/components/ui/card";
import { ALERT, BUTTON, ERROR_TEXT, HINT, INPUT } from "@/components/ui/field";
import { ConfirmApproval, type TApprovalWarnings } from "@/components/signoff/confirm-approval";
import { LocalTime } from "@/components/ui/local-time";
import { signAction, type TSignedDecision, type TSignState } from "./actions";

const CHOICES = [
  ["approve", "Approve go-live"],
  ["ready", "Ready (not yet approved)"],
  ["reject", "Reject"],
] as const;
const SAID = { approve: "Approved go-live", ready: "Ready (not yet approved)", reject: "Rejected" } as const;

export type { TApprovalWarnings };

/**
 * One held role: the form (decision, a comment that a rejection needs) bound to the snapshot on the page, or, once
 * the person has a current decision in this round, that decision with a way to change it. Approving past a closed
 * gate or critical blockers first asks for a confirmation that lists them, and only then sends confirmedBelowGate=1.
 */
export function SignPanel(props: {
  role: string;
  roleName: string;
  snapshotHash: string;
  scoreText: string;
  own: TSignedDecision | null;
  notice: string | null;
  warnings: TApprovalWarnings;
}) {
  const { role, roleName, snapshotHash, scoreText, own, notice, warnings } = props;
  const [editing, setEditing] = useState(own === null);
  const [asking, setAsking] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const confirmed = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // A refused submission keeps what the person chose and wrote: React resets a form after its action, to these.
  const [state, action, pending] = useActionState<
    TSignState & { draft?: { decision: string; comment: string } },
    FormData
  >(
    async (previous, data) => {
      const next = await signAction(previous, data);
      if (confirmed.current) confirmed.current.value = "";
      if (next.status === "ok") setEditing(false);
      if (next.status === "error")
        return {
          ...next,
          draft: { decision: String(data.get("decision") ?? ""), comment: String(data.get("comment") ?? "") },
        };
      return next;
    },
    { status: "idle" },
  );
  const draft = state.status === "error" ? state.draft : undefined;
  // Signed: the form that had the focus is gone; the closed panel's heading takes it (its status line is announced).
  useEffect(() => {
    if (state.status === "ok" && !editing) heading.current?.focus();
  }, [state, editing]);
  const id = `sign-${role}`;
  const shown = state.status === "ok" ? state.signed : own;
  const needsConfirmation = warnings.score !== null || warnings.blockers.length > 0;

  return (
    <section className={`${CARD.default} space-y-3`} data-testid={id} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} ref={heading} tabIndex={-1} className="font-semibold focus:outline-none">
        {editing || !shown ? `Sign as ${roleName}` : `Your decision as ${roleName}`}
      </h3>
      {!editing && shown ? (
        <>
          <p className="text-sm" data-testid="own-decision" data-decision={shown.decision}>
            <strong>{SAID[shown.decision]}</strong>, <LocalTime iso={shown.signedAt} />, against snapshot{" "}
            <code className="font-mono">{shown.snapshotHash.slice(0, 12)}</code>
            {shown.comment ? (
              <span className="mt-1 block text-slate-700 dark:text-slate-300">“{shown.comment}”</span>
            ) : null}
          </p>
          {state.status === "ok" ? (
            <p role="status" data-testid="sign-ok" className={`${CARD.success} py-2 text-sm`}>
              {state.message}
            </p>
          ) : null}
          <button type="button" className={BUTTON.secondary} onClick={() => setEditing(true)}>
            Change my decision
          </button>
        </>
      ) : (
        <form
          ref={form}
          action={action}
          className="space-y-3"
          data-testid={`sign-form-${role}`}
          aria-labelledby={`${id}-heading`}
          onSubmit={(event) => {
            const decision = new FormData(event.currentTarget).get("decision");
            if (decision === "approve" && needsConfirmation && confirmed.current?.value !== "1") {
              event.preventDefault();
              setAsking(true);
            }
          }}
        >
          {notice ? <p className={`${CARD.warning} text-sm`}>{notice}</p> : null}
          <p className={HINT}>
            You sign against the readiness shown on this page: {scoreText}, snapshot{" "}
            <code className="font-mono">{snapshotHash.slice(0, 12)}</code>. If it changes before you submit, you will be
            asked to review it again.
          </p>
          <input type="hidden" name="role" value={role} />
          <input type="hidden" name="snapshotHash" value={snapshotHash} />
          <input type="hidden" name="confirmedBelowGate" defaultValue="" ref={confirmed} />
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium">Decision</legend>
            <div className="flex flex-wrap gap-x-4 gap-y-2 text-sm">
              {CHOICES.map(([value, label]) => (
                <label key={value} className="flex items-center gap-1">
                  <input
                    type="radio"
                    name="decision"
                    value={value}
                    required
                    defaultChecked={draft?.decision === value}
                  />{" "}
                  {label}
                </label>
              ))}
            </div>
            {state.status === "error" && state.fieldErrors.decision ? (
              <p className={ERROR_TEXT}>{state.fieldErrors.decision.join("; ")}</p>
            ) : null}
          </fieldset>
          <div className="space-y-1">
            <label htmlFor={`${id}-comment`} className="block text-sm font-medium">
              Comment <span className="font-normal text-slate-600 dark:text-slate-300">(required to reject)</span>
            </label>
            <textarea
              id={`${id}-comment`}
              name="comment"
              defaultValue={draft?.comment ?? ""}
              rows={2}
              maxLength={2000}
              aria-invalid={state.status === "error" && Boolean(state.fieldErrors.comment)}
              className={INPUT}
            />
            {state.status === "error" && state.fieldErrors.comment ? (
              <p className={ERROR_TEXT}>{state.fieldErrors.comment.join("; ")}</p>
            ) : null}
          </div>
          <div className="flex flex-wrap gap-2">
            <button type="submit" disabled={pending} className={BUTTON.primary}>
              {pending ? "Signing…" : `Sign as ${roleName}`}
            </button>
            {shown ? (
              <button type="button" className={BUTTON.secondary} onClick={() => setEditing(false)}>
                Keep my decision
              </button>
            ) : null}
          </div>
          {state.status === "error" ? (
            <p role="alert" data-testid="sign-error" className={ALERT}>
              Not signed: {state.error}
            </p>
          ) : null}
        </form>
      )}
      <ConfirmApproval
        open={asking}
        roleName={roleName}
        warnings={warnings}
        onCancel={() => setAsking(false)}
        onConfirm={() => {
          if (confirmed.current) confirmed.current.value = "1";
          setAsking(false);
          form.current?.requestSubmit();
        }}
      />
    </section>
  );
}
