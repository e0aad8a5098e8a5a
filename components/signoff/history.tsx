import { LocalTime } from "@/components/ui/local-time";
import { formatScore } from "@/components/ui/score";
import type { TSignOffView } from "@/lib/queries/signoff";
import { DECISIONS } from "./decisions";

/** Every decision of this round (when there is more than the grid's latest ones), then earlier releases, read-only. */
export function SignOffHistory({
  view,
  roleName,
}: {
  view: Pick<TSignOffView, "history" | "roles" | "previousRounds">;
  roleName: (id: string) => string;
}) {
  return (
    <>
      {view.history.length > view.roles.filter((r) => r.latest).length ? (
        <section aria-labelledby="history-heading" className="space-y-2">
          <h2 id="history-heading" className="text-lg font-semibold">
            Every decision this round
          </h2>
          <ul className="space-y-1 text-sm break-words">
            {view.history.map((h) => (
              <li key={h.id}>
                <LocalTime iso={h.signedAt.toISOString()} />: {h.userName} as {roleName(h.role)}:{" "}
                {DECISIONS[h.decision]}
                {h.comment ? ` (“${h.comment}”)` : ""}, at {formatScore(h.snapshot.overallPct)} (snapshot{" "}
                <code className="font-mono">{h.snapshot.hash.slice(0, 12)}</code>)
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {view.previousRounds.length > 0 ? (
        <section aria-labelledby="rounds-heading" className="space-y-2">
          <h2 id="rounds-heading" className="text-lg font-semibold">
            Earlier releases
          </h2>
          {view.previousRounds.map((round) => (
            <div key={round.release} className="text-sm">
              <h3 className="font-semibold">{round.release}</h3>
              <ul className="list-disc pl-5">
                {round.signOffs.map((s) => (
                  <li key={s.id}>
                    {roleName(s.role)}: {s.userName}, {DECISIONS[s.decision]} on{" "}
                    <LocalTime iso={s.signedAt.toISOString()} dateOnly /> at {formatScore(s.snapshot.overallPct)}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
