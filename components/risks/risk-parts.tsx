import { Table, TABLE_BOX_BARE } from "@/components/ui/table";
import { IMPACT_LABELS, PROBABILITY_LABELS } from "@/lib/config/plan-schema";
import { riskLevel, type TRiskView } from "@/lib/queries/plan";
import { RISK_STATUS_LABELS } from "@/lib/services/plan/schema";
import { RiskEditing } from "@/app/risks/client";

// The risks page's parts: the 5 x 5 matrix and the register.

export const muted = "text-slate-600 dark:text-slate-300";
const SCALE = [1, 2, 3, 4, 5] as const;

const LEVEL_STYLE: Record<TRiskView["level"], { label: string; icon: string; cell: string; badge: string }> = {
  low: {
    label: "Low",
    icon: "○",
    cell: "bg-emerald-50 dark:bg-emerald-950/60",
    badge: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  },
  medium: {
    label: "Medium",
    icon: "◐",
    cell: "bg-amber-50 dark:bg-amber-950/60",
    badge: "bg-amber-100 text-amber-950 dark:bg-amber-900/50 dark:text-amber-100",
  },
  high: {
    label: "High",
    icon: "●",
    cell: "bg-red-100 dark:bg-red-950/70",
    badge: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100",
  },
};

/** A risk level as an icon and a word, never by colour alone. */
function LevelBadge({ level }: { level: TRiskView["level"] }) {
  const style = LEVEL_STYLE[level];
  return (
    <span
      data-level={level}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${style.badge}`}
    >
      <span aria-hidden="true">{style.icon}</span>
      {style.label}
    </span>
  );
}

export const onMatrix = (r: TRiskView) => r.status === "open" || r.status === "accepted";

/**
 * A scale's header: "Impact 3" and its word at md+, "I3" on a phone (the full name stays for screen readers, in a
 * relative box so the hidden text cannot widen the page, and as a tooltip).
 */
function ScaleHeader({ axis, value, label }: { axis: "Impact" | "Probability"; value: number; label: string }) {
  return (
    <>
      <span aria-hidden="true" className="md:hidden">
        {axis[0]}
        {value}
      </span>
      <span className="max-md:sr-only">
        {axis} {value}
        <span className={`block font-normal ${muted}`}>{label}</span>
      </span>
    </>
  );
}

/** Probability rows from almost certain down to rare, impact columns from negligible up to severe: all five fit 390 px. */
export function RiskMatrix({ risks }: { risks: TRiskView[] }) {
  return (
    <div className={TABLE_BOX_BARE}>
      <table
        className="w-full table-fixed border-separate border-spacing-0.5 text-sm md:border-spacing-1"
        data-testid="risk-matrix"
      >
        <caption className="sr-only">
          Risk matrix: probability from 5 (almost certain) down to 1 (rare) by impact from 1 (negligible) to 5 (severe);
          each cell gives its band and score and lists the open and accepted risks placed in it
        </caption>
        <thead>
          <tr>
            <td className="w-8 md:w-32" />
            {SCALE.map((impact) => (
              <th
                key={impact}
                scope="col"
                title={`Impact ${impact}: ${IMPACT_LABELS[impact - 1]}`}
                className="relative px-0.5 py-1 text-center text-xs font-semibold md:px-2"
              >
                <ScaleHeader axis="Impact" value={impact} label={IMPACT_LABELS[impact - 1] ?? ""} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...SCALE].reverse().map((probability) => (
            <tr key={probability}>
              <th
                scope="row"
                title={`Probability ${probability}: ${PROBABILITY_LABELS[probability - 1]}`}
                className="relative px-0.5 py-1 text-right text-xs font-semibold md:px-2"
              >
                <ScaleHeader axis="Probability" value={probability} label={PROBABILITY_LABELS[probability - 1] ?? ""} />
              </th>
              {SCALE.map((impact) => {
                const score = probability * impact;
                const level = riskLevel(score);
                const here = risks.filter((r) => r.probability === probability && r.impact === impact);
                return (
                  <td
                    key={impact}
                    data-cell={`${probability}x${impact}`}
                    data-level={level}
                    className={`h-16 rounded p-0.5 align-top [overflow-wrap:anywhere] md:h-24 md:p-1.5 ${LEVEL_STYLE[level].cell}`}
                  >
                    <span className={`block text-[0.65rem] leading-tight md:text-[0.7rem] ${muted}`}>
                      {LEVEL_STYLE[level].label} · {score}
                    </span>
                    {here.length > 0 ? (
                      <ul className="mt-1 space-y-1">
                        {here.map((r) => (
                          <li
                            key={r.id}
                            data-risk={r.id}
                            title={`${r.title}: probability ${r.probability} (${r.probabilityLabel}), impact ${r.impact} (${r.impactLabel}), score ${r.score}`}
                            className="rounded border border-slate-400 bg-white px-0.5 py-0.5 text-[0.65rem] leading-snug shadow-sm md:px-1.5 md:text-xs dark:border-slate-600 dark:bg-slate-900"
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

const nowrap = "md:whitespace-nowrap";

export function RiskRegister({ risks, editor }: { risks: TRiskView[]; editor: boolean }) {
  return (
    <Table
      data-testid="risks"
      caption="Risks by score, highest first: area, probability, impact, score, level, mitigation, owner and status"
      captionHidden
      rows={risks}
      rowKey={(r) => r.id}
      rowProps={(r) => ({ "data-risk": r.id, "data-level": r.level, "data-status": r.status })}
      empty="No risks recorded."
      columns={[
        { key: "risk", header: "Risk", primary: true, className: "font-medium", cell: (r) => r.title },
        { key: "area", header: "Area", cell: (r) => r.area },
        {
          key: "probability",
          header: "Probability",
          className: nowrap,
          cell: (r) => `${r.probability} · ${r.probabilityLabel}`,
        },
        { key: "impact", header: "Impact", className: nowrap, cell: (r) => `${r.impact} · ${r.impactLabel}` },
        { key: "score", header: "Score", className: "tabular-nums", cell: (r) => r.score },
        { key: "level", header: "Level", cell: (r) => <LevelBadge level={r.level} /> },
        {
          key: "mitigation",
          header: "Mitigation",
          className: "md:max-w-xs",
          cell: (r) => r.mitigation || <span className={muted}>none</span>,
        },
        { key: "owner", header: "Owner", cell: (r) => r.owner || <span className={muted}>unassigned</span> },
        { key: "status", header: "Status", cell: (r) => RISK_STATUS_LABELS[r.status] },
        ...(editor
          ? [
              {
                key: "change",
                header: <span className="sr-only">Change</span>,
                label: "",
                cell: (r: TRiskView) => (
                  <RiskEditing
                    risk={{
                      id: r.id,
                      title: r.title,
                      area: r.area,
                      probability: r.probability,
                      impact: r.impact,
                      mitigation: r.mitigation,
                      owner: r.owner,
                      status: r.status,
                    }}
                  />
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
