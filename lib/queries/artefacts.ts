import type { TConfig } from "../config/schema";
import type { TCheck } from "../config/scorecard-schema";
import { formatObjectRef, type TManifestFinding } from "../evidence/kubernetes";
import type { TComposeFinding } from "../evidence/compose";
import type { TVulnerability } from "../evidence/sbom";
import type { TSarifFinding } from "../evidence/sarif";
import type { PrismaClient } from "../generated/prisma/client";
import { composeFindings, manifestFindings } from "../readiness/artefact-findings";
import { judgeCheck } from "../readiness/evaluate";
import { emptyFacts, type ReadinessFacts } from "../readiness/facts";
import { checksOf, toJudgement, type TCheckJudgement } from "./evidence";
import { composeFacts, coverageFacts, manifestFacts, sbomFacts, sbomFormat, scanFacts } from "./readiness";

// What the Security, Infrastructure and Tests pages show of the artefacts CI pushes (SARIF, SBOMs, manifests,
// compose files, coverage): per project the latest of each kind, judged by the scorecard checks that name it, its
// findings with where they are, its source and age, and what changed since the push before it.

/** A finding as the pages list it, with the key that says whether the previous push had it too. */
export type TListedFinding = {
  key: string;
  severity: string;
  rule: string;
  object: string;
  location: string | null;
  message: string;
};

/** What changed since the previous push of the same kind and project; null when there is no previous push. */
export type TChanges = {
  previousId: string;
  previousAt: string;
  added: TListedFinding[];
  resolved: TListedFinding[];
} | null;

export type TArtefactView<TFigures> = {
  project: string;
  latest: ({ id: string; receivedAt: string; source: string; digest: string } & TFigures) | null;
  ageMs: number | null;
  findings: TListedFinding[];
  changes: TChanges;
  checks: TCheckJudgement[];
  /** Pushes of this project and kind, for the trend where there is one. */
  pushes: number;
};

/** Findings shown per artefact; the stored ones are capped at 1,000 already. */
export const SHOWN_FINDINGS = 200;

function diff(
  latest: TListedFinding[],
  previous: TListedFinding[],
): { added: TListedFinding[]; resolved: TListedFinding[] } {
  const before = new Set(previous.map((f) => f.key));
  const now = new Set(latest.map((f) => f.key));
  return { added: latest.filter((f) => !before.has(f.key)), resolved: previous.filter((f) => !now.has(f.key)) };
}

type TRow = { id: bigint; receivedAt: Date; source: string; digest: string; project: string };

/**
 * One artefact kind's view: every project seen or named by a check, the latest two pushes of each, and the checks'
 * verdicts on the latest (the same judgement the scorecard makes, from the same facts).
 */
async function artefactViews<R extends TRow, TFigures>(args: {
  projects: () => Promise<string[]>;
  configured: string[];
  rows: (project: string) => Promise<R[]>;
  count: (project: string) => Promise<number>;
  figures: (row: R) => TFigures;
  list: (row: R, facts: ReadinessFacts, project: string) => TListedFinding[];
  facts: (row: R, facts: ReadinessFacts, project: string) => void;
  checks: TCheck[];
  checkProject: (check: TCheck) => string;
  now: Date;
}): Promise<TArtefactView<TFigures>[]> {
  const names = [...new Set([...(await args.projects()), ...args.configured])].sort((a, b) => a.localeCompare(b));
  return Promise.all(
    names.map(async (project) => {
      const [rows, pushes] = await Promise.all([args.rows(project), args.count(project)]);
      const [latest, previous] = rows;
      const facts = emptyFacts();
      if (latest) args.facts(latest, facts, project);
      const checks = args.checks
        .filter((c) => args.checkProject(c) === project)
        .map((c) => toJudgement(c, latest?.receivedAt ?? null, args.now, judgeCheck(c, facts, args.now)));
      const findings = latest ? args.list(latest, facts, project) : [];
      let changes: TChanges = null;
      if (latest && previous) {
        const before = emptyFacts();
        args.facts(previous, before, project);
        changes = {
          previousId: String(previous.id),
          previousAt: previous.receivedAt.toISOString(),
          ...diff(findings, args.list(previous, before, project)),
        };
      }
      return {
        project,
        latest: latest
          ? {
              id: String(latest.id),
              receivedAt: latest.receivedAt.toISOString(),
              source: latest.source,
              digest: latest.digest,
              ...args.figures(latest),
            }
          : null,
        ageMs: latest ? Math.max(0, args.now.getTime() - latest.receivedAt.getTime()) : null,
        findings,
        changes,
        checks,
        pushes,
      };
    }),
  );
}

