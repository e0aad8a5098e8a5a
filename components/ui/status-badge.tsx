import type { ComponentStatus } from "@/lib/monitor/status";
import { Figure } from "../live/live-refresh";

const STYLES: Record<ComponentStatus, { label: string; icon: string; className: string }> = {
  up: {
    label: "Up",
    icon: "✓",
    className: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/50 dark:text-emerald-100",
  },
  degraded: {
    label: "Degraded",
    icon: "!",
    className: "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100",
  },
  down: { label: "Down", icon: "✕", className: "bg-red-100 text-red-900 dark:bg-red-900/50 dark:text-red-100" },
  unknown: {
    label: "Unknown",
    icon: "?",
    className: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-200",
  },
};

/** Status as an icon and a word, never by colour alone; on a live page, marked stale when it may no longer hold. */
export function StatusBadge({ status }: { status: ComponentStatus }) {
  const style = STYLES[status];
  return (
    <Figure>
      <span
        data-status={status}
        className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ${style.className}`}
      >
        <span aria-hidden="true">{style.icon}</span>
        {style.label}
      </span>
    </Figure>
  );
}
