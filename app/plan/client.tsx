"use client";

import { useId, useOptimistic, useState, useTransition } from "react";
import { DeleteButton, PlanForm } from "@/components/plan/plan-form";
import { CheckboxField, ERROR_TEXT, SelectField, TextAreaField, TextField } from "@/components/ui/field";
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
// server sends back. The form primitives are the kit's (components/ui); PlanForm is shared with the risks page.

const IDLE: TPlanFormState = { status: "idle", round: 0 };

export { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
export { DeleteButton, EditDisclosure, PlanForm } from "@/components/plan/plan-form";

// --- tasks ---

export type TPhaseOption = { id: string; name: string };
export type TEditableTask = {
  id: string;
  title: string;
  owner: string;
  dueDate: string | null;
  status: string;
  criticalPath: boolean;
  phaseId: string | null;
  notes: string;
};

const STATUS_OPTIONS = TASK_STATUSES.map((s) => [s, TASK_STATUS_LABELS[s]] as const);

export function TaskForm({
  task,
  phases,
  defaultCriticalPath = false,
}: {
  task?: TEditableTask;
  phases: TPhaseOption[];
  defaultCriticalPath?: boolean;
}) {
  const phaseOptions = [["", "No phase"] as const, ...phases.map((p) => [p.id, p.name] as const)];
  return (
    <PlanForm
      action={saveTaskAction}
      version={task ? JSON.stringify(task) : undefined}
      submit={task ? "Save task" : "Add task"}
      testId={task ? `edit-task-${task.id}` : "add-task"}
    >
      {(errors) => (
        <>
          {task ? <input type="hidden" name="id" value={task.id} /> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField
              name="title"
              label="Task"
              defaultValue={task?.title}
              required
              error={errors("title")}
              className="sm:col-span-2"
            />
            <TextField name="owner" label="Owner" defaultValue={task?.owner} error={errors("owner")} />
            <TextField
              name="dueDate"
              label="Due"
              type="date"
              defaultValue={task?.dueDate}
              hint="A date such as 2026-01-21; empty for none."
              error={errors("dueDate")}
            />
            <SelectField
              name="status"
              label="Status"
              defaultValue={task?.status ?? "todo"}
              options={STATUS_OPTIONS}
              error={errors("status")}
            />
            <SelectField
              name="phaseId"
              label="Phase"
              defaultValue={task?.phaseId ?? ""}
              options={phaseOptions}
              error={errors("phaseId")}
            />
          </div>
          <CheckboxField
            name="criticalPath"
            label="On the critical path to go-live"
            defaultChecked={task?.criticalPath ?? defaultCriticalPath}
            error={errors("criticalPath")}
          />
          <TextAreaField name="notes" label="Notes" defaultValue={task?.notes} error={errors("notes")} />
        </>
      )}
    </PlanForm>
  );
}

export function DeleteTaskButton({ id, title }: { id: string; title: string }) {
  return <DeleteButton action={deleteTaskAction} id={id} what={`the task “${title}”`} />;
}

// --- phases ---

export type TEditablePhase = {
  id: string;
  name: string;
  startDate: string | null;
  endDate: string | null;
  expectedReadinessPct: number | null;
  goal: string;
};

export function PhaseForm({ phase }: { phase?: TEditablePhase }) {
  return (
    <PlanForm
      action={savePhaseAction}
      version={phase ? JSON.stringify(phase) : undefined}
      submit={phase ? "Save phase" : "Add phase"}
      testId={phase ? `edit-phase-${phase.id}` : "add-phase"}
    >
      {(errors) => (
        <>
          {phase ? <input type="hidden" name="id" value={phase.id} /> : null}
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField
              name="name"
              label="Name"
              defaultValue={phase?.name}
              required
              error={errors("name")}
              className="sm:col-span-2"
            />
            <TextField name="start" label="Start" type="date" defaultValue={phase?.startDate} error={errors("start")} />
            <TextField
              name="end"
              label="End"
              type="date"
              defaultValue={phase?.endDate}
              hint="On or after the start."
              error={errors("end")}
            />
            <TextField
              name="expectedReadinessPct"
              label="Expected readiness (%)"
              type="number"
              min={0}
              max={100}
              defaultValue={phase?.expectedReadinessPct}
              error={errors("expectedReadinessPct")}
            />
          </div>
          <TextAreaField name="goal" label="Expected outcome" defaultValue={phase?.goal} error={errors("goal")} />
        </>
      )}
    </PlanForm>
  );
}

// --- blockers and limitations ---

export type TEditableLimitation = {
  id: string;
  title: string;
  impact: string;
  mitigation: string;
  timeline: string;
  blocking: boolean;
  resolved: boolean;
};

export function LimitationForm({ limitation }: { limitation?: TEditableLimitation }) {
  return (
    <PlanForm
      action={saveLimitationAction}
      version={limitation ? JSON.stringify(limitation) : undefined}
      submit={limitation ? "Save" : "Add"}
      testId={limitation ? `edit-limitation-${limitation.id}` : "add-limitation"}
    >
      {(errors) => (
        <>
          {limitation ? <input type="hidden" name="id" value={limitation.id} /> : null}
          <TextField name="title" label="Title" defaultValue={limitation?.title} required error={errors("title")} />
          <div className="grid gap-3 sm:grid-cols-2">
            <TextAreaField name="impact" label="Impact" defaultValue={limitation?.impact} error={errors("impact")} />
            <TextAreaField
              name="mitigation"
              label="Mitigation"
              defaultValue={limitation?.mitigation}
              error={errors("mitigation")}
            />
          </div>
          <TextField
            name="timeline"
            label="Timeline"
            defaultValue={limitation?.timeline}
            hint="For instance: not blocking go-live; can be done after launch."
            error={errors("timeline")}
          />
          <div className="flex flex-wrap gap-x-6">
            <CheckboxField
              name="blocking"
              label="Blocks go-live"
              defaultChecked={limitation?.blocking ?? false}
              error={errors("blocking")}
            />
            {limitation ? (
              <CheckboxField
                name="resolved"
                label="Resolved"
                defaultChecked={limitation.resolved}
                error={errors("resolved")}
              />
            ) : null}
          </div>
        </>
      )}
    </PlanForm>
  );
}

export function DeleteLimitationButton({ id, title }: { id: string; title: string }) {
  return <DeleteButton action={deleteLimitationAction} id={id} what={`“${title}”`} />;
}

// --- recommendations and checklists ---

type TChecklistKind = keyof typeof CHECKLIST_KIND_LABELS;

export function ChecklistItemForm({ kind, item }: { kind: TChecklistKind; item?: { id: string; text: string } }) {
  return (
    <PlanForm
      action={saveChecklistItemAction}
      version={item ? item.text : undefined}
      submit={item ? "Save item" : "Add item"}
      testId={item ? `edit-item-${item.id}` : `add-item-${kind}`}
      className={item ? "" : "mt-2"}
    >
      {(errors) => (
        <>
          {item ? <input type="hidden" name="id" value={item.id} /> : <input type="hidden" name="kind" value={kind} />}
          <TextField
            name="text"
            label={item ? "Text" : `New item for “${CHECKLIST_KIND_LABELS[kind]}”`}
            defaultValue={item?.text}
            required
            error={[...errors("text"), ...errors("kind")]}
          />
        </>
      )}
    </PlanForm>
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
      <input
        id={id}
        type="checkbox"
        className="mt-1"
        checked={done}
        onChange={(e) => toggle(e.target.checked)}
        aria-busy={pending}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <label htmlFor={id} className={done ? "text-slate-600 line-through dark:text-slate-400" : ""}>
        {item.text}
      </label>
      {error ? (
        <p id={`${id}-error`} role="alert" className={ERROR_TEXT}>
          Not saved: {error}
        </p>
      ) : null}
    </div>
  );
}
