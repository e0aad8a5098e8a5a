"use client";

import { Fragment, startTransition, useActionState, useId, useOptimistic, useState, useTransition, type FormEvent, type ReactNode } from "react";
import { CHECKLIST_KIND_LABELS, TASK_STATUS_LABELS, TASK_STATUSES } from "@/lib/services/plan/schema";
import {
  deleteLimitationAction,
  deleteTaskAction,
  saveChecklistItemAction,
  saveLimitationAction,
  savePhaseAction,
  saveTaskAction,
  toggleChecklistItemAction,
  type TPlanFormState,
} from "./actions";

// The plan page's forms, rendered for editors only. Forms submit without React's automatic reset, so what was typed
// stays after an error; an add form remounts empty after a success, an edit form remounts from the saved data the
// server sends back. The form primitives are shared with the risks page.

export const inputClass =
  "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";
const button = "rounded bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300";
const danger = "rounded border border-red-400 px-2 py-1 text-xs font-medium text-red-800 hover:bg-red-50 disabled:opacity-50 dark:text-red-300 dark:hover:bg-red-950";
const alert = "rounded border border-red-400 bg-red-50 px-3 py-2 text-sm text-red-950 dark:bg-red-950 dark:text-red-100";

type TAction = (previous: TPlanFormState, form: FormData) => Promise<TPlanFormState>;
type TErrors = (field: string) => string[];
const IDLE: TPlanFormState = { status: "idle", round: 0 };

function FieldErrors({ id, errors }: { id: string; errors: string[] }) {
  if (errors.length === 0) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-700 dark:text-red-300">
      {errors.join("; ")}
    </p>
  );
}

type TFieldProps = { name: string; label: string; errors: string[]; hint?: string; className?: string };

