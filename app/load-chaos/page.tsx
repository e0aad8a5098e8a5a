import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { LocalTime } from "@/components/ui/local-time";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { getConfig } from "@/lib/config/current";
import { formatDuration } from "@/lib/format";
import { getPrisma } from "@/lib/db/client";
import { CHAOS_RUNS, getLoadChaosView, LOAD_RUNS } from "@/lib/queries/evidence";
import { requireUser } from "@/lib/auth/session";
import { ChaosRunsTable, LoadRunsTable, muted } from "@/components/load-chaos/run-tables";
import { withDatabasePage } from "@/components/outage/with-database";
import { Section } from "@/components/ui/card";

export const metadata: Metadata = { title: "Load & chaos" };

async function LoadChaosPage() {
  await connection();
  await requireUser();
  const { config } = getConfig();
  const view = await getLoadChaosView(getPrisma(), config, new Date());
  const now = view.generatedAt;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Load &amp; chaos</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          k6 summaries judged against their own thresholds, and chaos experiments whose recovery time is measured from
          Preflight&apos;s probe history (the first confirmed-up check after the fault ended), not taken from the chaos
          tool. Evaluated <LocalTime iso={now} />.
        </p>
      </div>

      <Section id="load" title="Load tests">
        {view.loadTests.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
            No k6 summary received yet, and no <code className="font-mono">loadTest</code> check on the scorecard. Push
            one from CI or{" "}
            <Link href="/evidence" className="underline underline-offset-2">
              upload it
            </Link>
            .
          </p>
        ) : null}
        {view.loadTests.map((test, index) => (
          <section
            key={test.test}
            aria-labelledby={`load-${index}`}
            className="min-w-0 space-y-2"
            data-load-test={test.test}
          >
            <h3 id={`load-${index}`} className="font-semibold">
              {test.test}{" "}
              <span className="font-normal text-slate-600 dark:text-slate-300">
                ·{" "}
                {test.runs.length === 0
                  ? "no run received"
                  : `last ${test.runs.length} of up to ${LOAD_RUNS} runs, newest first`}
                {test.configured ? "" : " · not on the scorecard"}
              </span>
            </h3>
            {test.runs.length === 0 ? (
              <p className="text-sm">
                <VerdictBadge verdict="pending" /> The scorecard names this test, but no summary has been received.
              </p>
            ) : (
              <LoadRunsTable test={test.test} runs={test.runs} now={now} />
            )}
          </section>
        ))}
      </Section>

      <Section id="chaos" title="Chaos experiments" className="space-y-3">
        <p className={muted}>
          The last {CHAOS_RUNS} runs, newest first. Recovery: from the end of the fault to the first time the target was
          confirmed up again.
        </p>
        {view.chaosRuns.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
            No chaos experiment received yet. Push one from CI or{" "}
            <Link href="/evidence" className="underline underline-offset-2">
              record it
            </Link>
            .
          </p>
        ) : (
          <ChaosRunsTable runs={view.chaosRuns} now={now} />
        )}
        {view.chaosPending.length > 0 ? (
          <div className="space-y-1">
            <h3 className="text-sm font-semibold">Experiments the scorecard needs that have never run</h3>
            <ul className="space-y-1 text-sm" data-testid="chaos-pending">
              {view.chaosPending.map((p) => (
                <li key={p.checkId} className="flex flex-wrap items-baseline gap-2">
                  <VerdictBadge verdict="pending" />
                  <span className="font-mono">{p.experiment}</span>
                  <span className={muted}>
                    for {p.checkName}, bound ≤ {formatDuration(p.maxRecoveryMs)}
                  </span>
                  {p.critical ? <CriticalMark /> : null}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Section>
    </div>
  );
}

export default withDatabasePage(LoadChaosPage);
