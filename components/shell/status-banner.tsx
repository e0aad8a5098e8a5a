import Link from "next/link";
import { formatDuration } from "@/lib/format";
import type { TShellStatus } from "@/lib/queries/shell";
import { LocalTime } from "../ui/local-time";
import { RelativeTime } from "../ui/relative-time";

/**
 * The operator's banner on every page: an outage in progress (each component down, since when), and a recovery
 * within the last ten minutes, announced the same way. Nothing while all is well.
 */
export function StatusBanner({ status, now }: { status: TShellStatus; now: string }) {
  if (status.down.length === 0 && status.recovered.length === 0) return null;
  return (
    <div className="space-y-1">
      {status.down.length > 0 ? (
        <p
          role="alert"
          data-testid="outage-banner"
          className="border-l-4 border-red-700 bg-red-700 px-3 py-2 text-sm font-medium text-white"
        >
          <span aria-hidden="true">▼ </span>
          <strong>Outage:</strong>{" "}
          {status.down.map((c, i) => (
            <span key={c.id}>
              {i > 0 ? ", " : null}
              <Link href={`/components/${c.id}`} className="underline underline-offset-2">
                {c.name}
              </Link>{" "}
              down
              {c.since ? (
                <>
                  {" "}
                  for <RelativeTime iso={c.since} serverNow={now} suffix="" />
                </>
              ) : null}
            </span>
          ))}
        </p>
      ) : null}
      {status.recovered.length > 0 ? (
        <p
          role="status"
          data-testid="recovery-banner"
          className="border-l-4 border-emerald-600 bg-emerald-50 px-3 py-2 text-sm text-emerald-950 dark:bg-emerald-950 dark:text-emerald-50"
        >
          <span aria-hidden="true">▲ </span>
          <strong>Recovered:</strong>{" "}
          {status.recovered.map((r, i) => (
            <span key={r.componentId}>
              {i > 0 ? ", " : null}
              <Link href={`/components/${r.componentId}`} className="underline underline-offset-2">
                {r.componentName}
              </Link>{" "}
              up again at {r.endedAt ? <LocalTime iso={r.endedAt} /> : null} after {formatDuration(r.durationMs)} down
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
