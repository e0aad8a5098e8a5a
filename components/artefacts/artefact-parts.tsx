import { ObservedAge } from "@/components/ui/provenance";
import { Table } from "@/components/ui/table";
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
      No {what} yet, and no <code className="font-mono">{kind}</code> check on the scorecard. CI pushes them to{" "}
      <code className="font-mono">{endpoint}?project=NAME</code> (README, &ldquo;Evidence from CI&rdquo;).
    </p>
  );
}

export function ArtefactSource({ view, what, now }: { view: TArtefactView<object>; what: string; now: string }) {
  if (!view.latest)
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300">
        No {what} pushed for this project yet: the checks that name it are pending.
      </p>
    );
  return (
    <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="artefact-source">
      {what} #{view.latest.id} from {view.latest.source},{" "}
      <ObservedAge at={view.latest.receivedAt} now={now} verb="received" /> · {view.pushes} push
      {view.pushes === 1 ? "" : "es"} ·{" "}
      <span className="font-mono" title={`SHA-256 ${view.latest.digest}`}>
        sha256 {view.latest.digest.slice(0, 12)}
      </span>
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
          {c.reason && c.verdict !== "passed" ? (
            <div className="text-xs break-words text-slate-700 dark:text-slate-300">{c.reason}</div>
          ) : null}
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
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${SEVERITY_CLASS[value] ?? "bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200"}`}
    >
      {value}
    </span>
  );
}

const mono = "font-mono text-xs [overflow-wrap:anywhere]";

export function FindingsTable({
  findings,
  caption,
  columns,
}: {
  findings: TListedFinding[];
  caption: string;
  columns: { rule: string; object: string; location: string };
}) {
  if (findings.length === 0)
    return (
      <p className="text-sm" data-testid="no-findings">
        No findings.
      </p>
    );
  const shown = findings.slice(0, SHOWN_FINDINGS);
  return (
    <Table
      data-testid="findings"
      caption={caption}
      captionHidden
      rows={shown}
      rowKey={(f) => f.key}
      rowProps={(f) => ({ "data-rule": f.rule })}
      footer={
        findings.length > shown.length ? (
          <p className="px-3 py-2 text-xs text-slate-600 dark:text-slate-300">
            The first {shown.length} of {findings.length} are shown.
          </p>
        ) : null
      }
      columns={[
        { key: "severity", header: "Severity", primary: true, label: "", cell: (f) => <Severity value={f.severity} /> },
        {
          key: "rule",
          header: columns.rule,
          primary: true,
          rowHeader: true,
          className: `${mono} font-normal md:whitespace-nowrap`,
          cell: (f) => f.rule,
        },
        { key: "object", header: columns.object, className: mono, cell: (f) => f.object },
        { key: "location", header: columns.location, className: mono, cell: (f) => f.location ?? "—" },
        { key: "message", header: "Message", className: "text-xs break-words", cell: (f) => f.message || "—" },
      ]}
    />
  );
}

export function ChangesNote({ changes, now }: { changes: TChanges; now: string }) {
  if (changes === null)
    return (
      <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="changes">
        The first push of this project: nothing to compare with.
      </p>
    );
  const list = (items: TListedFinding[]) =>
    items
      .slice(0, 5)
      .map((f) => `${f.rule} on ${f.object}`)
      .join("; ") + (items.length > 5 ? `; and ${items.length - 5} more` : "");
  return (
    <div className="text-xs text-slate-700 dark:text-slate-300" data-testid="changes">
      Since #{changes.previousId} (<ObservedAge at={changes.previousAt} now={now} verb="received" />
      ):{" "}
      {changes.added.length === 0 && changes.resolved.length === 0 ? (
        "the same findings."
      ) : (
        <>
          <span data-testid="changes-added">{changes.added.length} new</span>
          {changes.added.length > 0 ? ` (${list(changes.added)})` : ""},{" "}
          <span data-testid="changes-resolved">{changes.resolved.length} resolved</span>
          {changes.resolved.length > 0 ? ` (${list(changes.resolved)})` : ""}.
        </>
      )}
    </div>
  );
}

export function RuleTable({
  rules,
  labels,
  caption,
}: {
  rules: Record<string, { checked: number; failed: number }>;
  labels: Record<string, string>;
  caption: string;
}) {
  return (
    <Table
      data-testid="rules"
      caption={caption}
      captionHidden
      rows={Object.entries(rules)}
      rowKey={([rule]) => rule}
      rowProps={([rule, r]) => ({ "data-rule": rule, "data-failed": r.failed })}
      columns={[
        {
          key: "rule",
          header: "Rule",
          primary: true,
          className: "font-normal",
          cell: ([rule]) => (
            <>
              {labels[rule] ?? rule}{" "}
              <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{rule}</span>
            </>
          ),
        },
        {
          key: "checked",
          header: "Checked",
          className: "tabular-nums",
          cell: ([, r]) =>
            r.checked === 0 ? <span className="text-slate-500 dark:text-slate-400">nothing to check</span> : r.checked,
        },
        {
          key: "failed",
          header: "Failed",
          className: "font-semibold tabular-nums",
          cell: ([, r]) => (
            <span className={r.failed > 0 ? "text-red-700 dark:text-red-300" : ""}>
              {r.checked === 0 ? "—" : r.failed}
            </span>
          ),
        },
      ]}
    />
  );
}
