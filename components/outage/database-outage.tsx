import { formatCount } from "@/lib/format";
import type { TOutageView } from "@/lib/queries/outage";
import { LocalTime } from "../ui/local-time";
import { OutageRecovery } from "./outage-recovery";

/**
 * A page while Preflight's own database does not answer: since when and why, what the workers' heartbeats say
 * meanwhile, and no figure of the system: they live in that database, and without it no session can be checked
 * either, so a last-known copy held anywhere would go to whoever holds a cookie.
 */
export function DatabaseOutage({ view, children }: { view: TOutageView; children?: React.ReactNode }) {
  const { workers } = view;
  return (
    <section
      role="alert"
      aria-labelledby="outage-heading"
      data-testid="database-outage"
      className="space-y-3 rounded-lg border border-red-400 bg-red-50 p-4 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
    >
      <h1 id="outage-heading" className="text-lg font-semibold">
        Preflight&apos;s database is unreachable since <LocalTime iso={view.since} />
      </h1>
      <p className="text-sm">
        No figures are shown until it answers: every figure Preflight shows is read from that database, and so is who
        you are. Nothing on this page is a reading of your system.
      </p>
      <p className="text-sm">
        Reason: <code className="font-mono text-xs break-all">{view.error}</code>.{" "}
        {view.lastOkAt ? (
          <>
            It last answered at <LocalTime iso={view.lastOkAt} />.
          </>
        ) : (
          "It has not answered since this server started."
        )}
      </p>
      <div className="space-y-1 text-sm" data-testid="outage-workers">
        <h2 className="font-semibold">
          The workers meanwhile, from their own heartbeats (read at <LocalTime iso={view.checkedAt} />)
        </h2>
        {workers.running ? (
          <p>
            {formatCount(workers.workers, "worker")} checking; {formatCount(workers.bufferedResults, "result")} waiting
            to be written, kept in their memory
            {workers.lastFlushAt ? (
              <>
                ; last written at <LocalTime iso={workers.lastFlushAt} />
              </>
            ) : null}
            {workers.droppedResults > 0
              ? `; ${formatCount(workers.droppedResults, "result")} lost when a buffer overflowed`
              : ""}
            .
          </p>
        ) : (
          <p>No worker has sent a heartbeat in the last 30 s: checks of this time may not be collected.</p>
        )}
      </div>
      {children}
      <OutageRecovery />
    </section>
  );
}
