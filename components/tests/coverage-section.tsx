import { ArtefactChecks, ArtefactSource } from "@/components/artefacts/artefact-parts";
import { Sparkline } from "@/components/charts/sparkline";
import { CARD, Section } from "@/components/ui/card";
import { COVERAGE_TREND_RUNS, type TCoverageView } from "@/lib/queries/artefacts";
import { pct } from "./suite-parts";

// The tests page's coverage: per project, the latest report, the checks that judge it and its trend.

function coverageTrend(v: TCoverageView): string {
  const rates = v.trend.map((t) => t.lineRatePct).filter((r): r is number => r !== null);
  if (rates.length === 0) return "no report with lines to cover";
  return `line coverage over the last ${v.trend.length} report${v.trend.length === 1 ? "" : "s"}: from ${pct(rates[0] ?? null)} to ${pct(rates.at(-1) ?? null)}`;
}

export function CoverageSection({ views, now }: { views: TCoverageView[]; now: string }) {
  return (
    <Section id="coverage" title="Coverage" className="space-y-3">
      {views.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
          No coverage reports yet, and no <code className="font-mono">coverage</code> check on the scorecard. CI pushes
          Cobertura XML or LCOV to <code className="font-mono">/api/v1/evidence/coverage?project=NAME</code>.
        </p>
      ) : null}
      {views.map((v, i) => (
        <article
          key={v.project}
          aria-labelledby={`coverage-${i}`}
          data-testid="coverage-project"
          data-project={v.project}
          className={CARD.inset}
        >
          <h3 id={`coverage-${i}`} className="font-semibold">
            {v.project}
          </h3>
          <ArtefactSource view={v} what="coverage report" now={now} />
          {v.latest ? (
            <p className="text-sm tabular-nums" data-testid="coverage-figures">
              lines <strong>{pct(v.latest.lineRatePct)}</strong> ({v.latest.lines.covered} of {v.latest.lines.valid})
              {v.latest.branchRatePct !== null ? (
                <>
                  , branches <strong>{pct(v.latest.branchRatePct)}</strong> ({v.latest.branches.covered} of{" "}
                  {v.latest.branches.valid})
                </>
              ) : null}{" "}
              · {v.latest.format}, {v.latest.files} files
            </p>
          ) : null}
          <ArtefactChecks checks={v.checks} />
          {v.latest && v.latest.packages.length > 0 ? (
            <details className="text-sm">
              <summary className="cursor-pointer">Per package (the {v.latest.packages.length} largest)</summary>
              <ul className="mt-1 space-y-0.5 text-xs tabular-nums" data-testid="coverage-packages">
                {v.latest.packages.map((p) => (
                  <li key={p.name} className="[overflow-wrap:anywhere]">
                    <span className="font-mono">{p.name}</span>: {pct(p.lineRatePct)}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          {/* Two points make a line that says nothing about a trend: the chart waits for a third report. */}
          {v.trend.length >= 3 ? (
            <div className="text-sky-700 dark:text-sky-300">
              <Sparkline values={v.trend.map((t) => t.lineRatePct)} label={`${v.project}: ${coverageTrend(v)}`} />
            </div>
          ) : null}
          {v.trend.length > 0 ? (
            <div className="text-xs text-slate-600 dark:text-slate-300">
              {coverageTrend(v)} (up to {COVERAGE_TREND_RUNS})
            </div>
          ) : null}
        </article>
      ))}
    </Section>
  );
}
