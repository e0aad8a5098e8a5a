import Link from "next/link";
import { CARD } from "./ui/card";
import { formatDuration } from "@/lib/format";
import type { SystemHealth } from "@/lib/queries/components";
import { Figure } from "./live/live-refresh";
import { RelativeTime } from "./ui/relative-time";

/** What matters now: how many services are operational, any outage in progress, the last incident. */
export function Headline({ health }: { health: SystemHealth }) {
  const down = health.components.filter((c) => c.status === "down");
  const degraded = health.components.filter((c) => c.status === "degraded");
  const allUp = health.operational === health.total;
  const incident = health.lastIncident;
  return (
    <section aria-label="Summary" className="grid gap-3 sm:grid-cols-3">
      <div className={allUp ? CARD.default : CARD.danger}>
        <p data-testid="health-summary" className="text-base font-semibold">
          <Figure>
            <span aria-hidden="true">{allUp ? "✓ " : "✕ "}</span>
            {health.operational}/{health.total} services operational
          </Figure>
        </p>
        {degraded.length > 0 ? (
          <p className="text-sm">
            <Figure>{degraded.map((c) => c.name).join(", ")} degraded</Figure>
          </p>
        ) : null}
      </div>
      <div className={CARD.default} data-testid="outage">
        <h2 className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-300">
          Outage in progress
        </h2>
        {down.length === 0 ? (
          <p className="text-sm">
            <Figure>None</Figure>
          </p>
        ) : (
          <ul className="text-sm">
            {down.map((c) => (
              <li key={c.id}>
                <Link href={`/components/${c.id}`} className="font-semibold underline">
                  {c.name}
                </Link>{" "}
                <Figure>
                  down
                  {c.since ? (
                    <>
                      {" "}
                      since <RelativeTime iso={c.since} serverNow={health.generatedAt} suffix="" />
                    </>
                  ) : null}
                </Figure>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className={CARD.default} data-testid="last-incident">
        <h2 className="text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-300">
          Last incident
        </h2>
        {incident ? (
          <p className="text-sm">
            <Link href={`/components/${incident.componentId}`} className="font-semibold underline">
              {incident.componentName}
            </Link>{" "}
            <Figure>
              down for {formatDuration(incident.durationMs)}
              {incident.endedAt ? "" : " (ongoing)"},{" "}
              <RelativeTime iso={incident.startedAt} serverNow={health.generatedAt} />
            </Figure>
          </p>
        ) : (
          <p className="text-sm">
            <Figure>No incident recorded</Figure>
          </p>
        )}
      </div>
    </section>
  );
}
