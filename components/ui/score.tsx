export { formatScore } from "@/lib/format";

/** A horizontal bar for a percentage; the figure itself is always written beside it, so the bar is decoration. */
export function ScoreBar({ pct, gatePct }: { pct: number | null; gatePct?: number }) {
  const width = pct === null ? 0 : Math.max(0, Math.min(100, pct));
  const tone =
    pct === null
      ? "bg-slate-300 dark:bg-slate-700"
      : gatePct !== undefined && pct >= gatePct
        ? "bg-emerald-500"
        : pct >= 50
          ? "bg-amber-500"
          : "bg-red-500";
  return (
    <div
      aria-hidden="true"
      className="relative h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
    >
      <div className={`h-full rounded-full ${tone}`} style={{ width: `${width}%` }} />
      {gatePct !== undefined ? (
        <div className="absolute inset-y-0 w-0.5 bg-slate-900 dark:bg-white" style={{ left: `${gatePct}%` }} />
      ) : null}
    </div>
  );
}
