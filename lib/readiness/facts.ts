import type { TMeasureUnit } from "../format";
import type { ComponentStatus } from "../monitor/status";
import type { TComposeFinding, TComposePort, TComposeReport } from "../evidence/compose";
import type { TManifestFinding, TManifestReport, TManifestWorkload } from "../evidence/kubernetes";
import type { TVulnerability } from "../evidence/sbom";
import type { TSloResult } from "../slo/read";
import type { TRegressionJudgement } from "../stats/regression";

// What the engine judges: facts gathered from measurements and CI evidence, each with when it was observed.
// Gathering is I/O (lib/queries); judging (evaluate.ts) is pure.

export type Observed = { at: Date; source: string };

export type ReadinessFacts = {
  /** Effective status (stale = unknown); `inStateMs` runs from `since` to the last confirming check. */
  components: Record<string, { status: ComponentStatus; since: Date | null; inStateMs: number | null }>;
  /** Uptime of a component over a window, keyed `${componentId}@${windowMs}`, with how much of it was observed. */
  uptime: Record<string, { pct: number | null; observedMs: number; observableMs: number; coverage: number }>;
  baselines: Record<string, { failing: string[]; noData: string[]; passing: string[] } & Observed>;
  /** `passRatePct` is over the cases that ran (`tests - skipped`). */
  suites: Record<
    string,
    { passRatePct: number | null; tests: number; skipped: number; failed: number; flaky: number } & Observed
  >;
  loadTests: Record<
    string,
    { allThresholdsPassed: boolean | null; failedThresholds: string[]; p95Ms: number | null } & Observed
  >;
  /** The latest SARIF log of each project: unsuppressed results by level, and the worst few for the reason. */
  scans: Record<
    string,
    {
      counts: { error: number; warning: number; note: number; none: number };
      suppressed: number;
      tools: string[];
      top: { level: string; ruleId: string | null; uri: string | null; line: number | null }[];
    } & Observed
  >;
  /** The latest coverage report of each project: line and branch coverage counted from its lines. */
  coverage: Record<
    string,
    {
      lineRatePct: number | null;
      branchRatePct: number | null;
      lines: { valid: number; covered: number };
      branches: { valid: number; covered: number };
    } & Observed
  >;
  /** The latest SBOM of each project: its component counts and the vulnerabilities it carries. */
  sboms: Record<
    string,
    {
      format: string;
      scanned: boolean;
      components: number;
      withoutVersion: number;
      withoutLicence: number;
      counts: { critical: number; high: number; medium: number; low: number; other: number };
      vulnerabilities: TVulnerability[];
    } & Observed
  >;
  /** The latest rendered manifests of each project: the rule results as stored, and the workloads for replica counts. */
  manifests: Record<
    string,
    {
      objects: number;
      rules: TManifestReport["rules"];
      findings: TManifestFinding[];
      workloads: TManifestWorkload[];
    } & Observed
  >;
  /** The latest compose file of each project: the rule results as stored, and the published ports. */
  compose: Record<
    string,
    {
      services: string[];
      rules: TComposeReport["rules"];
      findings: TComposeFinding[];
      ports: TComposePort[];
    } & Observed
  >;
  chaos: Record<string, { recoverySeconds: number | null } & Observed>;
  /** Values of PromQL checks, keyed by check id. */
  promql: Record<string, ({ value: number; unit?: TMeasureUnit } | { reason: string }) & Observed>;
  /** Latency regression judgements (lib/stats), keyed by check id, with the two windows compared. */
  regressions: Record<
    string,
    { judgement: TRegressionJudgement; baseline: string; current: string } | { reason: string }
  >;
  /** SLO figures (lib/slo), keyed by SLO id. */
  slos: Record<string, TSloResult>;
  /** Answers to attestation checks, keyed by check id. */
  attestations: Record<string, { answer: "yes" | "no"; by: string; expiresAt: Date; evidenceUrl: string } & Observed>;
  /**
   * What earlier snapshots froze, keyed by checkKey(): the baseline each relative criterion compares with (by its
   * compareWith), and since when each soaking check's condition has held, as the latest snapshot recorded it (absent
   * when that snapshot is too old to vouch that nothing broke since).
   */
  history?: {
    baselines: Record<string, { value: number | null; source: string }>;
    heldSince: Record<string, string | null>;
  };
};

/** A check's key across snapshots: "category/id", or "criterion/id" for an approval criterion. */
export function checkKey(category: string | null, id: string): string {
  return `${category ?? "criterion"}/${id}`;
}

/** A baseline's key: the comparison and the check. */
export function baselineKey(compareWith: string | { last: number }, key: string): string {
  return `${typeof compareWith === "string" ? compareWith : `last${compareWith.last}`}|${key}`;
}

export function uptimeKey(componentId: string, windowMs: number): string {
  return `${componentId}@${windowMs}`;
}

export function emptyFacts(): ReadinessFacts {
  return {
    components: {},
    uptime: {},
    baselines: {},
    suites: {},
    loadTests: {},
    coverage: {},
    scans: {},
    sboms: {},
    manifests: {},
    compose: {},
    chaos: {},
    promql: {},
    slos: {},
    regressions: {},
    attestations: {},
  };
}
