import { DEFAULT_TIME_ZONE, formatPoints, formatScore, formatTime } from "../format";
import { maskProbeConfig } from "../queries/component-detail";
import type { TFigure, TReport, TRiskRow, TTrendDay } from "./types";

// Pure pieces of the report: figures (verified or not), the daily trend, the statements and the conclusion that
// are derived from the figures rather than written by anyone.

export function known(value: string, window: string | null, source: string): TFigure {
  return { value, window, source, verified: true, note: null };
}

export function unverified(note: string, window: string | null = null, source: string | null = null): TFigure {
  return { value: null, window, source, verified: false, note };
}

/** A score to one decimal, rounded down as the gate judges it (89.96 is 89.9 %, never a passing 90.0). */
export const scoreText = formatScore;

/** A time as every page writes it, in the reader's zone (UTC for a download without one), the zone named. */
export function stamp(iso: string | null, zone: string = DEFAULT_TIME_ZONE): string {
  return formatTime(iso, zone);
}

/** The last snapshot of each UTC day in the window, oldest first; days without a snapshot are left out. */
export function dailyTrend(
  points: { takenAt: string; overallPct: number | null; blockers: number }[],
  now: Date,
  days: number,
): TTrendDay[] {
  const from = now.getTime() - days * 86_400_000;
  const byDay = new Map<string, TTrendDay>();
  for (const p of points) {
    const t = Date.parse(p.takenAt);
    if (Number.isNaN(t) || t < from || t > now.getTime()) continue;
    const day = p.takenAt.slice(0, 10);
    const seen = byDay.get(day);
    if (!seen || Date.parse(seen.takenAt) <= t)
      byDay.set(day, {
        day,
        takenAt: p.takenAt,
        overallPct: p.overallPct,
        blockers: p.blockers,
        snapshots: (seen?.snapshots ?? 0) + 1,
      });
    else seen.snapshots += 1;
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

/** The deployment risk as the worst level among risks not yet mitigated or closed. */
export function overallRiskLevel(risks: Pick<TRiskRow, "level" | "status">[]): TRiskRow["level"] | null {
  const live = risks.filter((r) => r.status === "open" || r.status === "accepted");
  if (live.length === 0) return null;
  return live.some((r) => r.level === "high") ? "high" : live.some((r) => r.level === "medium") ? "medium" : "low";
}

/** Where a component is probed, as the report may print it: the URL (or host:port) with passwords and secrets masked. */
export function probeTarget(probe: unknown, secrets: Set<string>): string {
  const p = (maskProbeConfig(probe, secrets) ?? {}) as Record<string, unknown>;
  const url = typeof p.adminUrl === "string" ? p.adminUrl : typeof p.url === "string" ? p.url : null;
  if (url) return url;
  if (typeof p.host === "string") return `${p.host}:${String(p.port ?? "")}`;
  return "—";
}

function isFigure(value: unknown): value is TFigure {
  return (
    typeof value === "object" &&
    value !== null &&
    "verified" in value &&
    "value" in value &&
    "source" in value &&
    "window" in value
  );
}

/** Every figure of the report without evidence, wherever it sits. */
export function countUnverified(value: unknown): number {
  if (isFigure(value)) return value.verified ? 0 : 1;
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + countUnverified(item), 0);
  if (typeof value === "object" && value !== null)
    return Object.values(value).reduce((n: number, item) => n + countUnverified(item), 0);
  return 0;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function listSome(names: string[], max = 3): string {
  const shown = names.slice(0, max).map((n) => `"${n}"`);
  return names.length > max ? `${shown.join(", ")} and ${names.length - max} more` : shown.join(", ");
}

type TStatementInput = Pick<TReport, "summary" | "components" | "scorecard" | "plan" | "signOff" | "system">;

/** The executive summary's statements, each one read off a figure in the report. */
export function deriveStatements(r: TStatementInput): string[] {
  const out: string[] = [];
  const known = r.components.rows.filter((c) => c.status !== "unknown").length;
  out.push(
    known === 0
      ? `No component has a current state: no worker has checked them recently, so none of the ${r.components.total} services is verified as operational.`
      : `${r.components.operational} of ${r.components.total} services are operational at their last checks${known < r.components.total ? ` (${r.components.total - known} without a current state)` : ""}.`,
  );
  if (!r.summary.scorecardConfigured) out.push("No scorecard is configured, so nothing is scored.");
  else if (r.summary.overallPct === null) out.push("Nothing is scored yet: no scorecard check has evidence.");
  else
    out.push(
      `Readiness is ${scoreText(r.summary.overallPct)} against a gate of ${r.summary.gate.minScorePct} %: the gate is ${r.summary.gate.passed ? "open" : "closed"}.`,
    );
  const blockers = r.summary.blockers;
  if (r.summary.scorecardConfigured) {
    out.push(
      blockers.length === 0
        ? "No critical check or criterion blocks go-live."
        : `${plural(blockers.length, "critical check or criterion", "critical checks or criteria")} block go-live: ${listSome(blockers.map((b) => b.name))}.`,
    );
  }
  const pending = r.scorecard.checks.filter((c) => !c.measured.verified).length;
  if (pending > 0) out.push(`${pending} of ${r.scorecard.checks.length} scorecard checks have no evidence yet.`);
  if (r.signOff.configured) {
    out.push(
      r.signOff.goLive.approved
        ? `Go-live${r.signOff.release ? ` (${r.signOff.release})` : ""} is approved by every required role.`
        : `Go-live${r.signOff.release ? ` (${r.signOff.release})` : ""} is not approved: ${plural(r.signOff.goLive.missing.length, "item")} missing.`,
    );
  }
  if (r.plan.overdue > 0)
    out.push(`${plural(r.plan.overdue, "critical-path task is", "critical-path tasks are")} overdue.`);
  if (r.summary.unverifiedCount > 0)
    out.push(
      `${plural(r.summary.unverifiedCount, "figure")} in this report ${r.summary.unverifiedCount === 1 ? "is" : "are"} unverified: nothing measured or attested them.`,
    );
  return out;
}

/** The conclusion: where the system stands, what holds it back and what comes next, from the figures alone. */
export function deriveConclusion(r: Omit<TReport, "conclusion">, now: Date): string[] {
  const out: string[] = [];
  const passed = r.scorecard.checks.filter((c) => c.verdict === "passed").length;
  out.push(
    r.summary.overallPct === null
      ? `${r.system.name} has no readiness score yet: none of its scorecard checks has evidence.`
      : `${r.system.name} is ${scoreText(r.summary.overallPct)} production ready by its scorecard (${passed} of ${r.scorecard.checks.length} checks passed), evaluated ${stamp(r.generatedAt)}.`,
  );
  if (r.summary.gate.passed)
    out.push(
      "The go-live gate is open: the score reaches the minimum and every critical check and criterion has passed.",
    );
  else {
    const [first, ...rest] = r.summary.gate.reasons;
    out.push(
      `The go-live gate is closed: ${first ?? "see the blockers"}${rest.length > 0 ? `, and ${plural(rest.length, "other reason")}` : ""}.`,
    );
  }
  if (r.signOff.configured) {
    const target = r.system.release?.targetDate ? ` (target ${r.system.release.targetDate})` : "";
    out.push(
      r.signOff.goLive.approved
        ? `${r.signOff.release ?? "The release"}${target} is approved for go-live.`
        : `${r.signOff.release ?? "The release"}${target} is not approved for go-live yet.`,
    );
  }
  const today = now.toISOString().slice(0, 10);
  const next = r.plan.phases.find((p) => p.endDate === null || p.endDate >= today);
  if (next && next.expectedReadinessPct !== null) {
    const gap =
      r.summary.overallPct === null
        ? ""
        : `; ${r.summary.overallPct >= next.expectedReadinessPct ? "the measured score already reaches it" : `the measured score is ${formatPoints(next.expectedReadinessPct - r.summary.overallPct)} short`}`;
    out.push(
      `The next phase, ${next.name}${next.endDate ? ` (until ${next.endDate})` : ""}, expects ${next.expectedReadinessPct} %${gap}.`,
    );
  }
  if (r.summary.unverifiedCount > 0) {
    const n = r.summary.unverifiedCount;
    out.push(
      n === 1
        ? "Until the one unverified figure has evidence, it is a claim, not a result."
        : `Until the ${n} unverified figures have evidence, they are claims, not results.`,
    );
  }
  return out;
}
