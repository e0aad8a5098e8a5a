import { formatCount, formatDay, formatPercent, formatRelativeDay, formatScore } from "../format";
import type { TRoleStatus } from "../signoff/status";
import type { ReadinessResult } from "./evaluate";
import { judgeGate } from "./gate";

// "Can we go live?", answered in one line on every page: from the live readiness, the gate and the sign-off grid.
// The same three facts the go-live card, the scorecard and the sign-off page show in full.

export type TVerdictState = "approved" | "awaiting-signoff" | "not-ready" | "unscored";

export type TVerdict = {
  state: TVerdictState;
  scorePct: number | null;
  gateMinPct: number;
  gateOpen: boolean;
  /** Critical checks and criteria not passed (failed or pending: missing evidence is not a pass). */
  criticalBlockers: number;
  /** Required sign-off roles not approved, of how many; null when no sign-off is configured. */
  signOffs: { missing: number; required: number } | null;
  release: { name: string; targetDate: string | null; targetPassed: boolean; targetRelative: string | null } | null;
};

export function judgeVerdict(input: {
  result: Pick<ReadinessResult, "overallPct" | "blockers">;
  gateMinPct: number;
  scorecardConfigured: boolean;
  roles: Pick<TRoleStatus, "required" | "state">[] | null;
  release: { name: string; targetDate: string | null } | null;
  now: Date;
}): TVerdict {
  const { result, gateMinPct, roles, release, now } = input;
  const gate = judgeGate(result, gateMinPct);
  const required = roles?.filter((r) => r.required) ?? null;
  const signOffs = required
    ? { missing: required.filter((r) => r.state !== "approved").length, required: required.length }
    : null;
  const state: TVerdictState =
    !input.scorecardConfigured || result.overallPct === null
      ? "unscored"
      : !gate.passed
        ? "not-ready"
        : signOffs && signOffs.missing > 0
          ? "awaiting-signoff"
          : "approved";
  const today = now.toISOString().slice(0, 10);
  return {
    state,
    scorePct: input.scorecardConfigured ? result.overallPct : null,
    gateMinPct,
    gateOpen: gate.passed,
    criticalBlockers: result.blockers.length,
    signOffs,
    release: release
      ? {
          name: release.name,
          targetDate: release.targetDate,
          // The target day itself is not past: a launch planned for today is on time until tomorrow.
          targetPassed: release.targetDate !== null && release.targetDate < today && state !== "approved",
          targetRelative: release.targetDate === null ? null : formatRelativeDay(release.targetDate, now),
        }
      : null,
  };
}

/** The verdict's parts in words, each a separate phrase so a page can link each one. */
export function describeVerdict(v: TVerdict): {
  headline: string;
  score: string | null;
  blockers: string | null;
  signOffs: string | null;
  target: string | null;
} {
  const headline = {
    approved:
      v.signOffs === null ? "Ready: readiness gate open (no sign-off is configured)" : "Ready: approved for go-live",
    "awaiting-signoff": "Not yet: awaiting sign-off",
    "not-ready": "Not ready for go-live",
    unscored: "Not ready for go-live: readiness is not scored",
  }[v.state];
  const score = v.scorePct === null ? null : `${formatScore(v.scorePct)} against a ${formatPercent(v.gateMinPct)} gate`;
  const blockers =
    v.criticalBlockers > 0
      ? formatCount(v.criticalBlockers, "critical blocker")
      : v.state === "unscored"
        ? null
        : "no critical blocker";
  const signOffs =
    v.signOffs === null
      ? null
      : v.signOffs.missing === 0
        ? v.signOffs.required === 1
          ? "the one sign-off in"
          : `all ${formatCount(v.signOffs.required, "sign-off")} in`
        : `${formatCount(v.signOffs.missing, "sign-off")} missing of ${v.signOffs.required}`;
  const target = v.release?.targetDate
    ? v.release.targetPassed
      ? `target ${formatDay(v.release.targetDate)} passed ${v.release.targetRelative}`
      : `target ${formatDay(v.release.targetDate)}${v.release.targetRelative === "today" ? ", today" : `, ${v.release.targetRelative}`}`
    : null;
  return { headline, score, blockers, signOffs, target };
}

/** The whole line as text: for the tab title's tooltip, the report and tests. */
export function verdictText(v: TVerdict): string {
  const d = describeVerdict(v);
  return [d.headline, d.score, d.blockers, d.signOffs, d.target].filter(Boolean).join(" · ");
}
