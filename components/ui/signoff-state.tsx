import type { TSignOffState } from "@/lib/signoff/status";
import { Pill } from "./pill";

const STYLES: Record<TSignOffState, { label: string; icon: string; className: string }> = {
  approved: {
    label: "Approved",
    icon: "✓",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  },
  ready: { label: "Ready", icon: "◐", className: "bg-sky-100 text-sky-900 dark:bg-sky-900/50 dark:text-sky-100" },
  rejected: { label: "Rejected", icon: "✕", className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100" },
  stale: {
    label: "Stale",
    icon: "!",
    className: "bg-amber-100 text-amber-950 dark:bg-amber-900/50 dark:text-amber-100",
  },
  expired: {
    label: "Expired",
    icon: "⌛",
    className: "bg-amber-100 text-amber-950 dark:bg-amber-900/50 dark:text-amber-100",
  },
  pending: {
    label: "Pending",
    icon: "…",
    className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  },
};

/** A sign-off's state as an icon and a word. */
export function SignOffStateBadge({ state }: { state: TSignOffState }) {
  const style = STYLES[state];
  return <Pill icon={style.icon} label={style.label} className={style.className} data={{ "data-state": state }} />;
}
