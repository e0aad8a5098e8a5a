import { ObservedAge } from "@/components/ui/provenance";
import { CriticalMark, VerdictBadge } from "@/components/ui/verdict-badge";
import { formatDuration } from "@/lib/config/duration";
import type { TArtefactView, TChanges, TListedFinding } from "@/lib/queries/artefacts";
import { SHOWN_FINDINGS } from "@/lib/queries/artefacts";
import type { TCheckJudgement } from "@/lib/queries/evidence";

// The parts every artefact section (a SARIF project, an SBOM, manifests, a compose file) is made of: where the
// evidence came from and how old it is, the scorecard checks that judge it, its findings, and what changed since
// the push before it.

/** A section with no artefact pushed and no check naming one: where CI pushes them. */
export function NoArtefacts({ what, kind, endpoint }: { what: string; kind: string; endpoint: string }) {
  return (
    <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
      No {what} yet, and no <code className="font-mono">{kind}</code> check on the scorecard. CI pushes them to <code className="font-mono">{endpoint}?project=NAME</code> (README, &ldquo;Evidence from CI&rdquo;).
    </p>
  );
}

export function ArtefactSource({ view, what, now }: { view: TArtefactView<object>; what: string; now: string }) {
  if (!view.latest) return <p className="text-sm text-slate-600 dark:text-slate-300">No {what} pushed for this project yet: the checks that name it are pending.</p>;
  return (
    <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="artefact-source">
      {what} #{view.latest.id} from {view.latest.source}, <ObservedAge at={view.latest.receivedAt} now={now} verb="received" /> · {view.pushes} push{view.pushes === 1 ? "" : "es"} ·{" "}
      <span className="font-mono" title={`SHA-256 ${view.latest.digest}`}>sha256 {view.latest.digest.slice(0, 12)}</span>
    </p>
  );
}

export function ArtefactChecks({ checks }: { checks: TCheckJudgement[] }) {
  if (checks.length === 0) return <p className="text-xs text-slate-500 dark:text-slate-400">Not on the scorecard.</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="artefact-checks">
      {checks.map((c) => (
        <li key={c.checkId} data-check={c.checkId} data-verdict={c.verdict}>
          <VerdictBadge verdict={c.verdict} /> <span className="font-medium">{c.checkName}</span>
          {c.critical ? <CriticalMark /> : null}
          <div className="text-xs text-slate-600 dark:text-slate-300">
            {c.threshold}
            {c.maxAgeMs !== null ? ` · counts for ${formatDuration(c.maxAgeMs)}` : ""}
            {c.stale ? <strong className="text-amber-900 dark:text-amber-200"> · stale</strong> : null}
          </div>
          {c.reason && c.verdict !== "passed" ? <div className="text-xs break-words text-slate-700 dark:text-slate-300">{c.reason}</div> : null}
        </li>
      ))}
    </ul>
  );
}

const SEVERITY_CLASS: Record<string, string> = {
  critical: "bg-red-700 text-white",
  error: "bg-red-700 text-white",
  fail: "bg-red-700 text-white",
  high: "bg-orange-600 text-white",
  warning: "bg-amber-300 text-amber-950",
  medium: "bg-amber-300 text-amber-950",
  low: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100",
  note: "bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100",
};

function Severity({ value }: { value: string }) {
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${SEVERITY_CLASS[value] ?? "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200"}`}>{value}</span>;
}

export function FindingsTable({ findings, caption, columns }: { findings: TListedFinding[]; caption: string; columns: { rule: string; object: string; location: string } }) {
  if (findings.length === 0) return <p className="text-sm" data-testid="no-findings">No findings.</p>;
  const shown = findings.slice(0, SHOWN_FINDINGS);
  const more = findings.length > shown.length ? <p className="px-3 py-2 text-xs text-slate-600 dark:text-slate-300">The first {shown.length} of {findings.length} are shown.</p> : null;
  return (
    <>
      {/* A phone reads findings as a list: five columns do not fit 390 px. */}
      <div className="rounded-lg border border-slate-200 bg-white md:hidden dark:border-slate-800 dark:bg-slate-900">
        <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" aria-label={caption} data-testid="findings-list">
          {shown.map((f) => (
            <li key={f.key} data-rule={f.rule} className="space-y-1 px-3 py-2">
              <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <Severity value={f.severity} />
                <span className="font-mono text-xs">{f.rule}</span>
                <span className="font-mono text-xs [overflow-wrap:anywhere]">{f.object}</span>
                {f.location ? <span className="font-mono text-xs text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">{f.location}</span> : null}
              </div>
              {f.message ? <p className="text-xs break-words">{f.message}</p> : null}
            </li>
          ))}
        </ul>
        {more}
      </div>
      <div className="hidden overflow-x-auto rounded-lg border border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="findings">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-3 py-2">Severity</th>
              <th scope="col" className="px-3 py-2">{columns.rule}</th>
              <th scope="col" className="px-3 py-2">{columns.object}</th>
              <th scope="col" className="px-3 py-2">{columns.location}</th>
              <th scope="col" className="px-3 py-2">Message</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => (
              <tr key={f.key} data-rule={f.rule} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800">
                <td className="px-3 py-2"><Severity value={f.severity} /></td>
                <td className="px-3 py-2 font-mono text-xs whitespace-nowrap">{f.rule}</td>
                <td className="px-3 py-2 font-mono text-xs [overflow-wrap:anywhere]">{f.object}</td>
                <td className="px-3 py-2 font-mono text-xs [overflow-wrap:anywhere]">{f.location ?? "—"}</td>
                <td className="px-3 py-2 text-xs break-words">{f.message || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {more}
      </div>
    </>
  );
}

export function ChangesNote({ changes, now }: { changes: TChanges; now: string }) {
  if (changes === null) return <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="changes">The first push of this project: nothing to compare with.</p>;
  const list = (items: TListedFinding[]) => items.slice(0, 5).map((f) => `${f.rule} on ${f.object}`).join("; ") + (items.length > 5 ? `; and ${items.length - 5} more` : "");
  return (
    <div className="text-xs text-slate-700 dark:text-slate-300" data-testid="changes">
      Since #{changes.previousId} (<ObservedAge at={changes.previousAt} now={now} verb="received" />):{" "}
      {changes.added.length === 0 && changes.resolved.length === 0 ? (
        "the same findings."
      ) : (
        <>
          <span data-testid="changes-added">{changes.added.length} new</span>
          {changes.added.length > 0 ? ` (${list(changes.added)})` : ""}, <span data-testid="changes-resolved">{changes.resolved.length} resolved</span>
          {changes.resolved.length > 0 ? ` (${list(changes.resolved)})` : ""}.
        </>
      )}
    </div>
  );
}

export function RuleTable({ rules, labels, caption }: { rules: Record<string, { checked: number; failed: number }>; labels: Record<string, string>; caption: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-left text-sm" data-testid="rules">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-3 py-2">Rule</th>
            <th scope="col" className="px-3 py-2">Checked</th>
            <th scope="col" className="px-3 py-2">Failed</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(rules).map(([rule, r]) => (
            <tr key={rule} data-rule={rule} data-failed={r.failed} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
              <th scope="row" className="px-3 py-2 font-normal">
                {labels[rule] ?? rule} <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{rule}</span>
              </th>
              <td className="px-3 py-2 tabular-nums">{r.checked === 0 ? <span className="text-slate-500 dark:text-slate-400">nothing to check</span> : r.checked}</td>
              <td className={`px-3 py-2 font-semibold tabular-nums ${r.failed > 0 ? "text-red-700 dark:text-red-300" : ""}`}>{r.checked === 0 ? "—" : r.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