/** A labelled input, select or textarea with its hint and errors tied to it. */
function Field({ name, label, errors, hint, className, render }: TFieldProps & { render: (props: { id: string; name: string; "aria-invalid": boolean; "aria-describedby"?: string; className: string }) => ReactNode }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : "", errors.length > 0 ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className={`space-y-1 ${className ?? ""}`}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {render({ id, name, "aria-invalid": errors.length > 0, "aria-describedby": describedBy || undefined, className: inputClass })}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function TextField(props: TFieldProps & { defaultValue?: string | number | null; type?: string; required?: boolean; min?: number; max?: number }) {
  const { defaultValue, type = "text", required, min, max } = props;
  return <Field {...props} render={(p) => <input {...p} type={type} defaultValue={defaultValue ?? ""} required={required} min={min} max={max} step={type === "number" ? "any" : undefined} />} />;
}

export function TextAreaField(props: TFieldProps & { defaultValue?: string }) {
  return <Field {...props} render={(p) => <textarea {...p} rows={2} defaultValue={props.defaultValue ?? ""} />} />;
}

export function SelectField(props: TFieldProps & { defaultValue?: string; options: readonly (readonly [value: string, label: string])[] }) {
  return (
    <Field
      {...props}
      render={(p) => (
        <select {...p} defaultValue={props.defaultValue}>
          {props.options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A checkbox after a hidden "off": the action tells unticked (false) from a form without the box (unchanged). */
export function CheckboxField({ name, label, defaultChecked, errors }: { name: string; label: string; defaultChecked: boolean; errors: string[] }) {
  const id = useId();
  return (
    <div className="space-y-1">
      <input type="hidden" name={name} value="off" />
      <label htmlFor={id} className="flex items-center gap-1.5 text-sm font-medium">
        <input id={id} type="checkbox" name={name} defaultChecked={defaultChecked} aria-describedby={errors.length > 0 ? `${id}-error` : undefined} />
        {label}
      </label>
      <FieldErrors id={`${id}-error`} errors={errors} />
    </div>
  );
}

/**
 * A form posting to a server action. `version` (for edits) remounts the fields when the saved data changes; without
 * it (for adds) they remount empty after each success.
 */
export function ActionForm({ action, version, submit, pending: pendingLabel, testId, className, children }: { action: TAction; version?: string; submit: string; pending: string; testId?: string; className?: string; children: (errors: TErrors) => ReactNode }) {
  const [state, dispatch, pending] = useActionState<TPlanFormState, FormData>(action, IDLE);
  const errors: TErrors = (field) => (state.status === "error" ? (state.fieldErrors[field] ?? []) : []);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  return (
    <form onSubmit={onSubmit} className={`space-y-3 ${className ?? ""}`} data-testid={testId}>
      <Fragment key={version ?? state.round}>{children(errors)}</Fragment>
      <button type="submit" disabled={pending} className={button}>
        {pending ? pendingLabel : submit}
      </button>
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
      <button type="submit" disabled={pending} className={danger}>
        {pending ? "Deleting…" : "Delete"}
        <span className="sr-only"> {what}</span>
      </button>
      {state.status === "error" ? (
        <span role="alert" className="ml-2 text-xs font-medium text-red-700 dark:text-red-300">
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

// --- tasks ---

export type TPhaseOption = { id: string; name: string };
export type TEditableTask = { id: string; title: string; owner: string; dueDate: string | null; status: string; criticalPath: boolean; phaseId: string | null; notes: string };

const STATUS_OPTIONS = TASK_STATUSES.map((s) => [s, TASK_STATUS_LABELS[s]] as const);

export function TaskForm({ task, phases, defaultCriticalPath = false }: { task?: TEditableTask; phases: TPhaseOption[]; defaultCriticalPath?: boolean }) {
  const phaseOptions = [["", "No phase"] as const, ...phases.map((p) => [p.id, p.name] as const)];
  return (
    <ActionForm
      action={saveTaskAction}
      version={task ? JSON.stringify(task) : undefined}
      submit={task ? "Save task" : "Add task"}
      pending="Saving…"
      testId={task ? `edit-task-${task.id}` : "add-task"}
    >
      {(errors) => (
        <>
          {task ? <input type="hidden" name="id" value={task.id} /> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField name="title" label="Task" defaultValue={task?.title} required errors={errors("title")} className="sm:col-span-2" />
            <TextField name="owner" label="Owner" defaultValue={task?.owner} errors={errors("owner")} />
            <TextField name="dueDate" label="Due" type="date" defaultValue={task?.dueDate} hint="A date such as 2026-01-21; empty for none." errors={errors("dueDate")} />
            <SelectField name="status" label="Status" defaultValue={task?.status ?? "todo"} options={STATUS_OPTIONS} errors={errors("status")} />
            <SelectField name="phaseId" label="Phase" defaultValue={task?.phaseId ?? ""} options={phaseOptions} errors={errors("phaseId")} />
          </div>
          <CheckboxField name="criticalPath" label="On the critical path to go-live" defaultChecked={task?.criticalPath ?? defaultCriticalPath} errors={errors("criticalPath")} />
          <TextAreaField name="notes" label="Notes" defaultValue={task?.notes} errors={errors("notes")} />
        </>
      )}
    </ActionForm>
  );
}

export function DeleteTaskButton({ id, title }: { id: string; title: string }) {
  return <DeleteButton action={deleteTaskAction} id={id} what={`the task “${title}”`} />;
}

// --- phases ---

export type TEditablePhase = { id: string; name: string; startDate: string | null; endDate: string | null; expectedReadinessPct: number | null; goal: string };

export function PhaseForm({ phase }: { phase?: TEditablePhase }) {
  return (
    <ActionForm action={savePhaseAction} version={phase ? JSON.stringify(phase) : undefined} submit={phase ? "Save phase" : "Add phase"} pending="Saving…" testId={phase ? `edit-phase-${phase.id}` : "add-phase"}>
      {(errors) => (
        <>
          {phase ? <input type="hidden" name="id" value={phase.id} /> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField name="name" label="Name" defaultValue={phase?.name} required errors={errors("name")} className="sm:col-span-2" />
            <TextField name="start" label="Start" type="date" defaultValue={phase?.startDate} errors={errors("start")} />
            <TextField name="end" label="End" type="date" defaultValue={phase?.endDate} hint="On or after the start." errors={errors("end")} />
            <TextField name="expectedReadinessPct" label="Expected readiness (%)" type="number" min={0} max={100} defaultValue={phase?.expectedReadinessPct} errors={errors("expectedReadinessPct")} />
          </div>
          <TextAreaField name="goal" label="Expected outcome" defaultValue={phase?.goal} errors={errors("goal")} />
        </>
      )}
    </ActionForm>
  );
}

// --- blockers and limitations ---

export type TEditableLimitation = { id: string; title: string; impact: string; mitigation: string; timeline: string; blocking: boolean; resolved: boolean };

export function LimitationForm({ limitation }: { limitation?: TEditableLimitation }) {
  return (
    <ActionForm
      action={saveLimitationAction}
      version={limitation ? JSON.stringify(limitation) : undefined}
      submit={limitation ? "Save" : "Add"}
      pending="Saving…"
      testId={limitation ? `edit-limitation-${limitation.id}` : "add-limitation"}
    >
      {(errors) => (
        <>
          {limitation ? <input type="hidden" name="id" value={limitation.id} /> : null}
          <TextField name="title" label="Title" defaultValue={limitation?.title} required errors={errors("title")} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextAreaField name="impact" label="Impact" defaultValue={limitation?.impact} errors={errors("impact")} />
            <TextAreaField name="mitigation" label="Mitigation" defaultValue={limitation?.mitigation} errors={errors("mitigation")} />
          </div>
          <TextField name="timeline" label="Timeline" defaultValue={limitation?.timeline} hint="For instance: not blocking go-live; can be done after launch." errors={errors("timeline")} />
          <div className="flex flex-wrap gap-x-6">
            <CheckboxField name="blocking" label="Blocks go-live" defaultChecked={limitation?.blocking ?? false} errors={errors("blocking")} />
            {limitation ? <CheckboxField name="resolved" label="Resolved" defaultChecked={limitation.resolved} errors={errors("resolved")} /> : null}
          </div>
        </>
      )}
    </ActionForm>
  );
}

export function DeleteLimitationButton({ id, title }: { id: string; title: string }) {
  return <DeleteButton action={deleteLimitationAction} id={id} what={`“${title}”`} />;
}

// --- recommendations and checklists ---

type TChecklistKind = keyof typeof CHECKLIST_KIND_LABELS;

export function ChecklistItemForm({ kind, item }: { kind: TChecklistKind; item?: { id: string; text: string } }) {
  return (
    <ActionForm
      action={saveChecklistItemAction}
      version={item ? item.text : undefined}
      submit={item ? "Save item" : "Add item"}
      pending="Saving…"
      testId={item ? `edit-item-${item.id}` : `add-item-${kind}`}
      className={item ? "" : "mt-2"}
    >
      {(errors) => (
        <>
          {item ? <input type="hidden" name="id" value={item.id} /> : <input type="hidden" name="kind" value={kind} />}
          <TextField name="text" label={item ? "Text" : `New item for “${CHECKLIST_KIND_LABELS[kind]}”`} defaultValue={item?.text} required errors={[...errors("text"), ...errors("kind")]} />
        </>
      )}
    </ActionForm>
  );
}

/** A checklist item's box: ticking it saves at once; the tick shows before the server answers and reverts on an error. */
export function ChecklistToggle({ item }: { item: { id: string; text: string; done: boolean } }) {
  const [done, setDone] = useOptimistic(item.done);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const id = useId();
  const toggle = (next: boolean) =>
    start(async () => {
      setDone(next);
      const data = new FormData();
      data.set("id", item.id);
      data.set("done", String(next));
      const result = await toggleChecklistItemAction(IDLE, data);
      setError(result.status === "error" ? result.error : null);
    });
  return (
    <div className="flex items-start gap-2">
      <input id={id} type="checkbox" className="mt-1" checked={done} onChange={(e) => toggle(e.target.checked)} aria-busy={pending} aria-describedby={error ? `${id}-error` : undefined} />
      <label htmlFor={id} className={done ? "text-slate-600 line-through dark:text-slate-400" : ""}>
        {item.text}
      </label>
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs font-medium text-red-700 dark:text-red-300">
          Not saved: {error}
        </p>
      ) : null}
    </div>
  );
}
