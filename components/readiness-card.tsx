import Link from "next/link";
import { CARD } from "./ui/card";
import type { ReadinessResult } from "@/lib/readiness/evaluate";
import { describeFigures, type GateVerdict } from "@/lib/readiness/gate";
import { formatPercent } from "@/lib/format";
import { Figure } from "./live/live-refresh";
import { RelativeTime } from "./ui/relative-time";
import { formatScore, ScoreBar } from "./ui/score";
import { VerdictBadge } from "./ui/verdict-badge";

const MAX_BLOCKERS = 5;

/** The overview's readiness card: the score, the gate's verdict and what blocks it, with the way to the scorecard. */
export function ReadinessCard({
  configured,
  result,
  gate,
}: {
  configured: boolean;
  result: ReadinessResult;
  gate: GateVerdict;
}) {
  if (!configured) {
    return (
      <section
        aria-labelledby="readiness-heading"
        className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300"
      >
        <h2 id="readiness-heading" className="font-semibold">
          Readiness score
        </h2>
        <p>
          No scorecard is configured, so there is nothing to score. Add a <code className="font-mono">scorecard:</code>{" "}
          section (categories of checks, approval criteria and the gate&apos;s minimum) to the configuration; the
          shipped <code className="font-mono">preflight.config.yaml</code> has one to start from.
        </p>
      </section>
    );
  }
  const shown = result.blockers.slice(0, MAX_BLOCKERS);
  const passedChecks = result.checks.filter((c) => c.verdict === "passed").length;
  return (
    <section aria-labelledby="readiness-heading" className={CARD.default} data-testid="readiness-card">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="readiness-heading" className="text-lg font-semibold">
          Readiness score
        </h2>
        <Link href="/scorecard" className="text-sm underline underline-offset-2">
          Scorecard
        </Link>
      </div>
      <div className="mt-2 grid gap-4 sm:grid-cols-[minmax(0,14rem)_1fr]">
        <div className="space-y-1">
          <p className="text-3xl font-bold tabular-nums" data-testid="readiness-score">
            <Figure>{formatScore(result.overallPct)}</Figure>
          </p>
          <ScoreBar pct={result.overallPct} gatePct={gate.minScorePct} />
          <p className="text-xs text-slate-600 dark:text-slate-300">
            <Figure>
              {passedChecks} of {result.checks.length} checks passed · gate needs {formatPercent(gate.minScorePct)} ·
              evaluated <RelativeTime iso={result.evaluatedAt} serverNow={result.evaluatedAt} /> from probes and CI
              evidence
            </Figure>
          </p>
        </div>
        <div className="space-y-1 text-sm">
          <p
            className={`font-semibold ${gate.passed ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}`}
            data-testid="readiness-gate"
          >
            <Figure>
              <span aria-hidden="true">{gate.passed ? "✓ " : "✕ "}</span>
              {gate.passed
                ? "Ready for the gate"
                : result.blockers.length > 0
                  ? `Blocked: ${result.blockers.length} critical item${result.blockers.length === 1 ? "" : "s"} not passed`
                  : "Blocked at the gate"}
            </Figure>
          </p>
          {!gate.passed && result.blockers.length === 0 ? (
            <ul className="list-disc pl-5">
              {gate.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : null}
          {shown.length > 0 ? <BlockerList blockers={shown} /> : null}
          {result.blockers.length > MAX_BLOCKERS ? (
            <details className="text-xs">
              <summary className="cursor-pointer">and {result.blockers.length - MAX_BLOCKERS} more</summary>
              <BlockerList blockers={result.blockers.slice(MAX_BLOCKERS)} />
            </details>
          ) : null}
          {!gate.passed &&
          result.blockers.length > 0 &&
          result.overallPct !== null &&
          result.overallPct < gate.minScorePct ? (
            <p className="text-xs">The score is also below the {formatPercent(gate.minScorePct)} minimum.</p>
          ) : null}
        </div>
      </div>
    </section>
  );
}

function BlockerList({ blockers }: { blockers: ReadinessResult["blockers"] }) {
  return (
    <ul className="space-y-1 text-sm">
      {blockers.map((b) => (
        <li
          key={`${b.category ?? "criterion"}-${b.id}`}
          data-blocker={b.id}
          className="flex flex-wrap items-baseline gap-2"
        >
          <Figure>
            <VerdictBadge verdict={b.verdict} />
          </Figure>
          <span>{b.name}</span>
          <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="blocker-figures">
            <Figure>{describeFigures(b)}</Figure>
          </span>
        </li>
      ))}
    </ul>
  );
}