const projectOf = (check: TCheck) => ("project" in check ? check.project : "");
const latestTwo = { orderBy: [{ receivedAt: "desc" as const }, { id: "desc" as const }], take: 2 };

// ---- Security: SARIF scans and SBOMs ----

const SARIF_ORDER = ["error", "warning", "note", "none"];

function sarifFindings(findings: TSarifFinding[]): TListedFinding[] {
  return findings
    .filter((f) => !f.suppressed)
    .sort((a, b) => SARIF_ORDER.indexOf(a.level) - SARIF_ORDER.indexOf(b.level))
    .map((f) => ({
      key: `${f.tool}|${f.ruleId ?? ""}|${f.uri ?? ""}|${f.message}`,
      severity: f.level,
      rule: f.ruleId ?? "(no rule)",
      object: f.tool,
      location: f.uri ? `${f.uri}${f.line === null ? "" : `:${f.line}`}` : null,
      message: f.message,
    }));
}

const SEVERITY_ORDER = ["critical", "high", "medium", "low", "info", "none", "unknown"];

function vulnerabilityFindings(vulns: TVulnerability[]): TListedFinding[] {
  return vulns
    .filter((v) => v.counted)
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
    .map((v) => ({
      key: `${v.id}|${v.components.join(",")}`,
      severity: v.severity,
      rule: v.id,
      object: v.components.join(", ") || "(no component named)",
      location: v.fixedIn ? `fixed in ${v.fixedIn}` : v.fixAvailable ? "fix available" : "no fix yet",
      message: [v.source, v.published ? `published ${v.published.slice(0, 10)}` : null].filter(Boolean).join(", "),
    }));
}

export type TScanFigures = {
  tools: string[];
  counts: { error: number; warning: number; note: number; none: number };
  suppressed: number;
};
export type TSbomFigures = {
  format: string;
  scanned: boolean;
  tool: string | null;
  subject: string | null;
  components: number;
  withoutVersion: number;
  withoutLicence: number;
  counts: { critical: number; high: number; medium: number; low: number; other: number };
  missing: { name: string; version: string | null; licence: string | null }[];
};
export type TSecurityView = {
  generatedAt: string;
  scans: TArtefactView<TScanFigures>[];
  sboms: TArtefactView<TSbomFigures>[];
};

