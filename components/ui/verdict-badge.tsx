import type { CheckVerdict } from "@/lib/readiness/evaluate";
import { Pill } from "./pill";

const STYLES: Record<CheckVerdict, { label: string; icon: string; className: string }> = {
  passed: {
    label: "Passed",
    icon: "✓",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  },
  warning: {
    label: "Warning",
    icon: "!",
    className: "bg-amber-100 text-amber-950 dark:bg-amber-900/50 dark:text-amber-100",
  },
  failed: { label: "Failed", icon: "✕", className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100" },
  pending: {
    label: "Pending",
    icon: "…",
    className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  },
  waived: { label: "Waived", icon: "~", className: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100" },
};

/** A check's verdict as an icon and a word, never by colour alone. Pending (no or stale evidence) is never green. */
export function VerdictBadge({ verdict }: { verdict: CheckVerdict }) {
  const style = STYLES[verdict];
  return <Pill icon={style.icon} label={style.label} className={style.className} data={{ "data-verdict": verdict }} />;
}

/** Marks a check that blocks go-live whenever it is not passed. */
export function CriticalMark() {
  return (
    <span
      title="Critical: blocks go-live whenever it is not passed, whatever the score"
      className="ml-1 inline-flex items-center rounded border border-red-300 px-1 text-[0.65rem] font-semibold tracking-wide text-red-800 uppercase dark:border-red-800 dark:text-red-300"
    >
      Critical
    </span>
  );
}

/** Marks a key objective: failed, it vetoes go-live whatever the score (a warning does not). */
export function KeyMark() {
  return (
    <span
      title="Key objective: when it fails, go-live is vetoed whatever the score"
      className="ml-1 inline-flex items-center rounded border border-amber-400 px-1 text-[0.65rem] font-semibold tracking-wide text-amber-900 uppercase dark:border-amber-700 dark:text-amber-200"
    >
      Key
    </span>
  );
}
