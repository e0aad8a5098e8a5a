import type { Metadata } from "next";
import { connection } from "next/server";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { IMPACT_LABELS, PROBABILITY_LABELS } from "@/lib/config/plan-schema";
import { getPrisma } from "@/lib/db/client";
import { getPlan, riskLevel, type TRiskView } from "@/lib/queries/plan";
import { RISK_STATUS_LABELS } from "@/lib/services/plan/schema";
import { RiskEditing, RiskForm } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Risks" };

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300";
const td = "px-3 py-2 align-top";
const muted = "text-slate-600 dark:text-slate-300";
const SCALE = [1, 2, 3, 4, 5] as const;

const LEVEL_STYLE: Record<TRiskView["level"], { label: string; icon: string; cell: string; badge: string }> = {
  low: { label: "Low", icon: "○", cell: "bg-emerald-50 dark:bg-emerald-950/60", badge: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100" },
  medium: { label: "Medium", icon: "◐", cell: "bg-amber-50 dark:bg-amber-950/60", badge: "bg-amber-100 text-amber-950 dark:bg-amber-900/50 dark:text-amber-100" },
  high: { label: "High", icon: "●", cell: "bg-red-100 dark:bg-red-950/70", badge: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100" },
};

/** A risk level as an icon and a word, never by colour alone. */
function LevelBadge({ level }: { level: TRiskView["level"] }) {
  const style = LEVEL_STYLE[level];
  return (
    <span data-level={level} className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${style.badge}`}>
      <span aria-hidden="true">{style.icon}</span>
      {style.label}
    </span>
  );
}

const onMatrix = (r: TRiskView) => r.status === "open" || r.status === "accepted";

/** Probability rows from almost certain down to rare, impact columns from negligible up to severe. */
function RiskMatrix({ risks }: { risks: TRiskView[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] table-fixed border-separate border-spacing-1 text-sm" data-testid="risk-matrix">
        <caption className="sr-only">
          Risk matrix: probability from 5 (almost certain) down to 1 (rare) by impact from 1 (negligible) to 5 (severe); each cell gives its band and score and lists the open and
          accepted risks placed in it
        </caption>
        <thead>
          <tr>
            <td className="w-32" />
            {SCALE.map((impact) => (
              <th key={impact} scope="col" className="px-2 py-1 text-center text-xs font-semibold">
                Impact {impact}
                <span className={`block font-normal ${muted}`}>{IMPACT_LABELS[impact - 1]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...SCALE].reverse().map((probability) => (
            <tr key={probability}>
              <th scope="row" className="px-2 py-1 text-right text-xs font-semibold">
                Probability {probability}
                <span className={`block font-normal ${muted}`}>{PROBABILITY_LABELS[probability - 1]}</span>
              </th>
              {SCALE.map((impact) => {
                const score = probability * impact;
                const level = riskLevel(score);
                const here = risks.filter((r) => r.probability === probability && r.impact === impact);
                return (
                  <td key={impact} data-cell={`${probability}x${impact}`} data-level={level} className={`h-24 rounded p-1.5 align-top ${LEVEL_STYLE[level].cell}`}>
                    <span className={`block text-[0.7rem] ${muted}`}>
                      {LEVEL_STYLE[level].label} · {score}
                    </span>
                    {here.length > 0 ? (
                      <ul className="mt-1 space-y-1">
                        {here.map((r) => (
                          <li
                            key={r.id}
                            data-risk={r.id}
                            title={`${r.title}: probability ${r.probability} (${r.probabilityLabel}), impact ${r.impact} (${r.impactLabel}), score ${r.score}`}
                            className="rounded border border-slate-400 bg-white px-1.5 py-0.5 text-xs leading-snug shadow-sm dark:border-slate-600 dark:bg-slate-900"
                          >
                            {r.title}
                            {r.status === "accepted" ? <span className={`block ${muted}`}>accepted</span> : null}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Reference section 9: the risks on a 5 x 5 probability x impact matrix, and the register behind it. */
async function RisksPage() {
  await connection();
  const actor = await requireUser();
  const { risks } = await getPlan(getPrisma());
  const editor = can(actor.role, "plan:edit");
  const placed = risks.filter(onMatrix);
  const count = (level: TRiskView["level"]) => placed.filter((r) => r.level === level).length;

  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">Risks</h1>
        <p className={`text-sm ${muted}`}>
          Each risk scores probability × impact, 1 to 25: low up to 4, medium up to 12, high above. Open and accepted risks are placed on the matrix; mitigated and closed ones
          stay in the register below.
        </p>
        <p className="text-sm" data-testid="risk-summary">
          On the matrix: {placed.length} risk{placed.length === 1 ? "" : "s"}, {count("high")} high, {count("medium")} medium, {count("low")} low.
        </p>
      </div>

      <section aria-labelledby="matrix-heading" className="space-y-2">
        <h2 id="matrix-heading" className="text-lg font-semibold">
          Probability × impact
        </h2>
        <RiskMatrix risks={placed} />
      </section>

      <section aria-labelledby="register-heading" className="space-y-3">
        <h2 id="register-heading" className="text-lg font-semibold">
          Risk register ({risks.length})
        </h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="risks">
            <caption className="sr-only">Risks by score, highest first: area, probability, impact, score, level, mitigation, owner and status</caption>
            <thead className="border-b border-slate-200 dark:border-slate-800">
              <tr>
                {["Risk", "Area", "Probability", "Impact", "Score", "Level", "Mitigation", "Owner", "Status"].map((h) => (
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
              {risks.length === 0 ? (
                <tr>
                  <td colSpan={editor ? 10 : 9} className={`${td} ${muted}`}>
                    No risks recorded.
                  </td>
                </tr>
              ) : null}
              {risks.map((r) => (
                <tr key={r.id} data-risk={r.id} data-level={r.level} data-status={r.status} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <th scope="row" className={`${td} text-left font-medium`}>
                    {r.title}
                  </th>
                  <td className={td}>{r.area}</td>
                  <td className={`${td} whitespace-nowrap`}>
                    {r.probability} · {r.probabilityLabel}
                  </td>
                  <td className={`${td} whitespace-nowrap`}>
                    {r.impact} · {r.impactLabel}
                  </td>
                  <td className={`${td} tabular-nums`}>{r.score}</td>
                  <td className={td}>
                    <LevelBadge level={r.level} />
                  </td>
                  <td className={`${td} max-w-xs`}>{r.mitigation || <span className={muted}>none</span>}</td>
                  <td className={td}>{r.owner || <span className={muted}>unassigned</span>}</td>
                  <td className={td}>{RISK_STATUS_LABELS[r.status]}</td>
                  {editor ? (
                    <td className={td}>
                      <RiskEditing risk={{ id: r.id, title: r.title, area: r.area, probability: r.probability, impact: r.impact, mitigation: r.mitigation, owner: r.owner, status: r.status }} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {editor ? (
        <section aria-labelledby="add-risk-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
          <h2 id="add-risk-heading" className="text-lg font-semibold">
            Add a risk
          </h2>
          <RiskForm />
        </section>
      ) : null}
    </div>
  );
}

export default withDatabasePage(RisksPage);