export async function getSecurityView(prisma: PrismaClient, config: TConfig, now: Date): Promise<TSecurityView> {
  const scanChecks = checksOf(config, "scan");
  const sbomChecks = [...checksOf(config, "vulnerabilities"), ...checksOf(config, "sbom")];
  const [scans, sboms] = await Promise.all([
    artefactViews({
      projects: async () =>
        (await prisma.scanRun.findMany({ distinct: ["project"], select: { project: true } })).map((r) => r.project),
      configured: scanChecks.map((c) => c.project),
      rows: (project) => prisma.scanRun.findMany({ where: { project }, ...latestTwo }),
      count: (project) => prisma.scanRun.count({ where: { project } }),
      figures: (r): TScanFigures => ({
        tools: r.tools,
        counts: { error: r.errors, warning: r.warnings, note: r.notes, none: r.nones },
        suppressed: r.suppressed,
      }),
      list: (r) => sarifFindings((r.findings as TSarifFinding[] | null) ?? []),
      facts: (r, facts, project) => {
        facts.scans[project] = scanFacts(r);
      },
      checks: scanChecks,
      checkProject: projectOf,
      now,
    }),
    artefactViews({
      projects: async () =>
        (await prisma.sbomRun.findMany({ distinct: ["project"], select: { project: true } })).map((r) => r.project),
      configured: sbomChecks.map((c) => c.project),
      rows: (project) => prisma.sbomRun.findMany({ where: { project }, ...latestTwo }),
      count: (project) => prisma.sbomRun.count({ where: { project } }),
      figures: (r): TSbomFigures => ({
        format: sbomFormat(r),
        scanned: r.scanned,
        tool: r.tool,
        subject: r.subjectName === null ? null : `${r.subjectName}${r.subjectVersion ? `@${r.subjectVersion}` : ""}`,
        components: r.components,
        withoutVersion: r.withoutVersion,
        withoutLicence: r.withoutLicence,
        counts: { critical: r.critical, high: r.high, medium: r.medium, low: r.low, other: r.other },
        missing: ((r.missing as TSbomFigures["missing"] | null) ?? []).slice(0, 50),
      }),
      list: (r) => vulnerabilityFindings((r.vulnerabilities as TVulnerability[] | null) ?? []),
      facts: (r, facts, project) => {
        facts.sboms[project] = sbomFacts(r);
      },
      checks: sbomChecks,
      checkProject: projectOf,
      now,
    }),
  ]);
  return { generatedAt: now.toISOString(), scans, sboms };
}

// ---- Infrastructure: Kubernetes manifests and compose files ----

function listManifestFindings(findings: TManifestFinding[]): TListedFinding[] {
  return findings.map((f) => ({
    key: `${f.rule}|${formatObjectRef(f)}|${f.container ?? ""}|${f.message}`,
    severity: "fail",
    rule: f.rule,
    object: `${formatObjectRef(f)}${f.container ? ` (${f.container})` : ""}`,
    location: f.line === null ? null : `line ${f.line}`,
    message: f.message,
  }));
}

function listComposeFindings(findings: TComposeFinding[]): TListedFinding[] {
  return findings.map((f) => ({
    key: `${f.rule}|${f.service}|${f.message}`,
    severity: "fail",
    rule: f.rule,
    object: f.service,
    location: null,
    message: f.message,
  }));
}

export type TManifestFigures = {
  objects: number;
  byKind: Record<string, number>;
  workloads: number;
  rules: Record<string, { checked: number; failed: number }>;
};
export type TComposeFigures = {
  name: string | null;
  services: string[];
  rules: Record<string, { checked: number; failed: number }>;
};
export type TInfrastructureView = {
  generatedAt: string;
  manifests: TArtefactView<TManifestFigures>[];
  compose: TArtefactView<TComposeFigures>[];
};

