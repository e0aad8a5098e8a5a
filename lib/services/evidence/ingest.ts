import { z } from "zod";
import type { TConfig } from "../../config/schema";
import type { TCheck } from "../../config/scorecard-schema";
import { parseAttestationInput } from "../../evidence/attestation";
import { parseChaosExperiment, parseLitmusChaosResult } from "../../evidence/chaos";
import { describeValue } from "../../evidence/input";
import { createHash } from "node:crypto";
import { parseCobertura, parseLcov, ratePct } from "../../evidence/coverage";
import { parseJUnit } from "../../evidence/junit";
import { parseSarif } from "../../evidence/sarif";
import { parseSbom } from "../../evidence/sbom";
import { parseManifests } from "../../evidence/kubernetes";
import { parseCompose } from "../../evidence/compose";
import { parseK6Summary } from "../../evidence/k6";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { appendAudit } from "../../audit/append";
import type { TAuditActor } from "../../audit/chain";
import { quoteText } from "../../evidence/quote";
import { screenJson } from "../../evidence/screen";
import { fail, failFields, ok, type TFailure, type TResult } from "../result";

// Evidence in: each function validates the whole payload first and then stores it in one statement, so a
// rejected payload leaves nothing behind. Shared by the CI endpoints (/api/v1/evidence/*) and the upload forms.

export type TEvidenceKind =
  | "junit"
  | "k6"
  | "chaos"
  | "attestation"
  | "coverage"
  | "scan"
  | "sbom"
  | "manifests"
  | "compose";

export type TEvidenceContext = {
  prisma: PrismaClient;
  config: TConfig;
  /** Who pushed it, as stored and shown: "token ci", "upload by Ada". */
  source: string;
  /** Who pushed it, as the audit log records it. */
  actor: TAuditActor;
  now: Date;
};

/** Stores one piece of evidence and its audit entry in one transaction: both or neither. */
async function storeAudited<T extends { id: bigint }>(
  ctx: TEvidenceContext,
  action: string,
  entityType: string,
  create: (tx: Prisma.TransactionClient) => Promise<T>,
  summary: Record<string, unknown>,
): Promise<T> {
  return ctx.prisma.$transaction(async (tx) => {
    const row = await create(tx);
    await appendAudit(
      tx,
      { actor: ctx.actor, action, entityType, entityId: String(row.id), after: { ...summary, source: ctx.source } },
      ctx.now,
    );
    return row;
  });
}

/** `duplicate`: the very same artefact was stored before; nothing new was written, `id` is that row's. */
export type TStored = { kind: TEvidenceKind; id: string; summary: Record<string, unknown>; duplicate?: boolean };
/**
 * Stored, or refused with what is wrong: 400 when the report cannot be read at all (not XML), 422 when it can but a
 * value is wrong. Field errors are keyed by the input's names: "suite", "kind", "test" and "target" for the
 * parameters, "body" for the report itself, and the top-level field of an experiment or attestation object.
 */
export type TIngestResult = TResult<TStored>;

/** The field a report's own problems are filed under: the request body, or the file of an upload form. */
export const BODY_FIELD = "body";

const SUITE_KINDS = ["unit", "integration", "security", "performance", "e2e"] as const;
export type TSuiteKind = (typeof SUITE_KINDS)[number];

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._:/@+-]{0,99}$/;
const nameError = (what: string, value: string | null) =>
  value === null || value === ""
    ? `the ${what} is required`
    : `invalid ${what} ${quoteText(value.slice(0, 120))}: expected 1-100 letters, digits, spaces or . _ : / @ + -, starting with a letter or digit`;

const invalid = (error: string, field: string = BODY_FIELD): TFailure => fail(422, error, field);

/** The ?project= an artefact is pushed under, and the scorecard names. */
function readProject(project: string | null): string | TFailure {
  return project === null || !NAME.test(project)
    ? invalid(nameError("project name (?project=)", project), "project")
    : project;
}

