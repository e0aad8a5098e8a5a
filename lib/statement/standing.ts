import { formatCount, formatNumber } from "../format";
import type { TSignOffView } from "../queries/signoff";
import { describeChange, type TRoleStatus } from "../signoff/status";
import type { TReadinessStatement, TStatementSignOff } from "./envelope";

// Whether a statement still stands: the online half of verifying one. A signature proves what was approved; it
// cannot say that the approval still counts. A statement is void once a sign-off it carries no longer does (stale
// after a regression, expired, or replaced by a later decision), once its release is no longer the current one,
// or once a required role it has no sign-off for exists. Pure: given the release's sign-off view as
// lib/queries/signoff.ts computes it, so "stale" means here exactly what it means on the sign-off grid.

export type TVoidCause = "release" | "stale" | "expired" | "superseded" | "unsigned";

export type TStanding =
  | { standing: "valid" }
  | {
      standing: "void";
      /** Each reason, with the role it is about (null for the release). */
      causes: { cause: TVoidCause; role: string | null; message: string }[];
      /** All of them in one sentence, for the gate's output. */
      reason: string;
    };

export type TCurrentSignOffs = Pick<TSignOffView, "release"> & {
  roles: Pick<
    TRoleStatus,
    "role" | "name" | "required" | "latest" | "state" | "reason" | "regressed" | "regressedNote"
  >[];
};

/** Whether the role's latest decision is the one the statement carries (the same person, moment and snapshot). */
function isSameSignOff(latest: TRoleStatus["latest"], signed: TStatementSignOff): boolean {
  return (
    latest !== null &&
    latest.userId === signed.user.id &&
    latest.signedAt.toISOString() === signed.at &&
    latest.snapshot.id === signed.snapshotId
  );
}

/** "2 checks regressed: API p95 latency: passed (180 ms) → failed (420 ms); …", or why that cannot be said. */
function whatRegressed(role: TCurrentSignOffs["roles"][number]): string {
  if (role.regressed.length === 0) return role.regressedNote ? `; ${role.regressedNote}` : "";
  // Criteria are the changes without a scorecard category (lib/signoff/status.ts changedVerdicts).
  const checks = role.regressed.filter((c) => c.category !== null).length;
  const criteria = role.regressed.length - checks;
  const counted = [
    checks > 0 ? formatCount(checks, "check") : null,
    criteria > 0 ? `${formatNumber(criteria)} ${criteria === 1 ? "criterion" : "criteria"}` : null,
  ].filter((part) => part !== null);
  return `; ${counted.join(" and ")} regressed: ${role.regressed.map(describeChange).join("; ")}`;
}

/**
 * `valid` while every sign-off the statement carries is still its role's latest decision and still counts;
 * otherwise `void` with each reason ("the QA sign-off by alice went stale: readiness regressed after signing: …;
 * 2 checks regressed: …"). A role the statement signed that is no longer configured does not void it: it no
 * longer gates go-live.
 */
export function statementStanding(statement: TReadinessStatement, current: TCurrentSignOffs): TStanding {
  const { release, signOffs } = statement.predicate;
  const causes: { cause: TVoidCause; role: string | null; message: string }[] = [];
  if (current.release?.name !== release.name) {
    const now = current.release ? `the current release is "${current.release.name}"` : "no release is configured now";
    causes.push({
      cause: "release",
      role: null,
      message: `the statement is for release "${release.name}" and ${now}: its sign-offs are no longer the ones that count`,
    });
  } else {
    for (const signed of signOffs) {
      const role = current.roles.find((r) => r.role === signed.role);
      if (!role) continue;
      const who = `the ${role.name} sign-off by ${signed.user.name || signed.user.id}`;
      const latest = role.latest;
      if (!isSameSignOff(latest, signed)) {
        causes.push({
          cause: "superseded",
          role: role.role,
          message: latest
            ? `${who} (${signed.at}) was followed by ${latest.userName}'s ${latest.decision} at ${latest.signedAt.toISOString()}: the statement no longer describes the approval`
            : `${who} (${signed.at}) is no longer on record`,
        });
      } else if (role.state === "stale") {
        causes.push({
          cause: "stale",
          role: role.role,
          message: `${who} went stale: ${role.reason ?? "readiness regressed after signing"}${whatRegressed(role)}`,
        });
      } else if (role.state === "expired") {
        causes.push({ cause: "expired", role: role.role, message: `${who} expired: ${role.reason ?? "sign again"}` });
      }
    }
    const carried = new Set(signOffs.map((s) => s.role));
    for (const role of current.roles.filter((r) => r.required && !carried.has(r.role)))
      causes.push({
        cause: "unsigned",
        role: role.role,
        message: `the statement carries no sign-off for the required ${role.name} role`,
      });
  }
  if (causes.length === 0) return { standing: "valid" };
  return { standing: "void", causes, reason: `void: ${causes.map((c) => c.message).join("; ")}` };
}
