import { parseValueComparison, satisfiesComparison } from "../conditions/comparison";
import type { TCheck, TScorecard } from "../config/scorecard-schema";
import {
  formatComparison,
  formatCount,
  formatDuration,
  formatLatency,
  formatMeasure,
  formatNumber,
  formatObserved,
  formatPercent,
  formatTime,
  type TMeasureUnit,
} from "../format";
import { staleFixes } from "../evidence/sbom";
import { COMPOSE_RULES } from "../evidence/compose";
import { formatObjectRef, MANIFEST_RULES } from "../evidence/kubernetes";
import {
  COMPOSE_RULE_LABELS,
  composeFindings,
  MANIFEST_RULE_LABELS,
  manifestFindings,
  replicaWorkloads,
} from "./artefact-findings";
import { baselineKey, checkKey, uptimeKey, type ReadinessFacts } from "./facts";
import { judgeCriteria, limitOf, type TCriterion } from "./objectives";

/** "warning": the value misses its pass criteria but meets its warning ones; it scores half its weight. */
export type CheckVerdict = "passed" | "warning" | "failed" | "pending" | "waived";

export type CheckResult = {
  id: string;
  name: string;
  kind: TCheck["kind"];
  category: string | null;
  critical: boolean;
  /** A key objective: failed, it vetoes go-live whatever the score. */
  key?: boolean;
  weight: number;
  verdict: CheckVerdict;
  /** The measured value beside the verdict, as shown: "99.93 %", "P95 85 ms", "recovered in 12 s". */
  measured: string | null;
  /** The measured number itself, where there is one, and its unit: for machines, never for reading. */
  value?: number | null;
  unit?: TMeasureUnit;
  threshold: string;
  /** The link an attestation gives as its evidence: a claim shown beside the source, never as the source. */
  evidenceUrl?: string;
  source: string | null;
  observedAt: string | null;
  /** Why it is not passed (or why it is waived). */
  reason: string | null;
  /** Relative criteria: the value compared with, and where it was frozen. */
  baseline?: { value: number | null; source: string };
  /** A soaking check (holdFor): since when its condition has held unbroken (null: it does not hold now). */
  heldSince?: string | null;
};

export type CategoryResult = {
  id: string;
  name: string;
  weight: number;
  scorePct: number | null;
  passed: number;
  counted: number;
};

export type ReadinessResult = {
  overallPct: number | null;
  categories: CategoryResult[];
  checks: CheckResult[];
  criteria: CheckResult[];
  /** Critical checks and criteria that are not passed: go-live is blocked by each of them. */
  blockers: CheckResult[];
  /** Everything that keeps the score from 100 %, heaviest first. */
  gaps: { check: CheckResult; pointsPct: number }[];
  evaluatedAt: string;
};

type Judgement = Pick<
  CheckResult,
  "verdict" | "measured" | "threshold" | "source" | "observedAt" | "reason" | "value" | "unit" | "evidenceUrl"
>;

const pct = formatPercent;

function stale(at: Date, maxAge: number | undefined, now: Date): string | null {
  if (maxAge === undefined || now.getTime() - at.getTime() <= maxAge) return null;
  return `evidence is ${formatDuration(now.getTime() - at.getTime())} old, older than ${formatDuration(maxAge)}`;
}

