import { formatScore } from "../format";
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
  snapshot: { id: string; hash: string; takenAt: Date; overallPct: number | null; criticalFailed: number };
};

/** A later snapshot that undoes what the signer saw, if any. */
export type TRegression = { at: Date; overallPct: number | null; criticalFailed: number };

export type TSignOffState = "approved" | "ready" | "rejected" | "stale" | "expired" | "pending";

export type TRoleStatus = {
  role: string;
  name: string;
  required: boolean;
  latest: TSignOffRecord | null;
  state: TSignOffState;
  /** Why a sign-off no longer counts, in words. */
  reason: string | null;
};

const pct = formatScore;

/**
 * Whether a later snapshot is a regression against the signed one: the score fell below the gate (or, already
 * below, fell further), or a critical check failed that had not failed when it was signed.
 */
export function isRegression(signed: TSignOffRecord["snapshot"], later: TRegression, gateMinPct: number): boolean {
  const score = later.overallPct ?? Number.NEGATIVE_INFINITY;
  const before = signed.overallPct ?? Number.NEGATIVE_INFINITY;
  return (score < gateMinPct && score < before) || later.criticalFailed > signed.criticalFailed;
}

export function judgeSignOff(
  record: TSignOffRecord | null,
  context: { regression: TRegression | null; now: Date; expiresAfterDays: number },
): { state: TSignOffState; reason: string | null } {
  if (!record) return { state: "pending", reason: null };
  const expiresAt = record.signedAt.getTime() + context.expiresAfterDays * 86_400_000;
  if (expiresAt <= context.now.getTime()) {
    return { state: "expired", reason: `signed ${record.signedAt.toISOString().slice(0, 10)}, expired after ${context.expiresAfterDays} days: sign again` };
  }
  if (record.decision === "reject") return { state: "rejected", reason: record.comment };
  if (context.regression) {
    const r = context.regression;
    const what = r.criticalFailed > record.snapshot.criticalFailed ? `a critical check failed (${r.criticalFailed} failing, ${record.snapshot.criticalFailed} when signed)` : `the score fell to ${pct(r.overallPct)} (${pct(record.snapshot.overallPct)} when signed)`;
    return { state: "stale", reason: `readiness regressed after signing: ${what} at ${r.at.toISOString()}` };
  }
  return { state: record.decision === "approve" ? "approved" : "ready", reason: null };
}

export type TGoLive = { approved: boolean; missing: string[] };

/**
 * Go-live: every required role approved (not merely ready), none stale, expired or rejected, and every critical
 * criterion passed. `missing` says exactly what is not there yet.
 */
export function judgeGoLive(roles: TRoleStatus[], criticalCriteria: { name: string; verdict: string }[]): TGoLive {
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
  for (const c of criticalCriteria.filter((criterion) => criterion.verdict !== "passed")) missing.push(`critical criterion "${c.name}" is ${c.verdict}`);
  return { approved: missing.length === 0, missing };
}

/** Separation of duties: the role this person already signed in the round, if it is another one. */
export function conflictingRole(latestByRole: Map<string, TSignOffRecord>, userId: string, role: string): string | null {
  for (const [other, record] of latestByRole) if (other !== role && record.userId === userId) return other;
  return null;
}
