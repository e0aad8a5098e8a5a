import Link from "next/link";
import { Figure } from "@/components/live/live-refresh";
import { Card } from "@/components/ui/card";
import { Pill } from "@/components/ui/pill";
import { formatDuration } from "@/lib/config/duration";
import { formatNumber, formatPercent } from "@/lib/format";
import type { TSloState } from "@/lib/slo/compute";
import type { TSloResult } from "@/lib/slo/read";

// One SLO at a glance: the SLI against the objective, the error budget left as a bar, and the burn state as a word
// (never colour alone). Unknown time is neither good nor bad: the card says how much of the window was observed.

const STATES: Record<TSloState, { icon: string; label: string; className: string }> = {
  ok: {
    icon: "✓",
    label: "Within budget",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  },
  "slow burn": {
    icon: "!",
    label: "Slow burn",
    className: "bg-amber-100 text-amber-950 dark:bg-amber-900/50 dark:text-amber-100",
  },
  "fast burn": {
    icon: "▲",
    label: "Fast burn",
    className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100",
  },
  exhausted: {
    icon: "✕",
    label: "Budget exhausted",
    className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100",
  },
  "no data": {
    icon: "…",
    label: "No data",
    className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  },
};

export function SloStatePill({ state }: { state: TSloState }) {
  const style = STATES[state];
  return <Pill icon={style.icon} label={style.label} className={style.className} data={{ "data-slo-state": state }} />;
}

/** The state, and the burn alert beside it when the state is another (an exhausted budget still burning fast). */
export function SloStatePills({ slo }: { slo: TSloResult }) {
  const alert = slo.alert && slo.alert !== slo.state ? STATES[slo.alert] : null;
  return (
    <span className="inline-flex flex-wrap gap-1">
      <SloStatePill state={slo.state} />
      {alert && slo.alert ? (
        <Pill
          icon={alert.icon}
          label={alert.label}
          className={alert.className}
          data={{ "data-slo-alert": slo.alert }}
        />
      ) : null}
    </span>
  );
}

/** "43m 12s of 43m 12s" for time budgets, "120 of 1,000 events" for event budgets. */
function amount(value: number, unit: TSloResult["unit"]): string {
  return unit === "ms" ? formatDuration(Math.max(0, value)) : formatNumber(Math.round(Math.max(0, value)));
}

export function BudgetBar({ slo }: { slo: TSloResult }) {
  const remaining = slo.budget.remainingPct;
  const width = remaining === null ? 0 : Math.max(0, Math.min(100, remaining));
  const colour =
    remaining === null ? "" : remaining <= 0 ? "bg-red-600" : remaining < 25 ? "bg-amber-500" : "bg-emerald-600";
  return (
    <div>
      <div
        role="meter"
        aria-label={`Error budget left: ${formatPercent(remaining)}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={remaining === null ? undefined : Math.max(0, Math.min(100, remaining))}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
      >
        <div className={`h-full ${colour}`} style={{ width: `${width}%` }} />
      </div>
      <p className="mt-1 text-sm">
        <Figure>
          <strong data-testid="slo-budget">{formatPercent(remaining)}</strong> of the error budget left
          {slo.budget.allowed > 0
            ? slo.budget.consumed > slo.budget.allowed
              ? `: overspent, ${amount(slo.budget.consumed, slo.unit)} bad against ${amount(slo.budget.allowed, slo.unit)} allowed${slo.unit === "events" ? " (events)" : ""}`
              : ` (${amount(slo.budget.allowed - slo.budget.consumed, slo.unit)} of ${amount(slo.budget.allowed, slo.unit)}${slo.unit === "events" ? " events" : ""})`
            : ""}
          {slo.budget.exhaustsInMs !== null && slo.budget.exhaustsInMs > 0
            ? `; at the last hour's rate it runs out in ${formatDuration(slo.budget.exhaustsInMs)}`
            : ""}
        </Figure>
      </p>
    </div>
  );
}

export function burnLine(slo: TSloResult): string {
  const rate = (w: keyof TSloResult["burn"]) => {
    const r = slo.burn[w];
    return r === null ? `${w} –` : `${w} ${formatNumber(r)}×`;
  };
  return `Burn rate ${rate("1h")} · ${rate("6h")} · ${rate("3d")}`;
}

export function SloCard({ slo, headingLevel = 3 }: { slo: TSloResult; headingLevel?: 2 | 3 }) {
  return (
    <Card
      headingLevel={headingLevel}
      title={<Link href={`/slos#${slo.id}`}>{slo.name}</Link>}
      actions={<SloStatePills slo={slo} />}
      data={{ "data-slo": slo.id, "data-slo-state": slo.state, "data-slo-alert": slo.alert ?? "none" }}
    >
      <p className="text-sm">
        <Figure>
          SLI <strong>{formatPercent(slo.sli)}</strong> against {formatPercent(slo.objective)} over {slo.window},
          rolling
        </Figure>
      </p>
      <BudgetBar slo={slo} />
      <p className="text-xs text-slate-600 dark:text-slate-300">
        <Figure>{burnLine(slo)}</Figure>
        {slo.coverage !== null && slo.coverage < 0.99
          ? ` · observed ${formatPercent(slo.coverage * 100)} of the window (unknown time counts neither way)`
          : ""}
      </p>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Source: {slo.source}
        {slo.reason ? ` · ${slo.reason}` : ""}
      </p>
    </Card>
  );
}

export function SloCards({ slos }: { slos: TSloResult[] }) {
  if (slos.length === 0) return null;
  return (
    <section aria-labelledby="slos-heading" className="space-y-3">
      <h2 id="slos-heading" className="text-lg font-semibold">
        Service level objectives
      </h2>
      <div className="grid gap-3 md:grid-cols-2">
        {slos.map((slo) => (
          <SloCard key={slo.id} slo={slo} />
        ))}
      </div>
    </section>
  );
}