/** One check against the facts. Missing evidence is pending, never passed. */
export function judgeCheck(check: TCheck, facts: ReadinessFacts, now: Date): Judgement {
  const none = (threshold: string, reason: string): Judgement => ({
    verdict: "pending",
    measured: null,
    threshold,
    source: null,
    observedAt: null,
    reason,
  });
  switch (check.kind) {
    case "componentUp": {
      const threshold = check.for > 0 ? `up for at least ${formatDuration(check.for)}` : "up";
      const state = facts.components[check.component];
      if (!state || state.status === "unknown" || !state.since || state.inStateMs === null) {
        return none(threshold, `${check.component} is unknown: no recent check vouches for its state`);
      }
      // "Up for" runs to the last check that confirmed it, never to now: a silent gap is not uptime.
      const upFor = state.inStateMs;
      const up = state.status === "up" || state.status === "degraded";
      const measured = `${state.status} for ${formatDuration(upFor)}`;
      const base = {
        measured,
        value: upFor / 1000,
        unit: "seconds" as const,
        threshold,
        source: `confirmed checks of ${check.component}`,
        observedAt: now.toISOString(),
      };
      if (!up) return { ...base, verdict: "failed", reason: `${check.component} is ${state.status}` };
      return upFor >= check.for
        ? { ...base, verdict: "passed", reason: null }
        : { ...base, verdict: "pending", reason: `held ${formatDuration(upFor)} of ${formatDuration(check.for)}` };
    }
    case "uptime": {
      const threshold = `≥ ${pct(check.minPct)} over ${formatDuration(check.window)}, with ≥ ${pct(check.minCoverage)} of it observed`;
      const figure = facts.uptime[uptimeKey(check.component, check.window)];
      if (!figure || figure.pct === null) return none(threshold, `no uptime data for ${check.component} in the window`);
      const observed = formatObserved(figure.observedMs, check.window);
      const partial = figure.coverage < 0.99;
      const base = {
        measured: partial ? `${pct(figure.pct)} (${observed})` : pct(figure.pct),
        value: figure.pct,
        unit: "percent" as const,
        threshold,
        source: `status history of ${check.component}`,
        observedAt: now.toISOString(),
      };
      // Too little of the window seen: the figure says nothing yet about the window it claims, pass or fail.
      if (figure.coverage * 100 < check.minCoverage)
        return { ...base, verdict: "pending", reason: `${observed}; needs ${pct(check.minCoverage)} of the window` };
      return figure.pct >= check.minPct
        ? { ...base, verdict: "passed", reason: null }
        : { ...base, verdict: "failed", reason: `${pct(figure.pct)} is below ${pct(check.minPct)}` };
    }
    case "baseline": {
      const threshold = "every target met";
      const b = facts.baselines[check.baseline];
      if (!b) return none(threshold, `no baseline "${check.baseline}" measured`);
      const base = {
        measured: `${b.passing.length} met, ${b.failing.length} missed, ${b.noData.length} without data`,
        threshold,
        source: b.source,
        observedAt: b.at.toISOString(),
      };
      if (b.failing.length > 0) return { ...base, verdict: "failed", reason: `missed: ${b.failing.join(", ")}` };
      if (b.noData.length > 0) return { ...base, verdict: "pending", reason: `no data: ${b.noData.join(", ")}` };
      return { ...base, verdict: "passed", reason: null };
    }
    case "testSuite": {
      const threshold = `pass rate ≥ ${pct(check.minPassRatePct)}`;
      const s = facts.suites[check.suite];
      if (!s) return none(threshold, `no test results for suite "${check.suite}"`);
      const ran = s.tests - s.skipped;
      // The rate is over the cases that ran, so the count beside it is too: "66.67 %: 10 of 15 run passed (4 skipped)".
      const extras = [
        s.skipped > 0 ? `${formatNumber(s.skipped)} skipped` : null,
        s.flaky > 0 ? `${formatNumber(s.flaky)} flaky` : null,
      ]
        .filter(Boolean)
        .join(", ");
      const measured =
        s.passRatePct === null
          ? `no case ran (${formatCount(s.tests, "test")})`
          : `${pct(s.passRatePct)}: ${formatNumber(ran - s.failed)} of ${formatNumber(ran)} run passed${extras ? ` (${extras})` : ""}`;
      const base = {
        measured,
        value: s.passRatePct,
        unit: "percent" as const,
        threshold,
        source: s.source,
        observedAt: s.at.toISOString(),
      };
      const old = stale(s.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      if (s.passRatePct === null) return { ...base, verdict: "pending", reason: "the run had no test cases" };
      return s.passRatePct >= check.minPassRatePct
        ? { ...base, verdict: "passed", reason: null }
        : {
            ...base,
            verdict: "failed",
            reason: `${pct(s.passRatePct)} is below ${pct(check.minPassRatePct)}: ${s.failed} failed`,
          };
    }
    case "loadTest": {
      const threshold = "every k6 threshold passed";
      const l = facts.loadTests[check.test];
      if (!l) return none(threshold, `no load-test results for "${check.test}"`);
      const base = {
        measured: `${l.failedThresholds.length === 0 ? "all thresholds passed" : `failed: ${l.failedThresholds.join(", ")}`}${l.p95Ms === null ? "" : `, P95 ${formatLatency(l.p95Ms)}`}`,
        threshold,
        source: l.source,
        observedAt: l.at.toISOString(),
      };
      const old = stale(l.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      if (l.allThresholdsPassed === null)
        return {
          ...base,
          measured: l.p95Ms === null ? "no threshold verdict" : `no threshold verdict, P95 ${formatLatency(l.p95Ms)}`,
          verdict: "pending",
          reason:
            "the summary carries no threshold verdict (none defined, or a machine-readable summary without results.passed)",
        };
      return l.allThresholdsPassed
        ? { ...base, verdict: "passed", reason: null }
        : { ...base, verdict: "failed", reason: `thresholds failed: ${l.failedThresholds.join(", ")}` };
    }
    case "scan": {
      const levels =
        check.failOn === "error"
          ? ["error"]
          : check.failOn === "warning"
            ? ["error", "warning"]
            : ["error", "warning", "note"];
      const threshold = `no result at or above ${check.failOn}${check.maxWarnings === undefined ? "" : `, at most ${formatCount(check.maxWarnings, "warning")}`}`;
      const f = facts.scans[check.project];
      if (!f) return none(threshold, `no scan for project "${check.project}"`);
      const shown = `${formatCount(f.counts.error, "error")}, ${formatCount(f.counts.warning, "warning")}, ${formatCount(f.counts.note, "note")}${f.suppressed > 0 ? ` (${formatNumber(f.suppressed)} suppressed)` : ""}`;
      const base = {
        measured: shown,
        value: f.counts.error,
        unit: "count" as const,
        threshold,
        source: f.source,
        observedAt: f.at.toISOString(),
      };
      const old = stale(f.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      const blocking = levels.reduce((sum, level) => sum + f.counts[level as "error" | "warning" | "note"], 0);
      if (blocking > 0) {
        const first = f.top
          .filter((t) => levels.includes(t.level))
          .slice(0, 3)
          .map((t) => `${t.ruleId ?? "a result"}${t.uri ? ` at ${t.uri}${t.line === null ? "" : `:${t.line}`}` : ""}`);
        return {
          ...base,
          verdict: "failed",
          reason: `${formatCount(blocking, "result")} at or above ${check.failOn}${first.length > 0 ? `: ${first.join("; ")}` : ""}`,
        };
      }
      if (check.maxWarnings !== undefined && f.counts.warning > check.maxWarnings)
        return {
          ...base,
          verdict: "failed",
          reason: `${formatCount(f.counts.warning, "warning")}, more than ${formatNumber(check.maxWarnings)}`,
        };
      return { ...base, verdict: "passed", reason: null };
    }
    case "coverage": {
      const threshold = `line coverage ≥ ${pct(check.min)}${check.minBranch === undefined ? "" : `, branch coverage ≥ ${pct(check.minBranch)}`}`;
      const c = facts.coverage[check.project];
      if (!c) return none(threshold, `no coverage report for project "${check.project}"`);
      const lines =
        c.lineRatePct === null
          ? "no lines to cover"
          : `lines ${pct(c.lineRatePct)} (${formatNumber(c.lines.covered)} of ${formatNumber(c.lines.valid)})`;
      const branches =
        c.branchRatePct === null
          ? ""
          : `, branches ${pct(c.branchRatePct)} (${formatNumber(c.branches.covered)} of ${formatNumber(c.branches.valid)})`;
      const base = {
        measured: `${lines}${branches}`,
        value: c.lineRatePct,
        unit: "percent" as const,
        threshold,
        source: c.source,
        observedAt: c.at.toISOString(),
      };
      const old = stale(c.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      if (c.lineRatePct === null) return { ...base, verdict: "pending", reason: "the report has no lines to cover" };
      if (c.lineRatePct < check.min)
        return { ...base, verdict: "failed", reason: `line coverage ${pct(c.lineRatePct)} is below ${pct(check.min)}` };
      if (check.minBranch !== undefined) {
        if (c.branchRatePct === null)
          return {
            ...base,
            verdict: "pending",
            reason: "the report counts no branches, and the check needs branch coverage",
          };
        if (c.branchRatePct < check.minBranch)
          return {
            ...base,
            verdict: "failed",
            reason: `branch coverage ${pct(c.branchRatePct)} is below ${pct(check.minBranch)}`,
          };
      }
      return { ...base, verdict: "passed", reason: null };
    }
    case "vulnerabilities": {
      const limits: [string, number | undefined][] = [
        ["critical", check.maxCritical],
        ["high", check.maxHigh],
        ["medium", check.maxMedium],
      ];
      const set = limits.filter((l): l is [string, number] => l[1] !== undefined);
      const threshold = [
        ...set.map(([severity, max]) => (max === 0 ? `0 ${severity}` : `at most ${formatNumber(max)} ${severity}`)),
        ...(check.maxFixAge === undefined
          ? []
          : [`no fix available for longer than ${formatDuration(check.maxFixAge)}`]),
      ].join(", ");
      const v = facts.sboms[check.project];
      if (!v) return none(threshold, `no SBOM for project "${check.project}"`);
      if (!v.scanned)
        return {
          ...none(
            threshold,
            `the latest SBOM (${v.source}) carries no vulnerability analysis: push one from a scanner (Trivy, Grype, OSV-Scanner) in CycloneDX`,
          ),
          source: v.source,
          observedAt: v.at.toISOString(),
        };
      const { counts } = v;
      const shown = `${formatNumber(counts.critical)} critical, ${formatNumber(counts.high)} high, ${formatNumber(counts.medium)} medium, ${formatNumber(counts.low)} low`;
      const base = {
        measured: shown,
        value: counts.critical,
        unit: "count" as const,
        threshold,
        source: v.source,
        observedAt: v.at.toISOString(),
      };
      const old = stale(v.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      const over = set.filter(([severity, max]) => counts[severity as "critical" | "high" | "medium"] > max);
      const name = (severity: string) =>
        v.vulnerabilities
          .filter((x) => x.counted && x.severity === severity)
          .slice(0, 3)
          .map((x) => x.id);
      if (over.length > 0) {
        const parts = over.map(
          ([severity, max]) =>
            `${formatNumber(counts[severity as "critical"])} ${severity} (at most ${formatNumber(max)})${name(severity).length > 0 ? `: ${name(severity).join(", ")}` : ""}`,
        );
        return { ...base, verdict: "failed", reason: parts.join("; ") };
      }
      if (check.maxFixAge !== undefined) {
        // Measured against the push, not now: the SBOM says what was known when it was made.
        const late = staleFixes(v.vulnerabilities, check.maxFixAge, v.at);
        if (late.length > 0)
          return {
            ...base,
            verdict: "failed",
            reason: `${formatNumber(late.length)} ${late.length === 1 ? "vulnerability" : "vulnerabilities"} with a fix available for longer than ${formatDuration(check.maxFixAge)}: ${late
              .slice(0, 3)
              .map((x) => `${x.id}${x.fixedIn ? ` (fixed in ${x.fixedIn})` : ""}`)
              .join(", ")}`,
          };
        // A fixable vulnerability the scanner gives no date for (Grype writes none) has an unknown fix age: not a pass.
        const undated = v.vulnerabilities.filter(
          (x) => x.counted && x.fixAvailable && x.published === null && x.updated === null,
        );
        if (undated.length > 0)
          return {
            ...base,
            verdict: "pending",
            reason: `${formatNumber(undated.length)} fixable ${undated.length === 1 ? "vulnerability has" : "vulnerabilities have"} no published date, so how long the fix has been available is unknown: ${undated
              .slice(0, 3)
              .map((x) => x.id)
              .join(", ")}`,
          };
      }
      return { ...base, verdict: "passed", reason: null };
    }
    case "sbom": {
      const threshold = [
        `an SBOM with at least ${formatCount(check.minComponents, "component")}`,
        ...(check.requireVersions ? ["every component versioned"] : []),
        ...(check.requireLicences ? ["every component licensed"] : []),
      ].join(", ");
      const b = facts.sboms[check.project];
      if (!b) return none(threshold, `no SBOM for project "${check.project}"`);
      const base = {
        measured: `${formatCount(b.components, "component")} (${b.format}), ${formatNumber(b.withoutVersion)} without a version, ${formatNumber(b.withoutLicence)} without a licence`,
        value: b.components,
        unit: "count" as const,
        threshold,
        source: b.source,
        observedAt: b.at.toISOString(),
      };
      const old = stale(b.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      if (b.components < check.minComponents)
        return {
          ...base,
          verdict: "failed",
          reason: `${formatCount(b.components, "component")}, fewer than ${formatNumber(check.minComponents)}`,
        };
      if (check.requireVersions && b.withoutVersion > 0)
        return {
          ...base,
          verdict: "failed",
          reason: `${formatCount(b.withoutVersion, "component")} without a version`,
        };
      if (check.requireLicences && b.withoutLicence > 0)
        return {
          ...base,
          verdict: "failed",
          reason: `${formatCount(b.withoutLicence, "component")} without a licence`,
        };
      return { ...base, verdict: "passed", reason: null };
    }
    case "manifests": {
      const rules = check.rules ?? [...MANIFEST_RULES];
      const threshold = `manifest rules pass: ${rules.map((r) => MANIFEST_RULE_LABELS[r]).join(", ")}${rules.includes("replicas") ? ` (at least ${formatNumber(check.minReplicas)} replicas)` : ""}`;
      const m = facts.manifests[check.project];
      if (!m) return none(threshold, `no manifests for project "${check.project}"`);
      const findings = manifestFindings(m, rules, check.minReplicas);
      const checked = rules.reduce(
        (sum, r) => sum + (r === "replicas" ? replicaWorkloads(m.workloads).length : m.rules[r].checked),
        0,
      );
      const base = {
        measured: `${formatCount(findings.length, "finding")} on ${formatCount(m.objects, "object")}`,
        value: findings.length,
        unit: "count" as const,
        threshold,
        source: m.source,
        observedAt: m.at.toISOString(),
      };
      const old = stale(m.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      if (checked === 0)
        return { ...base, verdict: "pending", reason: `no object the rules apply to (${rules.join(", ")})` };
      if (findings.length > 0)
        return {
          ...base,
          verdict: "failed",
          reason:
            findings
              .slice(0, 3)
              .map((f) => `${formatObjectRef(f)}${f.container ? ` (${f.container})` : ""}: ${f.message}`)
              .join("; ") + (findings.length > 3 ? `; and ${formatNumber(findings.length - 3)} more` : ""),
        };
      return { ...base, verdict: "passed", reason: null };
    }
    case "compose": {
      const rules = check.rules ?? [...COMPOSE_RULES];
      const threshold = `compose rules pass: ${rules.map((r) => COMPOSE_RULE_LABELS[r]).join(", ")}`;
      const c = facts.compose[check.project];
      if (!c) return none(threshold, `no compose file for project "${check.project}"`);
      const findings = composeFindings(c, rules, check.bindHosts);
      const base = {
        measured: `${formatCount(findings.length, "finding")} on ${formatCount(c.services.length, "service")}`,
        value: findings.length,
        unit: "count" as const,
        threshold,
        source: c.source,
        observedAt: c.at.toISOString(),
      };
      const old = stale(c.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      if (c.services.length === 0) return { ...base, verdict: "pending", reason: "the compose file has no services" };
      if (findings.length > 0)
        return {
          ...base,
          verdict: "failed",
          reason:
            findings
              .slice(0, 3)
              .map((f) => `${f.service}: ${f.message}`)
              .join("; ") + (findings.length > 3 ? `; and ${formatNumber(findings.length - 3)} more` : ""),
        };
      return { ...base, verdict: "passed", reason: null };
    }
    case "chaos": {
      const threshold = `recovers within ${formatDuration(check.maxRecovery)}`;
      const c = facts.chaos[check.experiment];
      if (!c) return none(threshold, `no run of experiment "${check.experiment}"`);
      const base = {
        measured:
          c.recoverySeconds === null ? "not recovered" : `recovered in ${formatDuration(c.recoverySeconds * 1000)}`,
        threshold,
        source: c.source,
        observedAt: c.at.toISOString(),
      };
      const old = stale(c.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      if (c.recoverySeconds === null) {
        // Still inside the bound, the experiment may yet pass: pending until the bound has passed with no recovery.
        const since = now.getTime() - c.at.getTime();
        if (since <= check.maxRecovery)
          return { ...base, verdict: "pending", reason: `not up yet, ${formatDuration(since)} since the fault ended` };
        return { ...base, verdict: "failed", reason: "the target has not come back up since the fault ended" };
      }
      return c.recoverySeconds * 1000 <= check.maxRecovery
        ? { ...base, verdict: "passed", reason: null }
        : { ...base, verdict: "failed", reason: "recovery too slow" };
    }
    case "promql": {
      // The loader has checked the condition; one built without it that does not parse can never pass.
      const comparison = parseValueComparison(check.condition);
      const threshold = comparison.ok
        ? `value ${formatComparison(comparison.operator, comparison.limit, check.unit)}`
        : `value ${check.condition}`;
      const p = facts.promql[check.id];
      if (!p) return none(threshold, "not queried yet");
      if ("reason" in p)
        return {
          verdict: "pending",
          measured: null,
          threshold,
          source: p.source,
          observedAt: p.at.toISOString(),
          reason: p.reason,
        };
      const shown = formatMeasure(p.value, check.unit);
      const base = {
        measured: shown,
        value: p.value,
        ...(check.unit ? { unit: check.unit } : {}),
        threshold,
        source: p.source,
        observedAt: p.at.toISOString(),
      };
      return comparison.ok && satisfiesComparison(comparison, p.value)
        ? { ...base, verdict: "passed", reason: null }
        : { ...base, verdict: "failed", reason: `${shown} is not ${threshold.replace(/^value /, "")}` };
    }
    case "check":
      // Resolved by evaluateReadiness from the scorecard check it names; alone it has nothing to judge.
      return none(`as check "${check.check}"`, `no scorecard check "${check.check}"`);
    case "regression": {
      const threshold = `latency not slower than at the last signing (Mann-Whitney U, one-sided, α ${formatNumber(check.alpha)}, effect ≥ ${formatNumber(0.5 + check.minEffect)} CLES, ≥ ${formatNumber(check.minSamples)} samples a side)`;
      const r = facts.regressions[check.id];
      if (!r) return none(threshold, `no latency comparison for ${check.component}`);
      if ("reason" in r) return none(threshold, r.reason);
      const j = r.judgement;
      const figures =
        j.pValue === null || j.effect === null
          ? `p95 ${formatLatency(j.baselineP95Ms)} → ${formatLatency(j.currentP95Ms)} (${formatNumber(j.nBaseline)} and ${formatNumber(j.nCurrent)} samples)`
          : `p95 ${formatLatency(j.baselineP95Ms)} → ${formatLatency(j.currentP95Ms)}, p ${j.pValue < 0.0001 ? "< 0.0001" : formatNumber(j.pValue)}, CLES ${formatNumber(j.effect)}`;
      const base = {
        measured: figures,
        value: j.currentP95Ms,
        unit: "ms" as const,
        threshold,
        source: `probe latency of ${check.component}: ${r.current} against ${r.baseline}`,
        observedAt: now.toISOString(),
      };
      if (j.verdict === "nodata") return { ...base, verdict: "pending", reason: `NODATA: ${j.reason}` };
      return j.verdict === "fail"
        ? { ...base, verdict: "failed", reason: j.reason }
        : { ...base, verdict: "passed", reason: null };
    }
    case "slo": {
      const threshold = `${pct(check.minBudgetPct)} or more of its error budget left${check.noFastBurn ? ", not in fast burn" : ""}`;
      const slo = facts.slos[check.slo];
      if (!slo) return none(threshold, `no figures for SLO "${check.slo}"`);
      const remaining = slo.budget.remainingPct;
      const base = {
        measured:
          remaining === null
            ? "no budget figure"
            : `${pct(remaining)} of budget left, SLI ${pct(slo.sli)} against ${pct(slo.objective)} over ${slo.window}${slo.alert ? `, ${slo.alert}` : ""}`,
        value: remaining,
        unit: "percent" as const,
        threshold,
        source: slo.source,
        observedAt: now.toISOString(),
      };
      if (remaining === null || slo.state === "no data")
        return { ...base, verdict: "pending", reason: slo.reason ?? "nothing in the SLO window is known yet" };
      if (check.noFastBurn && slo.alert === "fast burn")
        return {
          ...base,
          verdict: "failed",
          reason: `fast burn: the budget burns at ${formatNumber(slo.burn["1h"] ?? 0)}× over the last hour`,
        };
      if (remaining < check.minBudgetPct)
        return {
          ...base,
          verdict: "failed",
          reason: `${pct(remaining)} of the error budget left, below ${pct(check.minBudgetPct)}`,
        };
      return { ...base, verdict: "passed", reason: null };
    }
    case "attestation": {
      const threshold = `attested "yes": ${check.question}`;
      const a = facts.attestations[check.id];
      if (!a) return none(threshold, "not attested yet");
      // The source is who stored the answer ("demo seed", "token ci", "upload by …"), as for every other kind of
      // evidence; the evidence URL is a claim made in the answer, kept with it (the report's Evidence column).
      const base = {
        measured: `${a.answer} (${a.by})`,
        threshold,
        source: a.source,
        evidenceUrl: a.evidenceUrl,
        observedAt: a.at.toISOString(),
      };
      if (a.expiresAt.getTime() <= now.getTime())
        return { ...base, verdict: "pending", reason: `attestation expired ${formatTime(a.expiresAt)}` };
      const old = stale(a.at, check.maxAge, now);
      if (old) return { ...base, verdict: "pending", reason: old };
      return a.answer === "yes"
        ? { ...base, verdict: "passed", reason: null }
        : { ...base, verdict: "failed", reason: `attested "no" by ${a.by}` };
    }
  }
}

const criterionText = (c: TCriterion, baseline: number | null, unit: TMeasureUnit | undefined) => {
  const limit = limitOf(c, baseline);
  return c.relative === "none" || limit === null ? c.source : `${c.source} (${formatMeasure(limit, unit)})`;
};

/**
 * A measured check's objectives: the kind's own judgement is the floor (no data or stale stays pending, a miss of
 * its own threshold stays failed); on a passed judgement, the value must meet every `pass` criterion, or else every
 * `warning` one. A relative criterion with no baseline makes the check pending, never passed.
 */
function applyObjectives(check: TCheck, key: string, judged: Judgement, facts: ReadinessFacts): Judgement {
  if (!check.pass) return judged;
  const baseline = check.compareWith
    ? (facts.history?.baselines[baselineKey(check.compareWith, key)] ?? {
        value: null,
        source: `no ${typeof check.compareWith === "string" ? check.compareWith : `last ${check.compareWith.last}`} snapshot`,
      })
    : undefined;
  const withBaseline = baseline ? { ...judged, baseline } : judged;
  const threshold = [
    `pass ${check.pass.map((c) => criterionText(c, baseline?.value ?? null, judged.unit)).join(" and ")}`,
    check.warning
      ? `warning ${check.warning.map((c) => criterionText(c, baseline?.value ?? null, judged.unit)).join(" and ")}`
      : null,
    baseline ? `against ${baseline.source}` : null,
  ]
    .filter(Boolean)
    .join("; ");
  const combined = { ...withBaseline, threshold: `${judged.threshold}; ${threshold}` };
  if (judged.verdict !== "passed") return combined;
  if (typeof judged.value !== "number")
    return { ...combined, verdict: "pending", reason: "no measured number to hold to the criteria" };
  const value = judged.value;
  const pass = judgeCriteria(check.pass, value, baseline?.value ?? null);
  if (pass.state === "no baseline")
    return { ...combined, verdict: "pending", reason: `nothing to compare with: ${baseline?.source}` };
  if (pass.state === "met") return combined;
  const missed = pass.failing.map((f) => `${f.source} (${formatMeasure(f.limit, judged.unit)})`).join(", ");
  const shown = formatMeasure(value, judged.unit);
  if (check.warning) {
    const warning = judgeCriteria(check.warning, value, baseline?.value ?? null);
    if (warning.state === "met")
      return { ...combined, verdict: "warning", reason: `${shown} misses pass ${missed}; meets warning` };
  }
  return { ...combined, verdict: "failed", reason: `${shown} misses pass ${missed}` };
}

/** Soak: a passed check passes only once its condition has held `holdFor` unbroken; until then it is pending. */
function applySoak(check: TCheck, key: string, judged: Judgement, facts: ReadinessFacts, now: Date) {
  if (check.holdFor === undefined) return judged;
  if (judged.verdict !== "passed") return { ...judged, heldSince: null };
  const since = facts.history?.heldSince[key] ?? now.toISOString();
  const held = Math.max(0, now.getTime() - Date.parse(since));
  const threshold = `${judged.threshold}; held ${formatDuration(check.holdFor)}`;
  if (held >= check.holdFor) return { ...judged, threshold, heldSince: since };
  return {
    ...judged,
    threshold,
    heldSince: since,
    verdict: "pending" as const,
    reason: `held ${held < 1_000 ? "0s" : formatDuration(held)} of ${formatDuration(check.holdFor)}`,
  };
}

function evaluateCheck(check: TCheck, category: string | null, facts: ReadinessFacts, now: Date): CheckResult {
  const key = checkKey(category, check.id);
  const judged = applySoak(check, key, applyObjectives(check, key, judgeCheck(check, facts, now), facts), facts, now);
  const waiver = check.waiver && Date.parse(check.waiver.expiresAt) > now.getTime() ? check.waiver : null;
  return {
    id: check.id,
    name: check.name,
    kind: check.kind,
    category,
    critical: check.critical,
    ...(check.key ? { key: true } : {}),
    weight: check.weight,
    ...judged,
    // A live waiver takes the check out of the denominator; the measured value stays visible beside it.
    ...(waiver && judged.verdict !== "passed"
      ? {
          verdict: "waived" as const,
          reason: `waived by ${waiver.approver} until ${waiver.expiresAt}: ${waiver.reason}`,
        }
      : {}),
  };
}

/**
 * The readiness of a system: each category's score is the weighted share of its passed checks (waived ones
 * leave the denominator; pending and failed stay in it), the overall score the weighted mean of the
 * categories, and every critical check or criterion that is not passed blocks go-live whatever the score.
 */
export function evaluateReadiness(scorecard: TScorecard, facts: ReadinessFacts, now: Date): ReadinessResult {
  const checks: CheckResult[] = [];
  const categories: CategoryResult[] = scorecard.categories.map((category) => {
    const results = category.checks.map((check) => evaluateCheck(check, category.id, facts, now));
    checks.push(...results);
    const counted = results.filter((r) => r.verdict !== "waived");
    const total = counted.reduce((sum, r) => sum + r.weight, 0);
    // A warning scores half its weight (Keptn's warning objectives).
    const won = counted.reduce(
      (sum, r) => sum + (r.verdict === "passed" ? r.weight : r.verdict === "warning" ? r.weight / 2 : 0),
      0,
    );
    return {
      id: category.id,
      name: category.name,
      weight: category.weight,
      scorePct: total > 0 ? (100 * won) / total : null,
      passed: counted.filter((r) => r.verdict === "passed").length,
      counted: counted.length,
    };
  });
  const scored = categories.filter((c) => c.scorePct !== null);
  const weightSum = scored.reduce((sum, c) => sum + c.weight, 0);
  const overallPct =
    weightSum > 0 ? scored.reduce((sum, c) => sum + (c.scorePct ?? 0) * c.weight, 0) / weightSum : null;
  const criteria = scorecard.criteria.map((check) => {
    if (check.kind !== "check") return evaluateCheck(check, null, facts, now);
    // A criterion by reference: the scorecard check's verdict and figures, under the criterion's name.
    const target = checks.find((r) => r.id === check.check);
    const base = target ?? { ...judgeCheck(check, facts, now), kind: check.kind };
    return {
      ...base,
      id: check.id,
      name: check.name,
      kind: base.kind,
      category: null,
      critical: check.critical,
      weight: check.weight,
      source: base.source,
    };
  });
  // Critical: blocks whenever not passed (a warning included). Key: vetoes when it fails outright.
  const blockers = [...checks, ...criteria].filter(
    (r) =>
      (r.critical && r.verdict !== "passed" && r.verdict !== "waived") || (r.key === true && r.verdict === "failed"),
  );
  // Points each unpassed check costs the overall score: its share of its category times the category's share.
  const gaps = checks
    .filter((r) => r.verdict === "failed" || r.verdict === "pending" || r.verdict === "warning")
    .map((check) => {
      const category = scorecard.categories.find((c) => c.id === check.category);
      const counted =
        category?.checks.filter(
          (c) => checks.find((r) => r.id === c.id && r.category === category.id)?.verdict !== "waived",
        ) ?? [];
      const categoryWeight = counted.reduce((sum, c) => sum + c.weight, 0);
      const share = categoryWeight > 0 ? check.weight / categoryWeight : 0;
      const categoryShare = weightSum > 0 ? (category?.weight ?? 0) / weightSum : 0;
      const lost = check.verdict === "warning" ? 0.5 : 1;
      return { check, pointsPct: 100 * share * categoryShare * lost };
    })
    .sort((a, b) => b.pointsPct - a.pointsPct);
  return { overallPct, categories, checks, criteria, blockers, gaps, evaluatedAt: now.toISOString() };
}
