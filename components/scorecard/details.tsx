import { ReadinessTrendChart } from "@/components/charts/readiness-trend-chart";
import { CARD, Section } from "@/components/ui/card";
import { formatScore, ScoreBar } from "@/components/ui/score";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { formatPoints } from "@/lib/format";
import type { ReadinessResult } from "@/lib/readiness/evaluate";
import { describeFigures } from "@/lib/readiness/gate";
import { ChecksTable } from "./checks-table";

// The scorecard below its overall score: the categories, what keeps it from 100 %, the trend and every check.

type TTrendPoint = { takenAt: string; overallPct: number | null; blockers: number };

export function ScorecardDetails({
  result,
  gateMinPct,
  trend,
  trendText,
  nowIso,
}: {
  result: ReadinessResult;
  gateMinPct: number;
  trend: TTrendPoint[];
  trendText: string;
  nowIso: string;
}) {
  return (
    <>
      <Section id="categories" title="Categories" className="space-y-3">
        <ul className="grid gap-2 sm:grid-cols-2" data-testid="category-bars">
          {result.categories.map((c) => (
            <li key={c.id} className={`${CARD.box} p-3`}>
              <div className="flex items-baseline justify-between gap-2 text-sm">
                <a href={`#category-${c.id}`} className="font-medium underline-offset-2 hover:underline">
                  {c.name}
                </a>
                <span className="font-semibold tabular-nums">{formatScore(c.scorePct)}</span>
              </div>
              <ScoreBar pct={c.scorePct} gatePct={gateMinPct} />
              <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">
                {c.passed} of {c.counted} checks passed · weight {c.weight}
              </p>
            </li>
          ))}
        </ul>
      </Section>

      <Section id="gaps" title="What keeps this from 100 %" className="space-y-2">
        {result.gaps.length === 0 ? (
          <p className="text-sm">Nothing: every counted check has passed.</p>
        ) : (
          <ol className="space-y-1 text-sm" data-testid="gaps">
            {result.gaps.map((g) => (
              <li key={`${g.check.category}-${g.check.id}`} className="flex flex-wrap items-baseline gap-2">
                <span className="w-24 shrink-0 font-semibold tabular-nums">−{formatPoints(g.pointsPct)}</span>
                <VerdictBadge verdict={g.check.verdict} />
                <a href={`#check-${g.check.id}`} className="underline underline-offset-2">
                  {g.check.name}
                </a>
                {g.check.critical ? <CriticalMark /> : null}
                <span className="text-xs text-slate-600 dark:text-slate-300">{describeFigures(g.check)}</span>
              </li>
            ))}
          </ol>
        )}
      </Section>

      <Section id="trend" title="Trend" className="space-y-2">
        <p className="text-xs text-slate-600 dark:text-slate-300">{trendText} Source: stored readiness snapshots.</p>
        <div className={`${CARD.box} p-2`}>
          <ReadinessTrendChart points={trend} gateMinPct={gateMinPct} label={trendText} />
        </div>
      </Section>

      <Section id="checks" title="Checks by category" className="space-y-6">
        {result.categories.map((category) => (
          <section key={category.id} aria-labelledby={`category-${category.id}`} className="space-y-2">
            <h3 id={`category-${category.id}`} className="font-semibold">
              {category.name}{" "}
              <span className="font-normal text-slate-600 dark:text-slate-300">
                · {formatScore(category.scorePct)} · {category.passed}/{category.counted} passed · weight{" "}
                {category.weight}
              </span>
            </h3>
            <ChecksTable
              name={category.name}
              checks={result.checks.filter((c) => c.category === category.id)}
              now={nowIso}
            />
          </section>
        ))}
      </Section>
    </>
  );
}
