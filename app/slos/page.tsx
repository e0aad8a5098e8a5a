import type { Metadata } from "next";
import { connection } from "next/server";
import { withDatabasePage } from "@/components/outage/with-database";
import { BudgetChart } from "@/components/slo/budget-chart";
import { BudgetBar, burnLine, SloStatePills } from "@/components/slo/slo-card";
import { Card, Section } from "@/components/ui/card";
import { Figure } from "@/components/live/live-refresh";
import { requireUser } from "@/lib/auth/session";
import { formatNumber, formatPercent } from "@/lib/format";
import { queryContext } from "@/lib/queries/context";
import { BURN_ALERTS } from "@/lib/slo/compute";
import { getSlos } from "@/lib/slo/read";

export const metadata: Metadata = { title: "SLOs" };

/** Every SLO: its figures, the budget over its window, and the multi-window burn alerts as the SRE workbook pairs them. */
async function SlosPage() {
  await connection();
  await requireUser();
  const ctx = queryContext();
  const slos = await getSlos(ctx, ctx.config.slos, { series: true });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold tracking-tight">Service level objectives</h1>
      {slos.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          No SLO is configured: add <code className="font-mono">slos:</code> to the configuration (see
          docs/configuration.md).
        </p>
      ) : null}
      {slos.map((slo) => (
        <Card
          key={slo.id}
          id={slo.id}
          title={slo.name}
          actions={<SloStatePills slo={slo} />}
          data={{ "data-slo": slo.id, "data-slo-state": slo.state, "data-slo-alert": slo.alert ?? "none" }}
        >
          {slo.description ? <p className="text-sm text-slate-600 dark:text-slate-300">{slo.description}</p> : null}
          <p className="text-sm">
            <Figure>
              SLI <strong>{formatPercent(slo.sli)}</strong> against {formatPercent(slo.objective)} over {slo.window},
              rolling{slo.coverage !== null ? `; ${formatPercent(slo.coverage * 100)} of the window observed` : ""}
            </Figure>
          </p>
          <BudgetBar slo={slo} />
          <BudgetChart
            name={slo.name}
            points={slo.series}
            coverage={slo.coverage}
            window={slo.window}
            windowMs={slo.windowMs}
          />
          <Section title="Burn-rate alerts" headingLevel={3} className="space-y-2">
            <p className="text-xs text-slate-600 dark:text-slate-300">
              <Figure>{burnLine(slo)}</Figure>. An alert fires when both windows of a pair burn at or above its rate
              (Google SRE workbook, multiwindow, multi-burn-rate).
            </p>
            <ul className="space-y-1 text-sm">
              {BURN_ALERTS.map((alert) => {
                const long = slo.burn[alert.long];
                const short = slo.burn[alert.short];
                const firing = long !== null && short !== null && long >= alert.rate && short >= alert.rate;
                return (
                  <li key={`${alert.long}-${alert.short}`} data-burn-alert={alert.alert} data-firing={firing}>
                    <strong>{firing ? "Firing" : "Quiet"}</strong>: {alert.alert}, {alert.long} and {alert.short} at{" "}
                    {formatNumber(alert.rate)}× (now {long === null ? "–" : `${formatNumber(long)}×`} and{" "}
                    {short === null ? "–" : `${formatNumber(short)}×`})
                  </li>
                );
              })}
            </ul>
          </Section>
          <p className="text-xs text-slate-600 dark:text-slate-300">
            Source: {slo.source}
            {slo.reason ? ` · ${slo.reason}` : ""}
          </p>
        </Card>
      ))}
    </div>
  );
}

export default withDatabasePage(SlosPage);
