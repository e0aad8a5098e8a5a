import { z } from "zod";
import { formatDuration, formatScore } from "../format";
import type { CheckVerdict } from "../readiness/evaluate";
// Sign-off state, pure: whether each role's latest decision still counts, and whether the release may go live.

export type TDecision = "approve" | "ready" | "reject";

export type TSignOffRecord = {
  role: string;
  userId: string;
  userName: string;
  /** The account as of signing. */
  userEmail: string;
  decision: TDecision;
  comment: string;
  signedAt: Date;
  snapshot: {
    id: string;
    hash: string;
    takenAt: Date;
    overallPct: number | null;
    criticalFailed: number;
    criticalFailedIds?: string[];
  };
};

/** What a stored readiness snapshot says, as far as staleness reads it (three columns, never the result). */
export type TSnapshotPoint = {
  at: Date;
  overallPct: number | null;
  criticalFailed: number;
  /** Which critical checks had failed; absent or incomplete on snapshots from before they were stored. */
  criticalFailedIds?: string[];
};

const idsKnown = (p: {
  criticalFailed: number;
  criticalFailedIds?: string[];
}): p is { criticalFailed: number; criticalFailedIds: string[] } =>
  p.criticalFailedIds !== undefined && p.criticalFailedIds.length === p.criticalFailed;

/**
 * Whether a critical check failed later that had not failed at signing: by name when both snapshots say which
 * (so one recovering while another fails is still a new failure), by count for snapshots from before that.
 */
export function newCriticalFailure(
  signed: Pick<TSnapshotPoint, "criticalFailed" | "criticalFailedIds">,
  later: Pick<TSnapshotPoint, "criticalFailed" | "criticalFailedIds">,
): boolean {
  if (idsKnown(signed) && idsKnown(later)) {
    const before = new Set(signed.criticalFailedIds);
    return later.criticalFailedIds.some((id) => !before.has(id));
  }
  return later.criticalFailed > signed.criticalFailed;
}

/**
 * The regression that makes a sign-off stale. `at` and its figures are the snapshot where the counting part began:
 * the first new critical failure for "critical", else the first snapshot of the episode.
 */
export type TRegression = TSnapshotPoint & {
  /**
   * "critical": a critical check failed (counts at once); "lasted": one dip of at least the grace; "repeated":
   * dips each shorter than the grace that add up to it since signing; "ongoing": not recovered.
   */
  cause: "critical" | "lasted" | "repeated" | "ongoing";
  /** The episode's first regressing snapshot. */
  since: Date;
  /** The first snapshot after it that no longer regresses; null while the regression is ongoing. */
  recoveredAt: Date | null;
  graceMs: number;
};

/** A check or criterion whose verdict differs between the signed snapshot and the regressed one (null: absent). */
export type TChangedCheck = {
  id: string;
  name: string;
  category: string | null;
  before: CheckVerdict | null;
  after: CheckVerdict | null;
  beforeMeasured: string | null;
  afterMeasured: string | null;
};

export type TSignOffState = "approved" | "ready" | "rejected" | "stale" | "expired" | "pending";

export type TRoleStatus = {
  role: string;
  name: string;
  required: boolean;
  latest: TSignOffRecord | null;
  state: TSignOffState;
  /** Why a sign-off no longer counts, in words. */
  reason: string | null;
  /** When stale: the checks and criteria whose verdict changed between the signed snapshot and the regression. */
  regressed: TChangedCheck[];
  /** When stale and `regressed` cannot say (an unreadable or old stored result, or no verdict changed): why. */
  regressedNote: string | null;
};

const pct = formatScore;

/**
 * Whether a later snapshot is a regression against the signed one: the score fell below the gate (or, already
 * below, fell further), or a critical check failed that had not failed when it was signed.
 */
export function isRegression(signed: TSignOffRecord["snapshot"], later: TSnapshotPoint, gateMinPct: number): boolean {
  const score = later.overallPct ?? Number.NEGATIVE_INFINITY;
  const before = signed.overallPct ?? Number.NEGATIVE_INFINITY;
  return (score < gateMinPct && score < before) || newCriticalFailure(signed, later);
}

/**
 * The first regression after signing that makes the sign-off stale, or null. The snapshots after the sign-off, in
 * time order, fall into episodes: one begins at a snapshot that regresses (isRegression) and ends at the next one
 * that does not. An episode counts when a critical check failed in it that had not failed at signing (at once, no
 * grace), when it lasted at least the grace, or when it is still going on (the latest snapshot regresses). A dip
 * that recovered within the grace does not count, until such dips add up to the grace since signing. A grace of 0
 * counts every dip.
 */
