import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import {
  AddDisclosure,
  Checklist,
  CriticalPathTable,
  LimitationList,
  muted,
  PhaseCard,
} from "@/components/plan/plan-parts";
import { withDatabasePage } from "@/components/outage/with-database";
import { Section } from "@/components/ui/card";
import { formatScore } from "@/components/ui/score";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { getPlan } from "@/lib/queries/plan";
import { evaluateLive } from "@/lib/queries/readiness";
import { LimitationForm, PhaseForm, TaskForm, type TPhaseOption } from "./client";

export const metadata: Metadata = { title: "Plan" };

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
          The deployment phases, the critical path, what blocks go-live and what to check before and after it. Seeded
          once from the configuration; from then on it is kept here
          {editor ? ", and every change you make is recorded in the audit log" : " by editors"}.
        </p>
        {empty ? (
          <p className="rounded border border-dashed border-slate-300 p-3 text-sm dark:border-slate-700">
            No plan yet. Add a <code className="font-mono">plan:</code> section to the configuration before the first
            start{editor ? ", or add phases and tasks below" : ""}.
          </p>
        ) : null}
      </div>

      <Section id="phases" title="Deployment strategy" className="space-y-3">
        <p className={`text-sm ${muted}`}>
          Each phase shows the readiness it expects to reach beside the readiness measured now (
          {live.configured ? formatScore(measuredPct) : "no scorecard is configured"}; see the{" "}
          <Link href="/scorecard" className="underline">
            scorecard
          </Link>
          ).
        </p>
        {plan.phases.length > 0 ? (
          <ol className="ml-2 space-y-4 border-l-2 border-slate-300 dark:border-slate-700" data-testid="phases">
            {plan.phases.map((p) => (
              <PhaseCard
                key={p.id}
                phase={p}
                measuredPct={measuredPct}
                today={today}
                editor={editor}
                phases={phases}
                criticalCount={plan.criticalPath.filter((t) => t.phaseId === p.id).length}
              />
            ))}
          </ol>
        ) : (
          <p className={`text-sm ${muted}`}>No phases.</p>
        )}
        {editor ? (
          <AddDisclosure summary="Add a phase">
            <PhaseForm />
          </AddDisclosure>
        ) : null}
      </Section>

      <Section id="critical" title="Critical path to go-live" className="space-y-3">
        <p className="text-sm" data-testid="overdue-count">
          {plan.overdue === 0
            ? "No critical-path task is overdue."
            : `${plan.overdue} critical-path task${plan.overdue === 1 ? " is" : "s are"} overdue.`}
        </p>
        <CriticalPathTable tasks={plan.criticalPath} editor={editor} phases={phases} />
        {editor ? (
          <AddDisclosure summary="Add a task">
            <TaskForm phases={phases} defaultCriticalPath />
          </AddDisclosure>
        ) : null}
      </Section>

      <Section id="blockers" title="Blockers and known limitations" className="space-y-3">
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
        {blockers.length > 0 ? <LimitationList items={blockers} editor={editor} testId="blockers" /> : null}
        <h3 className="font-semibold">Known limitations ({known.length})</h3>
        {known.length > 0 ? (
          <LimitationList items={known} editor={editor} testId="limitations" />
        ) : (
          <p className={`text-sm ${muted}`}>None recorded.</p>
        )}
        {resolved.length > 0 ? (
          <details>
            <summary className="cursor-pointer text-sm font-medium">Resolved ({resolved.length})</summary>
            <LimitationList items={resolved} editor={editor} className="mt-2 space-y-3" />
          </details>
        ) : null}
        {editor ? (
          <AddDisclosure summary="Add a blocker or limitation">
            <LimitationForm />
          </AddDisclosure>
        ) : null}
      </Section>

      <Section id="risks" title="Risks" className="space-y-1">
        <p className="text-sm">
          {openRisks.length} open or accepted risk{openRisks.length === 1 ? "" : "s"}
          {openRisks.length > 0 ? `, ${openRisks.filter((r) => r.level === "high").length} of them high` : ""}: see the{" "}
          <Link href="/risks" className="underline">
            risk matrix
          </Link>
          .
        </p>
      </Section>

      <Section id="recommendations" title="Recommendations and checklists" className="space-y-3">
        <div className="grid gap-4 lg:grid-cols-3">
          <Checklist kind="recommendation" items={plan.recommendations} editor={editor} />
          <Checklist kind="pre_deployment" items={plan.preDeployment} editor={editor} />
          <Checklist kind="post_deployment" items={plan.postDeployment} editor={editor} />
        </div>
      </Section>
    </div>
  );
}

export default withDatabasePage(PlanPage);
