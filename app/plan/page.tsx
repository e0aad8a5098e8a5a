import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { formatScore } from "@/components/ui/score";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { formatDay } from "@/lib/format";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getPlan, type TChecklistView, type TLimitationView, type TPhaseView, type TTaskView } from "@/lib/queries/plan";
import { evaluateLive } from "@/lib/queries/readiness";
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
} from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Plan" };

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300";
const td = "px-3 py-2 align-top";
const card = "rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900";
const muted = "text-slate-600 dark:text-slate-300";

const STATUS_STYLE: Record<TTaskView["status"], { icon: string; className: string }> = {
  todo: { icon: "○", className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200" },
  in_progress: { icon: "◐", className: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100" },
  done: { icon: "✓", className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100" },
  blocked: { icon: "✕", className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100" },
};

function TaskStatus({ status }: { status: TTaskView["status"] }) {
  const style = STATUS_STYLE[status];
  return (
    <span data-status={status} className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${style.className}`}>
      <span aria-hidden="true">{style.icon}</span>
      {TASK_STATUS_LABELS[status]}
    </span>
  );
}

function OverdueMark() {
  return (
    <span className="inline-flex items-center gap-1 rounded border border-red-400 px-1.5 text-xs font-semibold text-red-800 dark:text-red-300" data-testid="overdue">
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
        <TaskForm task={{ id: task.id, title: task.title, owner: task.owner, dueDate: task.dueDate, status: task.status, criticalPath: task.criticalPath, phaseId: task.phaseId, notes: task.notes }} phases={phases} />
      </EditDisclosure>
      <DeleteTaskButton id={task.id} title={task.title} />
    </div>
  );
}

function PhaseCard({ phase, measuredPct, today, editor, phases, criticalCount }: { phase: TPhaseView; measuredPct: number | null; today: string; editor: boolean; phases: TPhaseOption[]; criticalCount: number }) {
  const timing = phaseTiming(phase, today);
  const short = phase.expectedReadinessPct !== null && measuredPct !== null && timing !== "upcoming" && measuredPct < phase.expectedReadinessPct;
  return (
    <li className="relative pl-6" data-phase={phase.id}>
      <span aria-hidden="true" className={`absolute top-5 -left-[7px] h-3 w-3 rounded-full border-2 ${timing === "current" ? "border-sky-600 bg-sky-600" : timing === "past" ? "border-slate-500 bg-slate-500" : "border-slate-400 bg-white dark:bg-slate-950"}`} />
      <div className={`${card} space-y-3`}>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h3 className="font-semibold">{phase.name}</h3>
          <p className="text-sm">
            <Day day={phase.startDate} /> – <Day day={phase.endDate} />
            {timing ? <span className={`ml-2 text-xs font-semibold uppercase ${timing === "current" ? "text-sky-800 dark:text-sky-300" : muted}`}>{TIMING_LABEL[timing]}</span> : null}
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
        {criticalCount > 0 ? <p className={`text-xs ${muted}`}>And {criticalCount} task{criticalCount === 1 ? "" : "s"} of this phase on the critical path below.</p> : null}
        {editor ? (
          <EditDisclosure label={`phase ${phase.name}`}>
            <PhaseForm phase={{ id: phase.id, name: phase.name, startDate: phase.startDate, endDate: phase.endDate, expectedReadinessPct: phase.expectedReadinessPct, goal: phase.goal }} />
          </EditDisclosure>
        ) : null}
      </div>
    </li>
  );
}

function LimitationItem({ item, editor }: { item: TLimitationView; editor: boolean }) {
  return (
    <li className={`${card} space-y-2`} data-limitation={item.id} data-blocking={item.blocking} data-resolved={item.resolvedAt !== null}>
      <h4 className="font-semibold">
        {item.blocking && !item.resolvedAt ? <span className="mr-1 text-red-800 dark:text-red-300">✕ Blocker:</span> : null}
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
            <dd>{value || <span className={muted}>—</span>}</dd>
          </div>
        ))}
      </dl>
      {editor ? (
        <div className="flex flex-wrap items-start gap-3">
          <EditDisclosure label={item.title}>
            <LimitationForm limitation={{ id: item.id, title: item.title, impact: item.impact, mitigation: item.mitigation, timeline: item.timeline, blocking: item.blocking, resolved: item.resolvedAt !== null }} />
          </EditDisclosure>
          <DeleteLimitationButton id={item.id} title={item.title} />
        </div>
      ) : null}
    </li>
  );
}

function Checklist({ kind, items, editor }: { kind: keyof typeof CHECKLIST_KIND_LABELS; items: TChecklistView[]; editor: boolean }) {
  const done = items.filter((i) => i.done).length;
  return (
    <div className={`${card} space-y-2`} data-testid={`checklist-${kind}`}>
      <h3 className="font-semibold">
        {CHECKLIST_KIND_LABELS[kind]} <span className={`text-sm font-normal ${muted}`}>({done} of {items.length} done)</span>
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

/** Reference sections 6, 7, 8 and 10: the deployment phases, the critical path, blockers and limitations, and the checklists. */
async function PlanPage() {
  await connection();
  const actor = await requireUser();
  const prisma = getPrisma();
  const { config } = getConfig();
  const now = new Date();
  const [plan, live] = await Promise.all([getPlan(prisma, now), evaluateLive({ prisma, config }, now)]);
  const editor = can(actor.role, "plan:edit");
  const today = now.toISOString().slice(0, 10);
  const measuredPct = live.configured ? live.result.overallPct : null;
  const phases: TPhaseOption[] = plan.phases.map((p) => ({ id: p.id, name: p.name }));
  const open = plan.limitations.filter((l) => !l.resolvedAt);
  const blockers = open.filter((l) => l.blocking);
  const known = open.filter((l) => !l.blocking);
  const resolved = plan.limitations.filter((l) => l.resolvedAt);
  const openRisks = plan.risks.filter((r) => r.status === "open" || r.status === "accepted");
  const empty = plan.phases.length === 0 && plan.criticalPath.length === 0 && plan.limitations.length === 0;

  return (
    <div className="space-y-10">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">Plan to go-live</h1>
        <p className={`text-sm ${muted}`}>
          The deployment phases, the critical path, what blocks go-live and what to check before and after it. Seeded once from the configuration; from then on it is kept here
          {editor ? ", and every change you make is recorded in the audit log" : " by editors"}.
        </p>
        {empty ? (
          <p className="rounded border border-dashed border-slate-300 p-3 text-sm dark:border-slate-700">
            No plan yet. Add a <code className="font-mono">plan:</code> section to the configuration before the first start{editor ? ", or add phases and tasks below" : ""}.
          </p>
        ) : null}
      </div>

      <section aria-labelledby="phases-heading" className="space-y-3">
        <h2 id="phases-heading" className="text-lg font-semibold">
          Deployment strategy
        </h2>
        <p className={`text-sm ${muted}`}>
          Each phase shows the readiness it expects to reach beside the readiness measured now ({live.configured ? formatScore(measuredPct) : "no scorecard is configured"}; see the{" "}
          <Link href="/scorecard" className="underline">
            scorecard
          </Link>
          ).
        </p>
        {plan.phases.length > 0 ? (
          <ol className="ml-2 space-y-4 border-l-2 border-slate-300 dark:border-slate-700" data-testid="phases">
            {plan.phases.map((p) => (
              <PhaseCard key={p.id} phase={p} measuredPct={measuredPct} today={today} editor={editor} phases={phases} criticalCount={plan.criticalPath.filter((t) => t.phaseId === p.id).length} />
            ))}
          </ol>
        ) : (
          <p className={`text-sm ${muted}`}>No phases.</p>
        )}
        {editor ? (
          <details className={card}>
            <summary className="cursor-pointer font-medium">Add a phase</summary>
            <div className="mt-3">
              <PhaseForm />
            </div>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="critical-heading" className="space-y-3">
        <h2 id="critical-heading" className="text-lg font-semibold">
          Critical path to go-live
        </h2>
        <p className="text-sm" data-testid="overdue-count">
          {plan.overdue === 0 ? "No critical-path task is overdue." : `${plan.overdue} critical-path task${plan.overdue === 1 ? " is" : "s are"} overdue.`}
        </p>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="critical-path">
            <caption className="sr-only">Critical-path tasks in due order: task, owner, due date, status and phase; overdue tasks are marked Overdue</caption>
            <thead className="border-b border-slate-200 dark:border-slate-800">
              <tr>
                {["Task", "Owner", "Due", "Status", "Phase"].map((h) => (
                  <th key={h} scope="col" className={th}>
                    {h}
                  </th>
                ))}
                {editor ? (
                  <th scope="col" className={th}>
                    <span className="sr-only">Change</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {plan.criticalPath.length === 0 ? (
                <tr>
                  <td colSpan={editor ? 6 : 5} className={`${td} ${muted}`}>
                    No task is on the critical path.
                  </td>
                </tr>
              ) : null}
              {plan.criticalPath.map((t) => (
                <tr key={t.id} data-task={t.id} data-status={t.status} data-overdue={t.overdue} className={`border-b border-slate-100 last:border-0 dark:border-slate-800 ${t.overdue ? "bg-red-50 dark:bg-red-950/40" : ""}`}>
                  <th scope="row" className={`${td} text-left font-medium`}>
                    {t.title}
                    {t.notes ? <span className={`block text-xs font-normal ${muted}`}>{t.notes}</span> : null}
                  </th>
                  <td className={td}>{t.owner || <span className={muted}>unassigned</span>}</td>
                  <td className={`${td} whitespace-nowrap`}>
                    <Day day={t.dueDate} />
                    {t.overdue ? (
                      <span className="block">
                        <OverdueMark />
                      </span>
                    ) : null}
                  </td>
                  <td className={td}>
                    <TaskStatus status={t.status} />
                  </td>
                  <td className={td}>{t.phaseName ?? <span className={muted}>—</span>}</td>
                  {editor ? (
                    <td className={td}>
                      <TaskEditing task={t} phases={phases} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {editor ? (
          <details className={card}>
            <summary className="cursor-pointer font-medium">Add a task</summary>
            <div className="mt-3">
              <TaskForm phases={phases} defaultCriticalPath />
            </div>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="blockers-heading" className="space-y-3">
        <h2 id="blockers-heading" className="text-lg font-semibold">
          Blockers and known limitations
        </h2>
        <h3 className="font-semibold" data-testid="blocker-count">
          {blockers.length === 0 ? (
            <>
              <span aria-hidden="true">✓ </span>No open blocker holds go-live back.
            </>
          ) : (
            <span className="text-red-800 dark:text-red-300">
              <span aria-hidden="true">✕ </span>
              {blockers.length} open blocker{blockers.length === 1 ? "" : "s"}
            </span>
          )}
        </h3>
        {blockers.length > 0 ? (
          <ul className="space-y-3" data-testid="blockers">
            {blockers.map((l) => (
              <LimitationItem key={l.id} item={l} editor={editor} />
            ))}
          </ul>
        ) : null}
        <h3 className="font-semibold">Known limitations ({known.length})</h3>
        {known.length > 0 ? (
          <ul className="space-y-3" data-testid="limitations">
            {known.map((l) => (
              <LimitationItem key={l.id} item={l} editor={editor} />
            ))}
          </ul>
        ) : (
          <p className={`text-sm ${muted}`}>None recorded.</p>
        )}
        {resolved.length > 0 ? (
          <details>
            <summary className="cursor-pointer text-sm font-medium">Resolved ({resolved.length})</summary>
            <ul className="mt-2 space-y-3">
              {resolved.map((l) => (
                <LimitationItem key={l.id} item={l} editor={editor} />
              ))}
            </ul>
          </details>
        ) : null}
        {editor ? (
          <details className={card}>
            <summary className="cursor-pointer font-medium">Add a blocker or limitation</summary>
            <div className="mt-3">
              <LimitationForm />
            </div>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="risks-heading" className="space-y-1">
        <h2 id="risks-heading" className="text-lg font-semibold">
          Risks
        </h2>
        <p className="text-sm">
          {openRisks.length} open or accepted risk{openRisks.length === 1 ? "" : "s"}
          {openRisks.length > 0 ? `, ${openRisks.filter((r) => r.level === "high").length} of them high` : ""}: see the{" "}
          <Link href="/risks" className="underline">
            risk matrix
          </Link>
          .
        </p>
      </section>

      <section aria-labelledby="recommendations-heading" className="space-y-3">
        <h2 id="recommendations-heading" className="text-lg font-semibold">
          Recommendations and checklists
        </h2>
        <div className="grid gap-4 lg:grid-cols-3">
          <Checklist kind="recommendation" items={plan.recommendations} editor={editor} />
          <Checklist kind="pre_deployment" items={plan.preDeployment} editor={editor} />
          <Checklist kind="post_deployment" items={plan.postDeployment} editor={editor} />
        </div>
      </section>
    </div>
  );
}

export default withDatabasePage(PlanPage);
