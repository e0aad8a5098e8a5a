import type { Metadata } from "next";
import { connection } from "next/server";
import { GoLiveCard } from "@/components/go-live-card";
import { LocalTime } from "@/components/ui/local-time";
import { formatScore } from "@/components/ui/score";
import { SignOffStateBadge } from "@/components/ui/signoff-state";
import { VerdictBadge } from "@/components/ui/verdict-badge";
import { requireUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { describeFigures, judgeGate } from "@/lib/readiness/gate";
import { formatPoints } from "@/lib/format";
import { getSignOffView } from "@/lib/queries/signoff";
import { refreshReadiness } from "@/lib/services/readiness/refresh";
import { SignForm } from "./client";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Sign-off" };

const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-300";
const td = "px-3 py-2 align-top";
const DECISIONS = { approve: "Approve", ready: "Ready", reject: "Reject" } as const;

/** Reference section 11: the sign-off grid of the current release, and the signing forms of the person viewing it. */
async function SignOffPage() {
  await connection();
  const actor = await requireUser();
  const prisma = getPrisma();
  const { config } = getConfig();
  const readiness = await refreshReadiness({ prisma, config });
  const view = await getSignOffView({ prisma, config }, readiness.result);
  const gate = judgeGate(readiness.result, readiness.gateMinPct);
  const roleName = (id: string) => config.signoff?.roles.find((r) => r.id === id)?.name ?? id;
  const held = view.roles.filter((r) => actor.signOffRoles.includes(r.role));
  const signedOther = view.separationOfDuties ? view.roles.find((r) => r.latest?.userId === actor.id) : undefined;
  const scoreText = `${formatScore(readiness.result.overallPct)}, ${readiness.result.blockers.length} blocker${readiness.result.blockers.length === 1 ? "" : "s"}`;

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">Sign-off</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Each role is signed by a person who holds it, against a frozen readiness snapshot. A sign-off goes stale when readiness regresses after it (the score falls below the
          gate, or a critical check fails) and expires after {view.expiresAfterDays} days.{view.separationOfDuties ? " One person signs one role per release." : ""}
        </p>
      </div>

      <GoLiveCard release={view.release} goLive={view.goLive} configured={view.configured} />

      <section aria-labelledby="current-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
        <h2 id="current-heading" className="text-lg font-semibold">
          Readiness now: <span data-testid="signoff-score">{formatScore(readiness.result.overallPct)}</span>
        </h2>
        <p className="text-sm">
          Gate ({gate.minScorePct} %): {gate.passed ? "open" : "closed"}. Snapshot <code className="font-mono" data-testid="current-snapshot">{readiness.snapshot?.hash.slice(0, 12) ?? "none yet"}</code>
          {readiness.snapshot ? (
            <>
              {" "}
              taken <LocalTime iso={readiness.snapshot.takenAt} />
            </>
          ) : null}
          .
        </p>
        {readiness.result.blockers.length > 0 ? (
          <>
            <h3 className="text-sm font-semibold">Blockers</h3>
            <ul className="space-y-1 text-sm" data-testid="signoff-blockers">
              {readiness.result.blockers.map((b) => (
                <li key={`${b.category ?? "criterion"}-${b.id}`} className="flex flex-wrap items-baseline gap-2">
                  <VerdictBadge verdict={b.verdict} /> {b.name} <span className="text-xs text-slate-600 dark:text-slate-300" data-testid="blocker-figures">{describeFigures(b)}</span>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="text-sm">No blockers.</p>
        )}
        {readiness.result.gaps.length > 0 ? (
          <p className="text-xs text-slate-600 dark:text-slate-300">
            Also short of 100 %: {readiness.result.gaps.slice(0, 5).map((g) => `${g.check.name} (${formatPoints(g.pointsPct)})`).join(", ")}
            {readiness.result.gaps.length > 5 ? `, and ${readiness.result.gaps.length - 5} more on the scorecard` : ""}.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="grid-heading" className="space-y-2">
        <h2 id="grid-heading" className="text-lg font-semibold">
          {view.release ? `${view.release.name}` : "Sign-off roles"}
        </h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-sm" data-testid="signoff-grid">
            <caption className="sr-only">Sign-off roles with the person assigned, the latest decision and the snapshot it was given against</caption>
            <thead className="border-b border-slate-200 dark:border-slate-800">
              <tr>
                {["Role", "Assigned", "Signed by", "Date", "Decision", "Comment", "Snapshot", "State"].map((h) => (
                  <th key={h} scope="col" className={th}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.roles.map((r) => (
                <tr key={r.role} data-role={r.role} data-state={r.state} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <th scope="row" className={`${td} text-left font-semibold`}>
                    {r.name}
                    {r.required ? "" : <span className="block text-xs font-normal text-slate-600 dark:text-slate-300">optional</span>}
                  </th>
                  <td className={td}>{r.holders.length > 0 ? r.holders.map((h) => h.name).join(", ") : <span className="text-slate-500">nobody</span>}</td>
                  <td className={td}>
                    {r.latest ? (
                      <>
                        <span data-testid="signed-by">{r.latest.userName}</span>
                        <span className="block text-xs text-slate-600 dark:text-slate-300" data-testid="signed-by-account">{r.latest.userEmail}</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className={td}>{r.latest ? <LocalTime iso={r.latest.signedAt.toISOString()} /> : "TBD"}</td>
                  <td className={td}>{r.latest ? DECISIONS[r.latest.decision] : "—"}</td>
                  <td className={`${td} max-w-xs`}>{r.latest?.comment || "—"}</td>
                  <td className={`${td} whitespace-nowrap`} data-testid="signed-snapshot">
                    {r.latest ? (
                      <>
                        {formatScore(r.latest.snapshot.overallPct)}
                        <span className="block font-mono text-xs">{r.latest.snapshot.hash.slice(0, 12)}</span>
                        <span className="block text-xs text-slate-600 dark:text-slate-300">
                          <LocalTime iso={r.latest.snapshot.takenAt.toISOString()} />
                        </span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className={td}>
                    <SignOffStateBadge state={r.state} />
                    {r.reason && r.state !== "rejected" ? <span className="mt-1 block text-xs text-slate-600 dark:text-slate-300">{r.reason}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {held.length > 0 && readiness.snapshot ? (
        <section aria-labelledby="sign-heading" className="space-y-3">
          <h2 id="sign-heading" className="text-lg font-semibold">Your sign-off</h2>
          <div className="grid gap-4 lg:grid-cols-2">
            {held.map((r) =>
              signedOther && signedOther.role !== r.role ? (
                <p key={r.role} className="rounded border border-slate-300 px-3 py-2 text-sm">
                  You signed as {roleName(signedOther.role)} for this release; with separation of duties, someone else signs as {r.name}.
                </p>
              ) : (
                <SignForm key={r.role} role={r.role} roleName={r.name} snapshotHash={readiness.snapshot?.hash ?? ""} scoreText={scoreText} />
              ),
            )}
          </div>
        </section>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">{actor.signOffRoles.length === 0 ? "You hold no sign-off role; an administrator assigns them to approvers." : ""}</p>
      )}

      {view.history.length > view.roles.filter((r) => r.latest).length ? (
        <section aria-labelledby="history-heading" className="space-y-2">
          <h2 id="history-heading" className="text-lg font-semibold">Every decision this round</h2>
          <ul className="space-y-1 text-sm">
            {view.history.map((h) => (
              <li key={h.id}>
                <LocalTime iso={h.signedAt.toISOString()} />: {h.userName} as {roleName(h.role)}: {DECISIONS[h.decision]}
                {h.comment ? ` (“${h.comment}”)` : ""}, at {formatScore(h.snapshot.overallPct)} (snapshot <code className="font-mono">{h.snapshot.hash.slice(0, 12)}</code>)
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {view.previousRounds.length > 0 ? (
        <section aria-labelledby="rounds-heading" className="space-y-2">
          <h2 id="rounds-heading" className="text-lg font-semibold">Earlier releases</h2>
          {view.previousRounds.map((round) => (
            <div key={round.release} className="text-sm">
              <h3 className="font-semibold">{round.release}</h3>
              <ul className="list-disc pl-5">
                {round.signOffs.map((s) => (
                  <li key={s.id}>
                    {roleName(s.role)}: {s.userName}, {DECISIONS[s.decision]} on <LocalTime iso={s.signedAt.toISOString()} dateOnly /> at {formatScore(s.snapshot.overallPct)}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </section>
      ) : null}
    </div>
  );
}

export default withDatabasePage(SignOffPage);
