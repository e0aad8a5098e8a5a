import { Card } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { formatScore } from "@/components/ui/score";
import { VerdictBadge } from "@/components/ui/verdict-badge";
import { formatPoints } from "@/lib/format";
import type { ReadinessResult } from "@/lib/readiness/evaluate";
import { describeFigures, type GateVerdict } from "@/lib/readiness/gate";

/** The readiness a signature binds to: the score, the gate, the snapshot, the blockers and what keeps it from 100 %. */
export function ReadinessNow({
  result,
  gate,
  snapshot,
}: {
  result: ReadinessResult;
  gate: GateVerdict;
  snapshot: { hash: string; takenAt: string } | null;
}) {
  return (
    <Card
      id="current"
      className="space-y-2"
      title={
        <>
          Readiness now: <span data-testid="signoff-score">{formatScore(result.overallPct)}</span>
        </>
      }
    >
      <p className="text-sm">
        Gate ({gate.minScorePct} %): {gate.passed ? "open" : "closed"}. Snapshot{" "}
        <code className="font-mono" data-testid="current-snapshot">
          {snapshot?.hash.slice(0, 12) ?? "none yet"}
        </code>
        {snapshot ? (
          <>
            {" "}
            taken <LocalTime iso={snapshot.takenAt} />
          </>
        ) : null}
        .
      </p>
      {result.blockers.length > 0 ? (
        <>
          <h3 className="text-sm font-semibold">Blockers</h3>
          <ul className="space-y-1 text-sm" data-testid="signoff-blockers">
            {result.blockers.map((b) => (
              <li key={`${b.category ?? "criterion"}-${b.id}`} className="flex flex-wrap items-baseline gap-2">
                <VerdictBadge verdict={b.verdict} /> {b.name}{" "}
                <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="blocker-figures">
                  {describeFigures(b)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="text-sm">No blockers.</p>
      )}
      {result.gaps.length > 0 ? (
        <p className="text-xs text-slate-600 dark:text-slate-300">
          Also short of 100 %:{" "}
          {result.gaps
            .slice(0, 5)
            .map((g) => `${g.check.name} (${formatPoints(g.pointsPct)})`)
            .join(", ")}
          {result.gaps.length > 5 ? `, and ${result.gaps.length - 5} more on the scorecard` : ""}.
        </p>
      ) : null}
    </Card>
  );
}
