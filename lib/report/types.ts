import type { ComponentStatus } from "../monitor/status";
import type { Verdict } from "../monitor/baseline";
import type { CheckResult, CheckVerdict } from "../readiness/evaluate";
import type { TSignOffState } from "../signoff/status";
import type { TRiskView, TTaskView } from "../queries/plan";

// The readiness report (the generated replacement of reference/readiness-assessment.md): one plain, serialisable
// object gathered by build.ts and rendered by markdown.ts, html.ts and the /report page. Every figure carries its
// window and its source; a figure nothing measured is unverified, with the reason, never a typed-in value.

/**
 * A figure as the report states it. `verified` is true only when there is a value and a source for it; otherwise
 * `value` is null and `note` says why ("no check stored in this window yet").
 */
export type TFigure = {
  value: string | null;
  window: string | null;
  source: string | null;
  verified: boolean;
  note: string | null;
};

export type TCheckRow = {
  id: string;
  name: string;
  kind: CheckResult["kind"];
  category: string | null;
  categoryName: string | null;
  critical: boolean;
  weight: number;
  verdict: CheckVerdict;
  threshold: string;
  /** The measured value it was judged on, observed when and from where; unverified without evidence. */
  measured: TFigure;
  reason: string | null;
};

export type TComponentRow = {
  id: string;
  name: string;
  service: string;
  probeType: string;
  status: ComponentStatus;
  /** Time in the current confirmed status ("up for 21h 4m"). */
  inState: TFigure;
  /** Start of the current confirmed status; null while unknown. */
  since: string | null;
  uptime: { "24h": TFigure; "7d": TFigure; "30d": TFigure; "90d": TFigure };
  latency: { avg: TFigure; p50: TFigure; p95: TFigure; p99: TFigure };
  lastCheckedAt: string | null;
  maintenance: string | null;
};

export type TAttestedRow = TCheckRow & {
  question: string;
  attestation: {
    answer: "yes" | "no";
    by: string;
    at: string;
    evidenceUrl: string;
    expiresAt: string;
    expired: boolean;
    comment: string;
  } | null;
};

export type TBaselineRow = { baseline: string; metric: string; measured: TFigure; target: string; verdict: Verdict };
export type TResourceRow = {
  container: string;
  resource: "cpu" | "memory";
  usage: string;
  limit: string;
  utilisationPct: number;
  verdict: Verdict;
};

/** One pushed artefact as the report shows it: what was measured, where from, when, and the first findings. */
export type TArtefactRow = {
  kind: string;
  project: string;
  measured: TFigure;
  /** The scorecard checks that judge it: name and verdict. */
  checks: { name: string; verdict: CheckVerdict; reason: string | null }[];
  findings: { severity: string; rule: string; object: string; location: string | null; message: string }[];
  findingsTotal: number;
  changes: string | null;
};

export type TSuiteRow = {
  suite: string;
  configured: boolean;
  kind: string | null;
  passRate: TFigure;
  tests: number | null;
  failed: number | null;
  skipped: number | null;
  flaky: number | null;
  checks: {
    name: string;
    threshold: string;
    verdict: Exclude<CheckVerdict, "waived">;
    critical: boolean;
    reason: string | null;
  }[];
  flakyTests: { name: string; runs: number }[];
  flakyWindowRuns: number;
};

export type TLoadRow = {
  test: string;
  configured: boolean;
  runs: number;
  /** The latest run, or null when none was pushed. */
  latest: {
    receivedAt: string;
    source: string;
    p95: TFigure;
    p99: TFigure;
    errorRate: TFigure;
    requestRate: TFigure;
    thresholds: { name: string; passed: boolean }[];
    allThresholdsPassed: boolean | null;
  } | null;
  checks: {
    name: string;
    threshold: string;
    verdict: Exclude<CheckVerdict, "waived">;
    critical: boolean;
    reason: string | null;
  }[];
};

export type TChaosRow = {
  name: string;
  fault: string;
  target: string;
  endedAt: string | null;
  /** Recovery measured from Preflight's probe history; unverified when there is no run or no recovery yet. */
  recovery: TFigure;
  bound: string;
  verdict: Exclude<CheckVerdict, "waived"> | null;
  critical: boolean;
};

export type TPhaseRow = {
  name: string;
  startDate: string | null;
  endDate: string | null;
  goal: string;
  expectedReadinessPct: number | null;
  /** At the phase's end when it is over (the last snapshot of that day), the live score otherwise. */
  measured: TFigure;
  tasks: TTaskRow[];
};

