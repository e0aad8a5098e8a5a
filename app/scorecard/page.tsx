import type { Metadata } from "next";
import { connection } from "next/server";
import { withDatabasePage } from "@/components/outage/with-database";
import { NotConfigured } from "@/components/scorecard/checks-table";
import { ScorecardDetails } from "@/components/scorecard/details";
import { OverallSection } from "@/components/scorecard/overall";
import { LocalTime } from "@/components/ui/local-time";
import { requireUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { judgeGate } from "@/lib/readiness/gate";
import { snapshotTrend } from "@/lib/readiness/snapshot";
import { describeTrend } from "@/lib/readiness/trend";
import { refreshReadiness } from "@/lib/services/readiness/refresh";

export const metadata: Metadata = { title: "Scorecard" };

const TREND_DAYS = 30;

async function ScorecardPage() {
  await connection();
  await requireUser();
  const prisma = getPrisma();
  const { config } = getConfig();
  const now = new Date();
  // Evaluating here also stores a snapshot when a verdict changed (or an hour passed), so the hash shown below
  // is the one that stands for the verdicts on this page.
  const view = await refreshReadiness({ prisma, config }, now);
  const trend = await snapshotTrend(prisma, new Date(now.getTime() - TREND_DAYS * 86_400_000));
  const { result } = view;
  const nowIso = result.evaluatedAt;

  if (!view.configured) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-bold tracking-tight">Scorecard</h1>
        <NotConfigured />
      </div>
    );
  }

  const gate = judgeGate(result, view.gateMinPct);
  const trendText = describeTrend(trend, TREND_DAYS, view.gateMinPct);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Scorecard</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Evaluated <LocalTime iso={nowIso} /> from live probes and CI evidence. Each category scores the weighted share
          of its passed checks (waived ones leave the count, pending ones stay in it); every verdict shows the value it
          was judged on, its source and its age.
        </p>
      </div>

      <OverallSection result={result} gate={gate} snapshot={view.snapshot} stored={view.stored} nowIso={nowIso} />
      <ScorecardDetails
        result={result}
        gateMinPct={view.gateMinPct}
        trend={trend}
        trendText={trendText}
        nowIso={nowIso}
      />
    </div>
  );
}

export default withDatabasePage(ScorecardPage);
