import Link from "next/link";
import { describeVerdict, type TVerdict } from "@/lib/readiness/verdict";

const TONE: Record<TVerdict["state"], string> = {
  approved:
    "border-emerald-600 bg-emerald-50 text-emerald-950 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-50",
  "awaiting-signoff":
    "border-amber-500 bg-amber-50 text-amber-950 dark:border-amber-400 dark:bg-amber-950 dark:text-amber-50",
  "not-ready": "border-red-600 bg-red-50 text-red-950 dark:border-red-500 dark:bg-red-950 dark:text-red-50",
  unscored: "border-slate-400 bg-slate-50 text-slate-950 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-50",
};
const GLYPH: Record<TVerdict["state"], string> = {
  approved: "✓",
  "awaiting-signoff": "…",
  "not-ready": "✕",
  unscored: "?",
};
const LINK = "underline decoration-1 underline-offset-2 hover:decoration-2";

/**
 * "Can we go live?" in one line, first on every page: ready, or not with the score against the gate, the critical
 * blockers and the sign-offs missing, each a link to where it is explained; a target date that has passed, with how
 * long ago.
 */
export function VerdictLine({ verdict }: { verdict: TVerdict }) {
  const d = describeVerdict(verdict);
  const parts: React.ReactNode[] = [];
  if (d.score)
    parts.push(
      <Link key="score" href="/scorecard" className={LINK} data-testid="verdict-score">
        {d.score}
      </Link>,
    );
  if (d.blockers)
    parts.push(
      <Link key="blockers" href="/scorecard#blockers" className={LINK} data-testid="verdict-blockers">
        {d.blockers}
      </Link>,
    );
  if (d.signOffs)
    parts.push(
      <Link key="signoffs" href="/signoff" className={LINK} data-testid="verdict-signoffs">
        {d.signOffs}
      </Link>,
    );
  if (d.target) {
    parts.push(
      <span
        key="target"
        data-testid="verdict-target"
        data-passed={verdict.release?.targetPassed ? "" : undefined}
        className={verdict.release?.targetPassed ? "font-semibold text-red-800 dark:text-red-200" : undefined}
      >
        {verdict.release?.targetPassed ? <span aria-hidden="true">⚠ </span> : null}
        {d.target}
      </span>,
    );
  }
  return (
    <section
      aria-label="Go-live verdict"
      data-testid="verdict"
      data-state={verdict.state}
      className={`border-l-4 px-3 py-2 text-sm ${TONE[verdict.state]}`}
    >
      <p>
        <strong className="font-semibold">
          <span aria-hidden="true">{GLYPH[verdict.state]} </span>
          {d.headline}
        </strong>
        {parts.map((part, i) => (
          <span key={i}>
            <span aria-hidden="true"> · </span>
            {i === 0 ? <span className="sr-only">: </span> : <span className="sr-only">, </span>}
            {part}
          </span>
        ))}
      </p>
    </section>
  );
}