/** A task as the report prints it: the plan's view of it, with its phase by name. */
export type TTaskRow = Pick<TTaskView, "title" | "owner" | "dueDate" | "status" | "overdue" | "notes"> & {
  phase: string | null;
};

/** A risk as the report prints it: the plan's view of it, referred to as R1, R2, ... */
export type TRiskRow = Omit<TRiskView, "id"> & { ref: string };

export type TSignOffRow = {
  role: string;
  name: string;
  required: boolean;
  holders: string[];
  state: TSignOffState;
  reason: string | null;
  signedBy: string | null;
  signedAt: string | null;
  decision: "approve" | "ready" | "reject" | null;
  comment: string | null;
  snapshot: { hash: string; overallPct: number | null } | null;
};

export type TTrendDay = {
  day: string;
  takenAt: string;
  overallPct: number | null;
  blockers: number;
  snapshots: number;
};

export type TReport = {
  generatedAt: string;
  /** The zone every time in the report is written in, named beside each. */
  zone: string;
  system: {
    name: string;
    description: string | null;
    environment: string | null;
    release: { name: string; targetDate: string | null } | null;
  };
  summary: {
    scorecardConfigured: boolean;
    overall: TFigure;
    overallPct: number | null;
    gate: { passed: boolean; minScorePct: number; reasons: string[] };
    goLive: { configured: boolean; approved: boolean; missing: string[] };
    blockers: { name: string; kind: "check" | "criterion"; verdict: CheckVerdict; reason: string | null }[];
    operational: TFigure;
    /** The latest stored readiness snapshot, and whether its verdicts are the ones in this report. */
    snapshot: { hash: string; takenAt: string; overallPct: number | null; matchesReport: boolean } | null;
    /** Short statements derived from the figures below, in the order they matter. */
    statements: string[];
    /** Figures in this report without evidence. */
    unverifiedCount: number;
  };
  components: {
    rows: TComponentRow[];
    operational: number;
    total: number;
    workerRunning: boolean;
    lastIncident: string | null;
  };
  baselines: {
    rows: TBaselineRow[];
    resources: { rows: TResourceRow[]; maxUtilisationPct: number; source: string; error: string | null } | null;
  };
  /** Service level objectives: the SLI, the budget left and the burn state, each with its window and source. */
  slos: { name: string; objective: string; sli: TFigure; budgetLeft: TFigure; state: string; burn: string }[];
  security: TAttestedRow[];
  infrastructure: TAttestedRow[];
  /** Measured artefacts CI pushed (sections 1.3, 1.4 and 2): the latest of each kind and project, with its findings. */
  artefacts: { security: TArtefactRow[]; infrastructure: TArtefactRow[]; coverage: TArtefactRow[] };
  tests: TSuiteRow[];
  load: TLoadRow[];
  chaos: TChaosRow[];
  scorecard: {
    configured: boolean;
    gateMinPct: number;
    categories: { id: string; name: string; weight: number; score: TFigure; passed: number; counted: number }[];
    checks: TCheckRow[];
  };
  criteria: TCheckRow[];
  plan: {
    seeded: boolean;
    phases: TPhaseRow[];
    criticalPath: TTaskRow[];
    overdue: number;
    limitations: {
      title: string;
      impact: string;
      mitigation: string;
      timeline: string;
      blocking: boolean;
      resolvedAt: string | null;
    }[];
    risks: TRiskRow[];
    /** The highest level among risks still open (or accepted); null without any. */
    riskLevel: "low" | "medium" | "high" | null;
    recommendations: { text: string; done: boolean }[];
    preDeployment: { text: string; done: boolean }[];
    postDeployment: { text: string; done: boolean }[];
  };
  /** After go-live: the watch of the deployed release; null without postDeployment in the configuration. */
  postDeployment: {
    state: string;
    summary: string;
    deployedAt: string | null;
    rows: { component: string; criterion: string; text: string; ok: boolean }[];
  } | null;
  signOff: {
    configured: boolean;
    release: string | null;
    rows: TSignOffRow[];
    goLive: { approved: boolean; missing: string[] };
  };
  trend: { windowDays: number; days: TTrendDay[]; source: string };
  conclusion: string[];
  appendix: {
    metrics: { label: string; figure: TFigure }[];
    /** What each component is probed at, with passwords and secrets masked. */
    endpoints: { component: string; name: string; probeType: string; target: string }[];
  };
};