/** An artefact's identity: the same bytes pushed twice are one piece of evidence. */
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The input policy on a parsed JSON payload; `own` payloads (Preflight's formats) file a problem under its top-level key. */
function screen(body: unknown, own: boolean): TFailure | null {
  const issue = screenJson(body);
  if (!issue) return null;
  const field = own && issue.path !== "(top level)" ? (issue.path.split(/[.[]/)[0] ?? BODY_FIELD) : BODY_FIELD;
  return invalid(`${issue.path}: ${issue.message}`, field);
}

/** Messages of failed cases are kept short and few: they are for reading, not for archiving the report. */
const MAX_FAILURES = 200;

export async function ingestJUnit(
  ctx: TEvidenceContext,
  input: { xml: string; suite: string | null; kind: string | null },
): Promise<TIngestResult> {
  if (input.suite === null || !NAME.test(input.suite))
    return invalid(nameError("suite name (?suite=)", input.suite), "suite");
  if (!SUITE_KINDS.includes(input.kind as TSuiteKind)) {
    return invalid(
      `${input.kind ? `invalid kind ${quoteText(input.kind.slice(0, 40))}` : "the kind (?kind=) is required"}: expected one of ${SUITE_KINDS.join(", ")}`,
      "kind",
    );
  }
  const parsed = parseJUnit(input.xml, { maxBytes: ctx.config.evidence.maxUploadBytes });
  if (!parsed.ok) return fail(parsed.malformed ? 400 : 422, parsed.error, BODY_FIELD);
  const { run } = parsed;
  if (run.tests === 0) return invalid("the report has no <testcase> elements: nothing to count");
  const { tests, passed, failed, errors, skipped, flaky, passRatePct } = run;
  const suite = input.suite;
  const summary = { suite, kind: input.kind, tests, passed, failed, errors, skipped, flaky, passRatePct };
  const row = await storeAudited(
    ctx,
    "evidence.junit.create",
    "test_run",
    (tx) =>
      tx.testRun.create({
        data: {
          suite,
          kind: input.kind as TSuiteKind,
          receivedAt: ctx.now,
          source: ctx.source,
          tests: run.tests,
          passed: run.passed,
          failed: run.failed,
          errors: run.errors,
          skipped: run.skipped,
          flaky: run.flaky,
          durationS: run.durationS,
          passRatePct: run.passRatePct,
          flakyTests: run.flakyTests.slice(0, 1000),
          failures: run.failures
            .slice(0, MAX_FAILURES)
            .map((f) => ({ name: f.name.slice(0, 500), message: f.message?.slice(0, 2000) ?? null })),
        },
      }),
    summary,
  );
  return ok({ kind: "junit", id: String(row.id), summary });
}

export async function ingestK6(
  ctx: TEvidenceContext,
  input: { summary: unknown; test: string | null },
): Promise<TIngestResult> {
  if (input.test === null || !NAME.test(input.test))
    return invalid(nameError("load-test name (?test=)", input.test), "test");
  // The summary arrives parsed: a JSON string is not one, and parseK6Summary would decode its text as JSON a second time.
  if (typeof input.summary === "string")
    return invalid(`expected a k6 summary object, got ${describeValue(input.summary)}`);
  const screened = screen(input.summary, false);
  if (screened) return screened;
  const parsed = parseK6Summary(input.summary, { maxBytes: ctx.config.evidence.maxUploadBytes });
  if (!parsed.ok) return invalid(parsed.error);
  const s = parsed.summary;
  const test = input.test;
  const summary = {
    test,
    shape: s.shape,
    p95Ms: s.p95Ms,
    errorRatePct: s.errorRatePct,
    allThresholdsPassed: s.allThresholdsPassed,
    thresholds: s.thresholds,
  };
  const row = await storeAudited(
    ctx,
    "evidence.k6.create",
    "load_test_run",
    (tx) =>
      tx.loadTestRun.create({
        data: {
          test,
          receivedAt: ctx.now,
          source: ctx.source,
          shape: s.shape,
          p50Ms: s.p50Ms,
          p90Ms: s.p90Ms,
          p95Ms: s.p95Ms,
          p99Ms: s.p99Ms,
          avgMs: s.avgMs,
          maxMs: s.maxMs,
          errorRatePct: s.errorRatePct,
          requestRatePerS: s.requestRate,
          checksPassed: s.checks.passes,
          checksFailed: s.checks.fails,
          thresholds: s.thresholds,
          allThresholdsPassed: s.allThresholdsPassed,
          durationS: s.durationS,
        },
      }),
    summary,
  );
  return ok({ kind: "k6", id: String(row.id), summary });
}

export type TChaosParams = { target?: string | null; startedAt?: string | null; endedAt?: string | null };

/** Chaos evidence ends in the past: a fault that "ends" later than this from now is a clock or payload error. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

export async function ingestChaos(
  ctx: TEvidenceContext,
  input: { body: unknown; params: TChaosParams },
): Promise<TIngestResult> {
  const { body, params } = input;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return invalid(`expected a chaos experiment object or a Litmus ChaosResult, got ${describeValue(body)}`);
  const isLitmus = Object.hasOwn(body, "kind") && (body as { kind?: unknown }).kind === "ChaosResult";
  const screened = screen(body, !isLitmus);
  if (screened) return screened;
  let experiment: {
    name: string;
    fault: string;
    target: string;
    startedAt: string;
    endedAt: string;
    expectedRecoveryS?: number | undefined;
  };
  let verdict: string | null = null;
  if (isLitmus) {
    if (!params.target)
      return invalid("a Litmus ChaosResult needs the target component: add ?target=COMPONENT_ID", "target");
    const parsed = parseLitmusChaosResult(body, {
      target: params.target,
      ...(params.startedAt ? { startedAt: params.startedAt } : {}),
      ...(params.endedAt ? { endedAt: params.endedAt } : {}),
    });
    if (!parsed.ok) return invalid(parsed.error);
    experiment = parsed.experiment;
    verdict = parsed.experiment.verdict;
  } else {
    // The parameters complete a Litmus object, which lacks them; an experiment object carries its own.
    const given = (["target", "startedAt", "endedAt"] as const).filter(
      (name) => params[name] !== undefined && params[name] !== null,
    );
    const [first] = given;
    if (first !== undefined)
      return invalid(
        `?${given.join(", ?")} ${given.length === 1 ? "is" : "are"} only for a Litmus ChaosResult: an experiment object names its own ${given.join(", ")}`,
        first,
      );
    const parsed = parseChaosExperiment(body);
    if (!parsed.ok) return failFields(422, parsed.fieldErrors, parsed.error);
    experiment = parsed.experiment;
  }
  if (!ctx.config.components.some((c) => c.id === experiment.target)) {
    return invalid(
      `no component with id "${experiment.target}": the target must be one of ${ctx.config.components.map((c) => c.id).join(", ")}`,
      "target",
    );
  }
  if (Date.parse(experiment.endedAt) > ctx.now.getTime() + FUTURE_TOLERANCE_MS) {
    return invalid(
      `endedAt ${experiment.endedAt} is in the future: send the experiment once the fault has ended`,
      "endedAt",
    );
  }
  const summary = {
    name: experiment.name,
    fault: experiment.fault,
    target: experiment.target,
    startedAt: experiment.startedAt,
    endedAt: experiment.endedAt,
    verdict,
  };
  const row = await storeAudited(
    ctx,
    "evidence.chaos.create",
    "chaos_run",
    (tx) =>
      tx.chaosRun.create({
        data: {
          name: experiment.name,
          fault: experiment.fault,
          target: experiment.target,
          startedAt: new Date(experiment.startedAt),
          endedAt: new Date(experiment.endedAt),
          expectedRecoveryS: experiment.expectedRecoveryS ?? null,
          verdict,
          receivedAt: ctx.now,
          source: ctx.source,
        },
      }),
    summary,
  );
  return ok({ kind: "chaos", id: String(row.id), summary });
}

/** Every attestation check the scorecard declares, in categories and in the approval criteria. */
export function attestationChecks(config: TConfig): Extract<TCheck, { kind: "attestation" }>[] {
  const all = [...(config.scorecard?.categories.flatMap((c) => c.checks) ?? []), ...(config.scorecard?.criteria ?? [])];
  return all.filter((c): c is Extract<TCheck, { kind: "attestation" }> => c.kind === "attestation");
}

export async function ingestAttestation(
  ctx: TEvidenceContext,
  input: { body: unknown; attestedBy: string },
): Promise<TIngestResult> {
  const { body } = input;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return invalid(`expected an attestation object, got ${describeValue(body)}`);
  const screened = screen(body, true);
  if (screened) return screened;
  // Object.hasOwn, not `in` or a property read: an inherited attestedBy is not the sender's.
  const given = body as Record<string, unknown>;
  const named =
    Object.hasOwn(given, "attestedBy") && typeof given.attestedBy === "string" && given.attestedBy.trim() !== "";
  const parsed = parseAttestationInput({ ...given, attestedBy: named ? given.attestedBy : input.attestedBy }, ctx.now);
  if (!parsed.ok) {
    const error = Object.entries(parsed.fieldErrors)
      .map(([field, messages]) => `${field}: ${messages.join("; ")}`)
      .join("; ");
    return failFields(422, parsed.fieldErrors, `invalid attestation: ${error}`);
  }
  const a = parsed.attestation;
  const checks = attestationChecks(ctx.config);
  if (!checks.some((c) => c.id === a.check)) {
    const known = checks.map((c) => c.id);
    return invalid(
      `no attestation check "${a.check}" in the scorecard${known.length > 0 ? `: expected one of ${known.join(", ")}` : ""}`,
      "check",
    );
  }
  const summary = {
    check: a.check,
    answer: a.answer,
    attestedBy: a.attestedBy,
    evidenceUrl: a.evidenceUrl,
    expiresAt: a.expiresAt,
  };
  const row = await storeAudited(
    ctx,
    "evidence.attestation.create",
    "attestation",
    (tx) =>
      tx.attestation.create({
        data: {
          checkId: a.check,
          answer: a.answer,
          evidenceUrl: a.evidenceUrl,
          comment: a.comment,
          attestedBy: a.attestedBy,
          expiresAt: new Date(a.expiresAt),
          createdAt: ctx.now,
          source: ctx.source,
        },
      }),
    summary,
  );
  return ok({ kind: "attestation", id: String(row.id), summary });
}

/** The table (and its Prisma model) of each artefact kind stored once per (project, digest). */
const ARTEFACT_TABLES = {
  coverage: { table: "coverage_run", model: "coverageRun" },
  scan: { table: "scan_run", model: "scanRun" },
  sbom: { table: "sbom_run", model: "sbomRun" },
  manifests: { table: "manifest_run", model: "manifestRun" },
  compose: { table: "compose_run", model: "composeRun" },
} as const satisfies Partial<Record<TEvidenceKind, { table: string; model: keyof PrismaClient }>>;

type TTouchable = {
  update(args: {
    where: { id: bigint };
    data: { receivedAt: Date; source: string };
    select: { id: true };
  }): Promise<{ id: bigint }>;
};

/**
 * Stores an artefact identified by its digest once. The same file pushed again is the same evidence and stays one
 * row, but the push is news: CI re-asserted it now. So the row's `receivedAt` and `source` move to this push (a
 * nightly pipeline that renders the same manifests every day keeps them fresh, and a file pushed again after a
 * different one is the latest again, not the one in between), and the push is audited as `evidence.KIND.repush`
 * with when it was received before. Two identical pushes at once: the unique (project, digest) lets one in, and
 * the other is the repush it is.
 */
export async function storeOnce(
  ctx: TEvidenceContext,
  artefact: {
    kind: keyof typeof ARTEFACT_TABLES;
    summary: Record<string, unknown>;
    find: (
      db: Prisma.TransactionClient | PrismaClient,
    ) => Promise<{ id: bigint; receivedAt: Date; source: string } | null>;
    create: (tx: Prisma.TransactionClient) => Promise<{ id: bigint }>;
  },
): Promise<TIngestResult> {
  const { kind, summary } = artefact;
  const { table, model } = ARTEFACT_TABLES[kind];
  const repush = () =>
    ctx.prisma.$transaction(async (tx) => {
      const row = await artefact.find(tx);
      if (!row) return null;
      await (tx[model] as unknown as TTouchable).update({
        where: { id: row.id },
        data: { receivedAt: ctx.now, source: ctx.source },
        select: { id: true },
      });
      await appendAudit(
        tx,
        {
          actor: ctx.actor,
          action: `evidence.${kind}.repush`,
          entityType: table,
          entityId: String(row.id),
          before: { receivedAt: row.receivedAt.toISOString(), source: row.source },
          after: { ...summary, source: ctx.source },
        },
        ctx.now,
      );
      return ok({ kind, id: String(row.id), summary, duplicate: true });
    });
  if (await artefact.find(ctx.prisma)) {
    const answer = await repush();
    if (answer) return answer;
  }
  try {
    const row = await storeAudited(ctx, `evidence.${kind}.create`, table, artefact.create, summary);
    return ok({ kind, id: String(row.id), summary });
  } catch (error) {
    if ((error as { code?: unknown }).code !== "P2002") throw error;
    const answer = await repush();
    if (!answer) throw error;
    return answer;
  }
}

/** Packages kept per coverage run: enough to read, not an archive of the report. */
const MAX_PACKAGES = 500;

export async function ingestCoverage(
  ctx: TEvidenceContext,
  input: { text: string; format: "cobertura" | "lcov"; project: string | null },
): Promise<TIngestResult> {
  const project = readProject(input.project);
  if (typeof project !== "string") return project;
  const options = { maxBytes: ctx.config.evidence.maxUploadBytes };
  const parsed = input.format === "cobertura" ? parseCobertura(input.text, options) : parseLcov(input.text, options);
  if (!parsed.ok) return fail(parsed.malformed ? 400 : 422, parsed.error, BODY_FIELD);
  const r = parsed.report;
  const digest = sha256(input.text);
  const lineRatePct = ratePct(r.lines);
  const branchRatePct = ratePct(r.branches);
  const summary = {
    project,
    format: r.format,
    files: r.files,
    lines: r.lines,
    branches: r.branches,
    lineRatePct,
    branchRatePct,
    digest,
  };
  return storeOnce(ctx, {
    kind: "coverage",
    summary,
    find: (db) =>
      db.coverageRun.findUnique({
        where: { project_digest: { project, digest } },
        select: { id: true, receivedAt: true, source: true },
      }),
    create: (tx) =>
      tx.coverageRun.create({
        data: {
          project,
          format: r.format,
          receivedAt: ctx.now,
          source: ctx.source,
          digest,
          files: r.files,
          linesValid: r.lines.valid,
          linesCovered: r.lines.covered,
          lineRatePct,
          branchesValid: r.branches.valid,
          branchesCovered: r.branches.covered,
          branchRatePct,
          packages: r.packages.slice(0, MAX_PACKAGES).map((p) => ({ ...p, name: p.name.slice(0, 500) })),
        },
      }),
  });
}

export async function ingestScan(
  ctx: TEvidenceContext,
  input: { body: unknown; bytes: string; project: string | null },
): Promise<TIngestResult> {
  const project = readProject(input.project);
  if (typeof project !== "string") return project;
  const screened = screen(input.body, false);
  if (screened) return screened;
  const parsed = parseSarif(input.body);
  if (!parsed.ok) return invalid(parsed.error);
  const r = parsed.report;
  const digest = sha256(input.bytes);
  const summary = { project, tools: r.tools, counts: r.counts, suppressed: r.suppressed, digest };
  return storeOnce(ctx, {
    kind: "scan",
    summary,
    find: (db) =>
      db.scanRun.findUnique({
        where: { project_digest: { project, digest } },
        select: { id: true, receivedAt: true, source: true },
      }),
    create: (tx) =>
      tx.scanRun.create({
        data: {
          project,
          receivedAt: ctx.now,
          source: ctx.source,
          digest,
          tools: r.tools.map((t) => t.slice(0, 200)),
          errors: r.counts.error,
          warnings: r.counts.warning,
          notes: r.counts.note,
          nones: r.counts.none,
          suppressed: r.suppressed,
          findings: r.findings,
        },
      }),
  });
}

export const ZSuiteKind = z.enum(SUITE_KINDS);
export { SUITE_KINDS };

/** An SBOM, CycloneDX 1.5/1.6 or SPDX 2.3 JSON, with the vulnerabilities a CycloneDX document may carry. */
export async function ingestSbom(
  ctx: TEvidenceContext,
  input: { body: unknown; bytes: string; project: string | null },
): Promise<TIngestResult> {
  const project = readProject(input.project);
  if (typeof project !== "string") return project;
  const screened = screen(input.body, false);
  if (screened) return screened;
  const parsed = parseSbom(input.body);
  if (!parsed.ok) return invalid(parsed.error);
  const r = parsed.report;
  const digest = sha256(input.bytes);
  // CycloneDX says "scanned, nothing found" with an empty `vulnerabilities` array; no array at all, and SPDX 2.3
  // (which has no such section), say nothing about vulnerabilities.
  const scanned =
    r.format === "cyclonedx" && Array.isArray((input.body as { vulnerabilities?: unknown }).vulnerabilities);
  const summary = {
    project,
    format: r.format,
    specVersion: r.specVersion,
    components: r.components,
    withoutVersion: r.withoutVersion,
    withoutLicence: r.withoutLicence,
    scanned,
    vulnerabilities: scanned ? r.counts : null,
    digest,
  };
  const clip = (text: string | null, max = 500) => (text === null ? null : text.slice(0, max));
  return storeOnce(ctx, {
    kind: "sbom",
    summary,
    find: (db) =>
      db.sbomRun.findUnique({
        where: { project_digest: { project, digest } },
        select: { id: true, receivedAt: true, source: true },
      }),
    create: (tx) =>
      tx.sbomRun.create({
        data: {
          project,
          receivedAt: ctx.now,
          source: ctx.source,
          digest,
          format: r.format,
          specVersion: r.specVersion.slice(0, 40),
          subjectName: clip(r.subject.name),
          subjectVersion: clip(r.subject.version, 200),
          tool: clip(r.tool, 200),
          components: r.components,
          withoutVersion: r.withoutVersion,
          withoutLicence: r.withoutLicence,
          scanned,
          critical: r.counts.critical,
          high: r.counts.high,
          medium: r.counts.medium,
          low: r.counts.low,
          other: r.counts.info + r.counts.none + r.counts.unknown,
          vulnerabilities: r.vulnerabilities,
          missing: r.missing,
        },
      }),
  });
}

/** Rendered Kubernetes manifests, judged by the built-in rules as they are stored (replicas with the default minimum). */
export async function ingestManifests(
  ctx: TEvidenceContext,
  input: { text: string; project: string | null },
): Promise<TIngestResult> {
  const project = readProject(input.project);
  if (typeof project !== "string") return project;
  const parsed = parseManifests(input.text);
  if (!parsed.ok) return fail(parsed.malformed ? 400 : 422, parsed.error, BODY_FIELD);
  const r = parsed.report;
  const digest = sha256(input.text);
  const failed = Object.fromEntries(Object.entries(r.rules).map(([rule, counts]) => [rule, counts.failed]));
  const summary = {
    project,
    objects: r.objects,
    workloads: r.workloads.length,
    failed,
    findings: r.findings.length,
    digest,
  };
  return storeOnce(ctx, {
    kind: "manifests",
    summary,
    find: (db) =>
      db.manifestRun.findUnique({
        where: { project_digest: { project, digest } },
        select: { id: true, receivedAt: true, source: true },
      }),
    create: (tx) =>
      tx.manifestRun.create({
        data: {
          project,
          receivedAt: ctx.now,
          source: ctx.source,
          digest,
          objects: r.objects,
          byKind: r.byKind,
          workloads: r.workloads,
          rules: r.rules,
          findings: r.findings,
        },
      }),
  });
}

/** A docker-compose file, judged by the built-in rules as it is stored (ports with the default bind addresses). */
export async function ingestCompose(
  ctx: TEvidenceContext,
  input: { text: string; project: string | null },
): Promise<TIngestResult> {
  const project = readProject(input.project);
  if (typeof project !== "string") return project;
  const parsed = parseCompose(input.text);
  if (!parsed.ok) return fail(parsed.malformed ? 400 : 422, parsed.error, BODY_FIELD);
  const r = parsed.report;
  const digest = sha256(input.text);
  const failed = Object.fromEntries(Object.entries(r.rules).map(([rule, counts]) => [rule, counts.failed]));
  const summary = { project, services: r.services.length, failed, findings: r.findings.length, digest };
  return storeOnce(ctx, {
    kind: "compose",
    summary,
    find: (db) =>
      db.composeRun.findUnique({
        where: { project_digest: { project, digest } },
        select: { id: true, receivedAt: true, source: true },
      }),
    create: (tx) =>
      tx.composeRun.create({
        data: {
          project,
          receivedAt: ctx.now,
          source: ctx.source,
          digest,
          name: r.name === null ? null : r.name.slice(0, 200),
          services: r.services.map((s) => s.slice(0, 200)),
          ports: r.ports,
          rules: r.rules,
          findings: r.findings,
        },
      }),
  });
}