export function findCountingRegression(
  signed: TSignOffRecord["snapshot"],
  later: readonly TSnapshotPoint[],
  options: { gateMinPct: number; graceMs: number },
): TRegression | null {
  const points = [...later].sort((a, b) => a.at.getTime() - b.at.getTime());
  const { gateMinPct, graceMs } = options;
  let i = 0;
  // Short dips are forgiven one by one, not without end: a readiness that keeps dipping is not the one signed.
  let dippedMs = 0;
  while (i < points.length) {
    const start = points[i];
    if (!start || !isRegression(signed, start, gateMinPct)) {
      i += 1;
      continue;
    }
    let end = i;
    while (end < points.length && isRegression(signed, points[end] as TSnapshotPoint, gateMinPct)) end += 1;
    const episode = points.slice(i, end);
    const recovered = points[end] ?? null;
    const critical = episode.find((p) => newCriticalFailure(signed, p));
    const base = { since: start.at, recoveredAt: recovered?.at ?? null, graceMs };
    if (critical) return { ...critical, ...base, cause: "critical" };
    if (!recovered) return { ...start, ...base, cause: "ongoing" };
    const lastedMs = recovered.at.getTime() - start.at.getTime();
    if (lastedMs >= graceMs) return { ...start, ...base, cause: "lasted" };
    dippedMs += lastedMs;
    if (dippedMs >= graceMs) return { ...start, ...base, cause: "repeated" };
    i = end;
  }
  return null;
}

function describeRegression(r: TRegression, signed: TSignOffRecord["snapshot"]): string {
  if (r.cause === "critical") {
    const after = r.recoveredAt
      ? `; it recovered at ${r.recoveredAt.toISOString()}, but a critical failure counts without grace`
      : "";
    return `a critical check failed (${r.criticalFailed} failing, ${signed.criticalFailed} when signed) at ${r.at.toISOString()}${after}`;
  }
  const fell = `the score fell to ${pct(r.overallPct)} (${pct(signed.overallPct)} when signed) at ${r.at.toISOString()}`;
  if (r.cause === "ongoing") return `${fell} and has not recovered`;
  if (r.cause === "repeated")
    return `${fell}, the last of dips that add up to ${formatDuration(r.graceMs)} or more since signing: each recovered within the grace, together they do not`;
  const lasted = formatDuration((r.recoveredAt ?? r.at).getTime() - r.since.getTime());
  return `${fell} for ${lasted} before it recovered, ${r.graceMs > 0 ? `not within the ${formatDuration(r.graceMs)} grace` : "with no grace configured"}`;
}

export function judgeSignOff(
  record: TSignOffRecord | null,
  context: { regression: TRegression | null; now: Date; expiresAfterDays: number },
): { state: TSignOffState; reason: string | null } {
  if (!record) return { state: "pending", reason: null };
  const expiresAt = record.signedAt.getTime() + context.expiresAfterDays * 86_400_000;
  if (expiresAt <= context.now.getTime()) {
    return {
      state: "expired",
      reason: `signed ${record.signedAt.toISOString().slice(0, 10)}, expired after ${context.expiresAfterDays} days: sign again`,
    };
  }
  if (record.decision === "reject") return { state: "rejected", reason: record.comment };
  if (context.regression)
    return {
      state: "stale",
      reason: `readiness regressed after signing: ${describeRegression(context.regression, record.snapshot)}`,
    };
  return { state: record.decision === "approve" ? "approved" : "ready", reason: null };
}

const ZVerdict = z.enum(["passed", "warning", "failed", "pending", "waived"]);
const ZStoredCheck = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string().nullable().optional(),
  verdict: ZVerdict,
  measured: z.string().nullable().optional(),
});
const ZStoredResult = z.object({ checks: z.array(ZStoredCheck), criteria: z.array(ZStoredCheck) });
type TStoredCheck = z.output<typeof ZStoredCheck>;

/**
 * What regressed: the checks, then the criteria, whose verdict differs between two stored results (the signed
 * snapshot's and the regressed one's), in the regressed result's order; one present in only one of them has null on
 * the other side. Null when either result is not readable as a readiness result (malformed, or from an older
 * version): the caller says the detail is unavailable, and nothing throws.
 */
