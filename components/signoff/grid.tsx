import { LocalTime } from "@/components/ui/local-time";
import { formatScore } from "@/components/ui/score";
import { SignOffStateBadge } from "@/components/ui/signoff-state";
import { Table, type TColumn } from "@/components/ui/table";
import type { TSignOffView } from "@/lib/queries/signoff";
import { describeChange } from "@/lib/signoff/status";
import { DECISIONS } from "./decisions";

// The sign-off grid, on the app's Table: on a phone each role is a stacked card, its name first and its state right
// after it, so the State column (and why a sign-off is stale, and what regressed) is never scrolled out of sight.

type TRow = TSignOffView["roles"][number];
const muted = "text-xs text-slate-600 dark:text-slate-300";

/** What the grace means, under the grid (and in the README). */
export function graceSentence(minutes: number): string {
  if (minutes === 0)
    return "Every regression after signing makes a sign-off stale: no grace is configured (signoff.regressionGraceMinutes: 0).";
  return `A regression that recovers within ${minutes} minute${minutes === 1 ? "" : "s"} does not make a sign-off stale, unless a critical check failed that had not failed at signing; one still going on does.`;
}

function State({ r }: { r: TRow }) {
  return (
    <div data-testid="signoff-state">
      <SignOffStateBadge state={r.state} />
      {r.reason && r.state !== "rejected" ? <span className={`mt-1 block ${muted}`}>{r.reason}</span> : null}
      {r.state === "stale" && r.regressed.length > 0 ? (
        <div className="mt-1 text-xs">
          <span className="font-semibold">Regressed since signing:</span>
          <ul className="list-disc pl-4" data-testid="regressed">
            {r.regressed.map((c) => (
              <li key={`${c.category ?? "criterion"}-${c.id}`} data-check={c.id}>
                {describeChange(c)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {r.state === "stale" && r.regressedNote ? (
        <span className={`mt-1 block ${muted}`} data-testid="regressed-note">
          {r.regressedNote}
        </span>
      ) : null}
    </div>
  );
}

const COLUMNS: TColumn<TRow>[] = [
  {
    key: "role",
    header: "Role",
    primary: true,
    cell: (r) => (
      <>
        {r.name}
        {r.required ? (
          ""
        ) : (
          <span className="block text-xs font-normal text-slate-600 dark:text-slate-300">optional</span>
        )}
      </>
    ),
  },
  {
    key: "assigned",
    header: "Assigned",
    cell: (r) =>
      r.holders.length > 0 ? (
        r.holders.map((h) => h.name).join(", ")
      ) : (
        <span className="text-slate-600 dark:text-slate-400">nobody</span>
      ),
  },
  {
    key: "signed-by",
    header: "Signed by",
    cell: (r) =>
      r.latest ? (
        <>
          <span data-testid="signed-by">{r.latest.userName}</span>
          <span className={`block break-all ${muted}`} data-testid="signed-by-account">
            {r.latest.userEmail}
          </span>
        </>
      ) : (
        "—"
      ),
  },
  {
    key: "date",
    header: "Date",
    cell: (r) => (r.latest ? <LocalTime iso={r.latest.signedAt.toISOString()} /> : "TBD"),
  },
  { key: "decision", header: "Decision", cell: (r) => (r.latest ? DECISIONS[r.latest.decision] : "—") },
  { key: "comment", header: "Comment", className: "md:max-w-xs break-words", cell: (r) => r.latest?.comment || "—" },
  {
    key: "snapshot",
    header: "Snapshot",
    className: "md:whitespace-nowrap",
    cell: (r) => (
      <span data-testid="signed-snapshot">
        {r.latest ? (
          <>
            {formatScore(r.latest.snapshot.overallPct)}
            <span className="block font-mono text-xs">{r.latest.snapshot.hash.slice(0, 12)}</span>
            <span className={`block ${muted}`}>
              <LocalTime iso={r.latest.snapshot.takenAt.toISOString()} />
            </span>
          </>
        ) : (
          "—"
        )}
      </span>
    ),
  },
  // Right after the role on a phone (the role is order-first), before every other column.
  { key: "state", header: "State", className: "md:min-w-64 max-md:-order-1", cell: (r) => <State r={r} /> },
];

export function SignOffGrid({ view }: { view: Pick<TSignOffView, "roles" | "regressionGraceMinutes"> }) {
  return (
    <Table
      caption="Sign-off roles with the person assigned, the latest decision, the snapshot it was given against and its state"
      captionHidden
      columns={COLUMNS}
      rows={view.roles}
      rowKey={(r) => r.role}
      rowProps={(r) => ({ "data-role": r.role, "data-state": r.state })}
      data-testid="signoff-grid"
      footer={
        <p className={`border-t border-slate-100 px-3 py-2 dark:border-slate-800 ${muted}`} data-testid="signoff-grace">
          {graceSentence(view.regressionGraceMinutes)}
        </p>
      }
    />
  );
}
