import { Figure } from "@/components/live/live-refresh";
import { LocalTime } from "@/components/ui/local-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { TColumn } from "@/components/ui/table";
import { formatDuration, formatLatency } from "@/lib/format";
import type { IncidentRow, RawCheck } from "@/lib/queries/component-detail";

// The component page's tables: incidents and the newest raw checks, column by column.

const badge = (status: string) => <StatusBadge status={status as "up" | "down" | "degraded"} />;
const time = (iso: string | null) => (iso ? <LocalTime iso={iso} /> : "ongoing");
export const figure = (text: string) => <Figure>{text}</Figure>;
const NUM = "tabular-nums";
export const CODE = "overflow-x-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-800";

export const INCIDENT_COLUMNS: TColumn<IncidentRow>[] = [
  { key: "status", header: "Status", primary: true, className: "font-normal", cell: (i) => badge(i.status) },
  { key: "start", header: "Start", cell: (i) => time(i.startedAt) },
  { key: "end", header: "End", cell: (i) => time(i.endedAt) },
  { key: "duration", header: "Duration", className: NUM, cell: (i) => figure(formatDuration(i.durationMs)) },
];

export const CHECK_COLUMNS: TColumn<RawCheck>[] = [
  { key: "time", header: "Time", primary: true, className: "font-normal", cell: (c) => time(c.checkedAt) },
  { key: "result", header: "Result", primary: true, cell: (c) => badge(c.status) },
  { key: "latency", header: "Latency", className: NUM, cell: (c) => figure(formatLatency(c.latencyMs)) },
  { key: "reply", header: "Reply", className: "break-words", cell: (c) => <Reply detail={c.detail} error={c.error} /> },
];

function Reply({ detail, error }: { detail: string | null; error: string | null }) {
  return (
    <>
      <span className="font-mono text-xs">{detail ?? ""}</span>
      {error ? <div className="text-xs text-red-700 dark:text-red-300">{error}</div> : null}
    </>
  );
}