export function changedVerdicts(before: unknown, after: unknown): TChangedCheck[] | null {
  const b = ZStoredResult.safeParse(before);
  const a = ZStoredResult.safeParse(after);
  if (!b.success || !a.success) return null;
  const changes: TChangedCheck[] = [];
  for (const list of ["checks", "criteria"] as const) {
    const was = new Map(b.data[list].map((c) => [c.id, c]));
    const now = new Map(a.data[list].map((c) => [c.id, c]));
    const ids = [...new Set([...now.keys(), ...was.keys()])];
    for (const id of ids) {
      const x: TStoredCheck | undefined = was.get(id);
      const y: TStoredCheck | undefined = now.get(id);
      if (x?.verdict === y?.verdict) continue;
      const shown = (y ?? x) as TStoredCheck;
      changes.push({
        id,
        name: shown.name,
        category: shown.category ?? null,
        before: x?.verdict ?? null,
        after: y?.verdict ?? null,
        beforeMeasured: x?.measured ?? null,
        afterMeasured: y?.measured ?? null,
      });
    }
  }
  return changes;
}

/** "API p95 latency: passed (180 ms) → failed (420 ms)", as the grid shows one change. */
export function describeChange(c: TChangedCheck): string {
  const side = (verdict: CheckVerdict | null, measured: string | null) =>
    verdict === null ? "absent" : measured ? `${verdict} (${measured})` : verdict;
  return `${c.name}: ${side(c.before, c.beforeMeasured)} → ${side(c.after, c.afterMeasured)}`;
}

const REQUESTED: ReadonlySet<TSignOffState> = new Set(["pending", "stale", "expired"]);

/**
 * The roles whose sign-off is requested of a person: held by them, and pending, stale or expired. With separation
 * of duties, someone whose name is on another role's latest sign-off of this round is asked for that role alone
 * (again, if it went stale or expired), never for another.
 */
export function requestedRoles(
  roles: readonly Pick<TRoleStatus, "role" | "name" | "state" | "latest">[],
  actor: { id: string; signOffRoles: readonly string[] },
  separationOfDuties: boolean,
): { role: string; name: string; state: TSignOffState }[] {
  const held = roles.filter((r) => actor.signOffRoles.includes(r.role));
  const signed = separationOfDuties ? roles.find((r) => r.latest?.userId === actor.id) : undefined;
  const asked = signed ? held.filter((r) => r.role === signed.role) : held;
  return asked.filter((r) => REQUESTED.has(r.state)).map((r) => ({ role: r.role, name: r.name, state: r.state }));
}

export type TGoLive = { approved: boolean; missing: string[] };

/**
 * Go-live: every required role approved (not merely ready), none stale, expired or rejected, and readiness through
 * its gate. Given the gate's verdict, its reasons are what is missing on the readiness side (the score below the
 * minimum, each critical check or criterion not passed; a waived one does not block, as in the gate); without it
 * (a caller that has no score), every critical criterion must have passed. `missing` says exactly what is not
 * there yet. So "Approved for go-live" is never shown over a closed gate.
 */
export function judgeGoLive(
  roles: TRoleStatus[],
  criticalCriteria: { name: string; verdict: string }[],
  gate?: { passed: boolean; reasons: string[] },
): TGoLive {
  const missing: string[] = [];
  for (const r of roles.filter((role) => role.required)) {
    if (r.state === "approved") continue;
    const who = r.latest ? ` (${r.latest.userName})` : "";
    const text: Record<Exclude<TSignOffState, "approved">, string> = {
      pending: `${r.name}: not signed`,
      ready: `${r.name}: marked ready${who}, not approved`,
      rejected: `${r.name}: rejected${who}${r.reason ? `: ${r.reason}` : ""}`,
      stale: `${r.name}: sign-off stale${who}: ${r.reason ?? ""}`,
      expired: `${r.name}: sign-off expired${who}`,
    };
    missing.push(text[r.state]);
  }
  if (gate) {
    for (const reason of gate.reasons) missing.push(`readiness gate: ${reason}`);
  } else {
    for (const c of criticalCriteria.filter((criterion) => criterion.verdict !== "passed"))
      missing.push(`critical criterion "${c.name}" is ${c.verdict}`);
  }
  return { approved: missing.length === 0, missing };
}

/** Separation of duties: the role this person already signed in the round, if it is another one. */
export function conflictingRole(
  latestByRole: Map<string, TSignOffRecord>,
  userId: string,
  role: string,
): string | null {
  for (const [other, record] of latestByRole) if (other !== role && record.userId === userId) return other;
  return null;
}