export async function getInfrastructureView(
  prisma: PrismaClient,
  config: TConfig,
  now: Date,
): Promise<TInfrastructureView> {
  const manifestChecks = checksOf(config, "manifests");
  const composeChecks = checksOf(config, "compose");
  // Findings are listed as the checks see them: the replica minimum and the bind addresses of the project's first
  // check (the defaults when none names it), so the page and the scorecard agree.
  const manifestSettings = (project: string) => manifestChecks.find((c) => c.project === project)?.minReplicas ?? 2;
  const composeSettings = (project: string) =>
    composeChecks.find((c) => c.project === project)?.bindHosts ?? ["127.0.0.1", "::1"];
  const [manifests, compose] = await Promise.all([
    artefactViews({
      projects: async () =>
        (await prisma.manifestRun.findMany({ distinct: ["project"], select: { project: true } })).map((r) => r.project),
      configured: manifestChecks.map((c) => c.project),
      rows: (project) => prisma.manifestRun.findMany({ where: { project }, ...latestTwo }),
      count: (project) => prisma.manifestRun.count({ where: { project } }),
      figures: (r): TManifestFigures => ({
        objects: r.objects,
        byKind: r.byKind as Record<string, number>,
        workloads: ((r.workloads as unknown[] | null) ?? []).length,
        rules: r.rules as TManifestFigures["rules"],
      }),
      list: (r, facts, project) => {
        const m = facts.manifests[project];
        return m
          ? listManifestFindings(
              manifestFindings(m, Object.keys(m.rules) as (keyof typeof m.rules)[], manifestSettings(project)),
            )
          : [];
      },
      facts: (r, facts, project) => {
        facts.manifests[project] = manifestFacts(r);
      },
      checks: manifestChecks,
      checkProject: projectOf,
      now,
    }),
    artefactViews({
      projects: async () =>
        (await prisma.composeRun.findMany({ distinct: ["project"], select: { project: true } })).map((r) => r.project),
      configured: composeChecks.map((c) => c.project),
      rows: (project) => prisma.composeRun.findMany({ where: { project }, ...latestTwo }),
      count: (project) => prisma.composeRun.count({ where: { project } }),
      figures: (r): TComposeFigures => ({
        name: r.name,
        services: r.services,
        rules: r.rules as TComposeFigures["rules"],
      }),
      list: (r, facts, project) => {
        const c = facts.compose[project];
        return c
          ? listComposeFindings(
              composeFindings(c, Object.keys(c.rules) as (keyof typeof c.rules)[], composeSettings(project)),
            )
          : [];
      },
      facts: (r, facts, project) => {
        facts.compose[project] = composeFacts(r);
      },
      checks: composeChecks,
      checkProject: projectOf,
      now,
    }),
  ]);
  return { generatedAt: now.toISOString(), manifests, compose };
}

// ---- Coverage (on the Tests page) ----

export type TCoverageFigures = {
  format: string;
  files: number;
  lineRatePct: number | null;
  branchRatePct: number | null;
  lines: { valid: number; covered: number };
  branches: { valid: number; covered: number };
  packages: { name: string; lineRatePct: number | null }[];
};
export type TCoverageView = TArtefactView<TCoverageFigures> & {
  trend: { id: string; receivedAt: string; lineRatePct: number | null }[];
};

export const COVERAGE_TREND_RUNS = 30;

export async function getCoverageViews(prisma: PrismaClient, config: TConfig, now: Date): Promise<TCoverageView[]> {
  const checks = checksOf(config, "coverage");
  const views = await artefactViews({
    projects: async () =>
      (await prisma.coverageRun.findMany({ distinct: ["project"], select: { project: true } })).map((r) => r.project),
    configured: checks.map((c) => c.project),
    rows: (project) => prisma.coverageRun.findMany({ where: { project }, ...latestTwo }),
    count: (project) => prisma.coverageRun.count({ where: { project } }),
    figures: (r): TCoverageFigures => {
      const packages = ((r.packages as { name: string; lines: { valid: number; covered: number } }[] | null) ?? []).map(
        (p) => ({ name: p.name, lineRatePct: p.lines.valid === 0 ? null : (p.lines.covered / p.lines.valid) * 100 }),
      );
      return {
        format: r.format === "lcov" ? "LCOV" : "Cobertura",
        files: r.files,
        lineRatePct: r.lineRatePct,
        branchRatePct: r.branchRatePct,
        lines: { valid: r.linesValid, covered: r.linesCovered },
        branches: { valid: r.branchesValid, covered: r.branchesCovered },
        packages: packages.slice(0, 20),
      };
    },
    list: () => [],
    facts: (r, facts, project) => {
      facts.coverage[project] = coverageFacts(r);
    },
    checks,
    checkProject: projectOf,
    now,
  });
  return Promise.all(
    views.map(async (v) => {
      const runs = await prisma.coverageRun.findMany({
        where: { project: v.project },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        take: COVERAGE_TREND_RUNS,
        select: { id: true, receivedAt: true, lineRatePct: true },
      });
      return {
        ...v,
        trend: runs
          .map((r) => ({ id: String(r.id), receivedAt: r.receivedAt.toISOString(), lineRatePct: r.lineRatePct }))
          .reverse(),
      };
    }),
  );
}
