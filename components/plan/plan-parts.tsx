import type { ReactNode } from "react";
import { formatScore } from "@/components/ui/score";
import { CARD } from "@/components/ui/card";
import { Table } from "@/components/ui/table";
import { formatDay } from "@/lib/format";
import type { TChecklistView, TLimitationView, TPhaseView, TTaskView } from "@/lib/queries/plan";
import { CHECKLIST_KIND_LABELS, TASK_STATUS_LABELS } from "@/lib/services/plan/schema";
import {
  ChecklistItemForm,
  ChecklistToggle,
  DeleteLimitationButton,
  DeleteTaskButton,
  EditDisclosure,
  LimitationForm,
  PhaseForm,
  TaskForm,
  type TPhaseOption,
} from "@/app/plan/client";

// The plan page's parts: a task's status, the phases' timeline, the critical path, blockers and limitations, and
// the checklists. Editing controls appear for editors only.

export const muted = "text-slate-600 dark:text-slate-300";

const STATUS_STYLE: Record<TTaskView["status"], { icon: string; className: string }> = {
  todo: { icon: "○", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
  in_progress: { icon: "◐", className: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100" },
  done: { icon: "✓", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100" },
  blocked: { icon: "✕", className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100" },
};

function TaskStatus({ status }: { status: TTaskView["status"] }) {
  const style = STATUS_STYLE[status];
  return (
    <span
      data-status={status}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${style.className}`}
    >
      <span aria-hidden="true">{style.icon}</span>
      {TASK_STATUS_LABELS[status]}
    </span>
  );
}

function OverdueMark() {
  return (
    <span
      className="inline-flex items-center gap-1 rounded border border-red-400 px-1.5 text-xs font-semibold text-red-800 dark:text-red-300"
      data-testid="overdue"
    >
      <span aria-hidden="true">⚠</span>Overdue
    </span>
  );
}

/** A plan date is a calendar day: shown in UTC so no time zone moves it to the day before. */
function Day({ day }: { day: string | null }) {
  if (day === null) return <span className={muted}>no date</span>;
  return <time dateTime={day}>{formatDay(day)}</time>;
}

function phaseTiming(phase: TPhaseView, today: string): "past" | "current" | "upcoming" | null {
  if (phase.endDate !== null && phase.endDate < today) return "past";
  if (phase.startDate !== null && phase.startDate > today) return "upcoming";
  return phase.startDate !== null || phase.endDate !== null ? "current" : null;
}
const TIMING_LABEL = { past: "Ended", current: "Under way", upcoming: "Upcoming" } as const;

function TaskEditing({ task, phases }: { task: TTaskView; phases: TPhaseOption[] }) {
  return (
    <div className="flex flex-wrap items-start gap-3">
      <EditDisclosure label={task.title}>
        <TaskForm
          task={{
            id: task.id,
            title: task.title,
            owner: task.owner,
            dueDate: task.dueDate,
            status: task.status,
            criticalPath: task.criticalPath,
            phaseId: task.phaseId,
            notes: task.notes,
          }}
          phases={phases}
        />
      </EditDisclosure>
      <DeleteTaskButton id={task.id} title={task.title} />
    </div>
  );
}

export function PhaseCard({
  phase,
  measuredPct,
  today,
  editor,
  phases,
  criticalCount,
}: {
  phase: TPhaseView;
  measuredPct: number | null;
  today: string;
  editor: boolean;
  phases: TPhaseOption[];
  criticalCount: number;
}) {
  const timing = phaseTiming(phase, today);
  const short =
    phase.expectedReadinessPct !== null &&
    measuredPct !== null &&
    timing !== "upcoming" &&
    measuredPct < phase.expectedReadinessPct;
  return (
    <li className="relative pl-6" data-phase={phase.id}>
      <span
        aria-hidden="true"
        className={`absolute top-5 -left-[7px] h-3 w-3 rounded-full border-2 ${timing === "current" ? "border-sky-600 bg-sky-600" : timing === "past" ? "border-slate-500 bg-slate-500" : "border-slate-400 bg-white dark:bg-slate-950"}`}
      />
      <div className={`${CARD.default} space-y-3`}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 className="font-semibold">{phase.name}</h3>
          <p className="text-sm">
            <Day day={phase.startDate} /> – <Day day={phase.endDate} />
            {timing ? (
              <span
                className={`ml-2 text-xs font-semibold uppercase ${timing === "current" ? "text-sky-800 dark:text-sky-300" : muted}`}
              >
                {TIMING_LABEL[timing]}
              </span>
            ) : null}
          </p>
        </div>
        {phase.goal ? <p className="text-sm">{phase.goal}</p> : null}
        <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm">
          <div>
            <dt className={`text-xs uppercase ${muted}`}>Expected readiness</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="expected-readiness">
              {phase.expectedReadinessPct === null ? "not set" : `${phase.expectedReadinessPct} %`}
            </dd>
          </div>
          <div>
            <dt className={`text-xs uppercase ${muted}`}>Measured now</dt>
            <dd className="text-lg font-semibold tabular-nums" data-testid="measured-readiness">
              {formatScore(measuredPct)}
            </dd>
          </div>
        </dl>
        {short ? (
          <p className="text-sm font-medium text-amber-900 dark:text-amber-200">
            <span aria-hidden="true">⚠ </span>Measured readiness is below what this phase expected.
          </p>
        ) : null}
        {phase.tasks.length > 0 ? (
          <ul className="space-y-2 text-sm">
            {phase.tasks.map((t) => (
              <li key={t.id} data-task={t.id} className="space-y-1">
                <div className="flex flex-wrap items-baseline gap-2">
                  <TaskStatus status={t.status} />
                  <span>{t.title}</span>
                  {t.owner ? <span className={`text-xs ${muted}`}>{t.owner}</span> : null}
                  {t.overdue ? <OverdueMark /> : null}
                </div>
                {editor ? <TaskEditing task={t} phases={phases} /> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {criticalCount > 0 ? (
          <p className={`text-xs ${muted}`}>
            And {criticalCount} task{criticalCount === 1 ? "" : "s"} of this phase on the critical path below.
          </p>
        ) : null}
        {editor ? (
          <EditDisclosure label={`phase ${phase.name}`}>
            <PhaseForm
              phase={{
                id: phase.id,
                name: phase.name,
                startDate: phase.startDate,
                endDate: phase.endDate,
                expectedReadinessPct: phase.expectedReadinessPct,
                goal: phase.goal,
              }}
            />
          </EditDisclosure>
        ) : null}
      </div>
    </li>
  );
}

export function CriticalPathTable({
  tasks,
  editor,
  phases,
}: {
  tasks: TTaskView[];
  editor: boolean;
  phases: TPhaseOption[];
}) {
  return (
    <Table
      data-testid="critical-path"
      caption="Critical-path tasks in due order: task, owner, due date, status and phase; overdue tasks are marked Overdue"
      captionHidden
      rows={tasks}
      rowKey={(t) => t.id}
      rowProps={(t) => ({
        "data-task": t.id,
        "data-status": t.status,
        "data-overdue": String(t.overdue),
        className: t.overdue ? "bg-red-50 dark:bg-red-950/40" : "",
      })}
      empty="No task is on the critical path."
      columns={[
        {
          key: "task",
          header: "Task",
          primary: true,
          className: "font-medium",
          cell: (t) => (
            <>
              {t.title}
              {t.notes ? <span className={`block text-xs font-normal ${muted}`}>{t.notes}</span> : null}
            </>
          ),
        },
        { key: "owner", header: "Owner", cell: (t) => t.owner || <span className={muted}>unassigned</span> },
        {
          key: "due",
          header: "Due",
          className: "md:whitespace-nowrap",
          cell: (t) => (
            <>
              <Day day={t.dueDate} />
              {t.overdue ? (
                <span className="block">
                  <OverdueMark />
                </span>
              ) : null}
            </>
          ),
        },
        { key: "status", header: "Status", cell: (t) => <TaskStatus status={t.status} /> },
        { key: "phase", header: "Phase", cell: (t) => t.phaseName ?? <span className={muted}>—</span> },
        ...(editor
          ? [
              {
                key: "change",
                header: <span className="sr-only">Change</span>,
                label: "",
                cell: (t: TTaskView) => <TaskEditing task={t} phases={phases} />,
              },
            ]
          : []),
      ]}
    />
  );
}

export function LimitationItem({ item, editor }: { item: TLimitationView; editor: boolean }) {
  return (
    <li
      className={`${CARD.default} space-y-2`}
      data-limitation={item.id}
      data-blocking={item.blocking}
      data-resolved={item.resolvedAt !== null}
    >
      <h4 className="font-semibold">
        {item.blocking && !item.resolvedAt ? (
          <span className="mr-1 text-red-800 dark:text-red-300">✕ Blocker:</span>
        ) : null}
        {item.resolvedAt ? <span className="mr-1 text-emerald-800 dark:text-emerald-300">✓ Resolved:</span> : null}
        {item.title}
      </h4>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
        {(
          [
            ["Impact", item.impact],
            ["Mitigation", item.mitigation],
            ["Timeline", item.timeline],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-medium">{label}</dt>
            <dd className="break-words">{value || <span className={muted}>—</span>}</dd>
          </div>
        ))}
      </dl>
      {editor ? (
        <div className="flex flex-wrap items-start gap-3">
          <EditDisclosure label={item.title}>
            <LimitationForm
              limitation={{
                id: item.id,
                title: item.title,
                impact: item.impact,
                mitigation: item.mitigation,
                timeline: item.timeline,
                blocking: item.blocking,
                resolved: item.resolvedAt !== null,
              }}
            />
          </EditDisclosure>
          <DeleteLimitationButton id={item.id} title={item.title} />
        </div>
      ) : null}
    </li>
  );
}

export function LimitationList({
  items,
  editor,
  testId,
  className = "space-y-3",
}: {
  items: TLimitationView[];
  editor: boolean;
  testId?: string;
  className?: string;
}) {
  return (
    <ul className={className} data-testid={testId}>
      {items.map((l) => (
        <LimitationItem key={l.id} item={l} editor={editor} />
      ))}
    </ul>
  );
}

export function Checklist({
  kind,
  items,
  editor,
}: {
  kind: keyof typeof CHECKLIST_KIND_LABELS;
  items: TChecklistView[];
  editor: boolean;
}) {
  const done = items.filter((i) => i.done).length;
  return (
    <div className={`${CARD.default} space-y-2`} data-testid={`checklist-${kind}`}>
      <h3 className="font-semibold">
        {CHECKLIST_KIND_LABELS[kind]}{" "}
        <span className={`text-sm font-normal ${muted}`}>
          ({done} of {items.length} done)
        </span>
      </h3>
      {items.length === 0 ? <p className={`text-sm ${muted}`}>Nothing listed.</p> : null}
      <ul className="space-y-2 text-sm">
        {items.map((item) => (
          <li key={item.id} data-item={item.id} data-done={item.done}>
            {editor ? (
              <>
                <ChecklistToggle item={item} />
                <div className="ml-6">
                  <EditDisclosure label={item.text}>
                    <ChecklistItemForm kind={kind} item={item} />
                  </EditDisclosure>
                </div>
              </>
            ) : (
              <span className="flex items-start gap-2">
                <span aria-hidden="true">{item.done ? "☑" : "☐"}</span>
                <span>
                  {item.text} <span className={`text-xs ${muted}`}>({item.done ? "done" : "not done"})</span>
                </span>
              </span>
            )}
          </li>
        ))}
      </ul>
      {editor ? <ChecklistItemForm kind={kind} /> : null}
    </div>
  );
}

/** An editor's "Add a …" disclosure in a card. */
export function AddDisclosure({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className={CARD.default}>
      <summary className="cursor-pointer font-medium">{summary}</summary>
      <div className="mt-3">{children}</div>
    </details>
  );
}
