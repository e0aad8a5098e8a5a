import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { ObservedAge, Source } from "@/components/ui/provenance";
import { LocalTime } from "@/components/ui/local-time";
import { CriticalMark, KeyMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { evaluateLive } from "@/lib/queries/readiness";
import type { CheckResult, CheckVerdict } from "@/lib/readiness/evaluate";
import { requireUser } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";
import { CARD, Section } from "@/components/ui/card";

export const metadata: Metadata = { title: "Approval criteria" };

const GROUPS: { verdict: CheckVerdict; title: string; icon: string; empty: string }[] = [
  { verdict: "passed", title: "Passed", icon: "☑", empty: "None yet." },
  { verdict: "warning", title: "Warning", icon: "!", empty: "" },
  { verdict: "pending", title: "Pending", icon: "☐", empty: "None: every criterion has evidence." },
  { verdict: "failed", title: "Failed", icon: "☒", empty: "None." },
  { verdict: "waived", title: "Waived", icon: "~", empty: "" },
];

function Criterion({ c, now }: { c: CheckResult; now: string }) {
  return (
    <li data-criterion={c.id} data-verdict={c.verdict} className={`${CARD.box} p-3`}>
      <div className="flex flex-wrap items-baseline gap-2">
        <VerdictBadge verdict={c.verdict} />
        <span className="font-medium">{c.name}</span>
        {c.critical ? <CriticalMark /> : null}
        {c.key ? <KeyMark /> : null}
      </div>
      <dl className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
        <dt className="text-slate-500 dark:text-slate-400">Measured</dt>
        <dd className="tabular-nums">
          {c.measured ?? <span className="text-slate-500 dark:text-slate-400">no evidence</span>}
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Needs</dt>
        <dd>{c.threshold}</dd>
        {c.reason ? (
          <>
            <dt className="text-slate-500 dark:text-slate-400">{c.verdict === "waived" ? "Waiver" : "Why"}</dt>
            <dd className={c.verdict === "failed" ? "text-red-800 dark:text-red-300" : ""}>{c.reason}</dd>
          </>
        ) : null}
        <dt className="text-slate-500 dark:text-slate-400">Source</dt>
        <dd className="text-xs text-slate-600 dark:text-slate-300">
          <Source source={c.source} evidenceUrl={c.evidenceUrl} /> · <ObservedAge at={c.observedAt} now={now} />
        </dd>
      </dl>
    </li>
  );
}

async function CriteriaPage() {
  await connection();
  await requireUser();
  const { config } = getConfig();
  const view = await evaluateLive({ prisma: getPrisma(), config }, new Date());
  const { criteria, evaluatedAt } = view.result;

  if (!view.configured || criteria.length === 0) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-bold tracking-tight">Approval criteria</h1>
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          {view.configured ? "The scorecard declares no approval criteria." : "No scorecard is configured."} Add{" "}
          <code className="font-mono">scorecard.criteria</code> to the configuration: checks of any kind, or{" "}
          <code className="font-mono">{"{ kind: check, check: <scorecard check id> }"}</code> to take a scorecard
          check&apos;s verdict. Mark the ones that gate go-live <code className="font-mono">critical: true</code>.
        </p>
      </div>
    );
  }

  const count = (v: CheckVerdict) => criteria.filter((c) => c.verdict === v).length;
  const blocking = criteria.filter((c) => c.critical && c.verdict !== "passed" && c.verdict !== "waived");

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Approval criteria</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Evaluated live at <LocalTime iso={evaluatedAt} />: a criterion passes only on evidence; without it, or with
          stale evidence, it is pending.
        </p>
        <p className="mt-2 text-sm" data-testid="criteria-summary">
          {count("passed")} of {criteria.length} passed, {count("pending")} pending, {count("failed")} failed
          {count("waived") > 0 ? `, ${count("waived")} waived` : ""}.{" "}
          {blocking.length > 0 ? (
            <strong>
              {blocking.length} critical {blocking.length === 1 ? "criterion blocks" : "criteria block"} go-live.
            </strong>
          ) : (
            "No critical criterion blocks go-live."
          )}{" "}
          <Link href="/scorecard" className="underline underline-offset-2">
            Scorecard
          </Link>
        </p>
      </div>

      {GROUPS.filter((g) => (g.verdict !== "waived" && g.verdict !== "warning") || count(g.verdict) > 0).map(
        (group) => {
          const items = criteria.filter((c) => c.verdict === group.verdict);
          return (
            <Section
              key={group.verdict}
              id={`group-${group.verdict}`}
              className="space-y-2"
              title={
                <>
                  <span aria-hidden="true">{group.icon} </span>
                  {group.title} ({items.length})
                </>
              }
            >
              {items.length === 0 ? (
                <p className="text-sm text-slate-600 dark:text-slate-300">{group.empty}</p>
              ) : (
                <ul className="space-y-2">
                  {items.map((c) => (
                    <Criterion key={c.id} c={c} now={evaluatedAt} />
                  ))}
                </ul>
              )}
            </Section>
          );
        },
      )}
    </div>
  );
}

export default withDatabasePage(CriteriaPage);
