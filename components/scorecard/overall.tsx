import Link from "next/link";
import { CARD } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatScore } from "@/components/ui/score";
import { VerdictBadge } from "@/components/ui/verdict-badge";
import type { ReadinessResult } from "@/lib/readiness/evaluate";
import { describeFigures, type GateVerdict } from "@/lib/readiness/gate";
import type { SnapshotRow } from "@/lib/readiness/snapshot";

// The scorecard's first section: the overall score and gate verdict, what blocks the gate, and the snapshot.

export function OverallSection({
  result,
  gate,
  snapshot,
  stored,
  nowIso,
}: {
  result: ReadinessResult;
  gate: GateVerdict;
  snapshot: SnapshotRow | null;
  stored: boolean;
  nowIso: string;
}) {
  return (
    <section aria-labelledby="overall-heading" className="grid gap-4 md:grid-cols-[minmax(0,16rem)_1fr]">
      <div className={gate.passed ? CARD.success : CARD.danger}>
        <h2
          id="overall-heading"
          className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-300"
        >
          Overall readiness
        </h2>
        <p className="text-4xl font-bold tabular-nums" data-testid="overall-score">
          {formatScore(result.overallPct)}
        </p>
        <p className="mt-1 font-semibold" data-testid="gate-verdict">
          <span aria-hidden="true">{gate.passed ? "✓ " : "✕ "}</span>
          {gate.passed ? "Ready for the gate" : "Blocked at the gate"}
        </p>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          The gate needs {gate.minScorePct} % and every critical check passed.
        </p>
      </div>
      <div className="space-y-3">
        {gate.reasons.length > 0 ? (
          <div>
            <h3 className="text-sm font-semibold">What blocks the gate</h3>
            <ul className="list-disc space-y-0.5 pl-5 text-sm" data-testid="gate-reasons">
              {gate.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="text-sm">
            The score reaches the minimum and no critical check or criterion is failed or pending.
          </p>
        )}
        <div>
          <h3 id="blockers" className="scroll-mt-4 text-sm font-semibold">
            Blockers ({result.blockers.length})
          </h3>
          {result.blockers.length === 0 ? (
            <p className="text-sm">None: every critical check and criterion has passed (or is waived).</p>
          ) : (
            <ul className="space-y-1 text-sm" data-testid="blockers">
              {result.blockers.map((b) => (
                <li key={`${b.category ?? "criterion"}-${b.id}`} className="flex flex-wrap items-baseline gap-2">
                  <VerdictBadge verdict={b.verdict} />
                  {b.category === null ? (
                    <Link href="/criteria" className="underline underline-offset-2">
                      {b.name}
                    </Link>
                  ) : (
                    <a href={`#check-${b.id}`} className="underline underline-offset-2">
                      {b.name}
                    </a>
                  )}
                  <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="blocker-figures">
                    {b.category === null ? "criterion" : "check"}: {describeFigures(b)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="snapshot">
          {snapshot ? (
            <>
              Snapshot{" "}
              <code className="font-mono" title={snapshot.hash}>
                {snapshot.hash.slice(0, 12)}
              </code>{" "}
              (SHA-256 of the result as stored), taken <RelativeTime iso={snapshot.takenAt} serverNow={nowIso} />
              {stored ? ", by this visit" : ""}: stored when a verdict changes and at least hourly.
            </>
          ) : (
            "No snapshot stored yet."
          )}
        </p>
      </div>
    </section>
  );
}
