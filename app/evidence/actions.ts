"use server";

import { revalidatePath } from "next/cache";
import { getConfig } from "@/lib/config/current";
import { getPrisma } from "@/lib/db/client";
import { formatBytes, formatLatency, formatPercent, formatRate, formatScore } from "@/lib/format";
import { decodeUtf8, parseJsonBody } from "@/lib/http/body";
import { getLogger } from "@/lib/logger";
import {
  BODY_FIELD,
  ingestAttestation,
  ingestChaos,
  ingestJUnit,
  ingestK6,
  type TEvidenceContext,
  type TEvidenceKind,
} from "@/lib/services/evidence/ingest";
import type { TFailure as TServiceFailure } from "@/lib/services/result";
import { refreshReadiness } from "@/lib/services/readiness/refresh";
import { auditActor, type TActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { getActor } from "@/lib/auth/session";

// The upload forms of /evidence: the same ingestion as the CI endpoints (validate everything, then store in one
// statement, so an error stores nothing), by a signed-in editor or admin, checked before anything is read.

export type TUploadState =
  | { status: "idle" }
  | { status: "ok"; message: string; readiness: string | null; at: number }
  | { status: "error"; error: string; fieldErrors: Record<string, string[]>; at: number };

type TFailure = Extract<TUploadState, { status: "error" }>;

const fail = (error: string, fieldErrors: Record<string, string[]> = {}): TFailure => ({
  status: "error",
  error,
  fieldErrors,
  at: Date.now(),
});

/** The ingest messages name the CI endpoint's query parameters ("suite name (?suite=)"); a form has fields. */
const forForm = (error: string) => error.replace(/ \(\?\w+=\)/g, "");

/** A refused upload: the service's own field errors, with the report's (the request body's) filed under the file input. */
function refused(failure: TServiceFailure): TFailure {
  const fieldErrors: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(failure.fieldErrors))
    fieldErrors[field === BODY_FIELD ? "file" : field] = messages.map(forForm);
  return fail(forForm(failure.message), fieldErrors);
}

const text = (form: FormData, name: string): string | null => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : null;
};

const PAGES: Record<TEvidenceKind, string[]> = {
  junit: ["/tests"],
  k6: ["/load-chaos"],
  chaos: ["/load-chaos"],
  attestation: [],
  coverage: ["/tests"],
  scan: ["/security"],
  sbom: ["/security"],
  manifests: ["/infrastructure"],
  compose: ["/infrastructure"],
};

async function open(): Promise<{ ok: true; ctx: TEvidenceContext; actor: TActor } | { ok: false; failure: TFailure }> {
  const actor = await getActor();
  if (!actor) return { ok: false, failure: fail("your session has ended: sign in again") };
  if (!can(actor.role, "evidence:write")) return { ok: false, failure: fail(`${actor.role}s may not upload evidence`) };
  const { config } = getConfig();
  return {
    ok: true,
    actor,
    ctx: { prisma: getPrisma(), config, source: `upload by ${actor.name}`, actor: auditActor(actor), now: new Date() },
  };
}

async function readUpload(
  form: FormData,
  maxBytes: number,
): Promise<{ ok: true; text: string } | { ok: false; failure: TFailure }> {
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) {
    const error = file instanceof File && file.name ? `${file.name} is empty` : "choose a file to upload";
    return { ok: false, failure: fail(error, { file: [error] }) };
  }
  if (file.size > maxBytes) {
    // Rounded sizes can look equal ("10 MB, larger than the 10 MB limit"): then say it in bytes.
    const [size, limit] =
      formatBytes(file.size) === formatBytes(maxBytes)
        ? [`${file.size} bytes`, `${maxBytes}-byte`]
        : [formatBytes(file.size), formatBytes(maxBytes)];
    const error = `${file.name} is ${size}, larger than the ${limit} limit (evidence.maxUploadBytes)`;
    return { ok: false, failure: fail(error, { file: [error] }) };
  }
  const decoded = decodeUtf8(new Uint8Array(await file.arrayBuffer()), file.name);
  if (!decoded.ok) return { ok: false, failure: fail(decoded.message, { file: [decoded.message] }) };
  return { ok: true, text: decoded.value };
}

/** After a stored upload: the readiness it gives (the upload stands whatever happens here) and fresh pages. */
async function settle(ctx: TEvidenceContext, kind: TEvidenceKind, message: string): Promise<TUploadState> {
  let readiness: string | null = null;
  try {
    const view = await refreshReadiness({ prisma: ctx.prisma, config: ctx.config });
    if (view.configured) {
      const score = view.result.overallPct === null ? "no score yet" : formatScore(view.result.overallPct);
      const blockers = view.result.blockers.length;
      readiness = `Readiness is now ${score}, with ${blockers} blocker${blockers === 1 ? "" : "s"}.`;
    }
  } catch (error) {
    getLogger().warn({ err: error }, "readiness could not be evaluated after an upload");
  }
  for (const path of ["/", "/scorecard", "/criteria", "/evidence", ...PAGES[kind]]) revalidatePath(path);
  return { status: "ok", message, readiness, at: Date.now() };
}

const pct = (n: number | null) => (n === null ? "no pass rate (no cases counted)" : formatPercent(n));
const ms = formatLatency;

export async function uploadJUnitAction(_previous: TUploadState, form: FormData): Promise<TUploadState> {
  const opened = await open();
  if (!opened.ok) return opened.failure;
  const { ctx } = opened;
  const file = await readUpload(form, ctx.config.evidence.maxUploadBytes);
  if (!file.ok) return file.failure;
  const result = await ingestJUnit(ctx, {
    xml: file.text,
    suite: text(form, "suite") || null,
    kind: text(form, "kind") || null,
  });
  if (!result.ok) return refused(result);
  const run = await ctx.prisma.testRun.findUniqueOrThrow({ where: { id: BigInt(result.value.id) } });
  return settle(
    ctx,
    "junit",
    `Stored JUnit run #${run.id} of suite "${run.suite}" (${run.kind}): ${run.tests} tests, ${run.passed} passed, ${run.failed} failed, ${run.errors} errors, ${run.skipped} skipped, ${run.flaky} flaky; pass rate ${pct(run.passRatePct)}.`,
  );
}

export async function uploadK6Action(_previous: TUploadState, form: FormData): Promise<TUploadState> {
  const opened = await open();
  if (!opened.ok) return opened.failure;
  const { ctx } = opened;
  const file = await readUpload(form, ctx.config.evidence.maxUploadBytes);
  if (!file.ok) return file.failure;
  const json = parseJsonBody(file.text);
  if (!json.ok) {
    const error = `the file ${json.message.replace(/^the body /, "")}`;
    return fail(error, { file: [error] });
  }
  const result = await ingestK6(ctx, { summary: json.value, test: text(form, "test") || null });
  if (!result.ok) return refused(result);
  const run = await ctx.prisma.loadTestRun.findUniqueOrThrow({ where: { id: BigInt(result.value.id) } });
  const thresholds = (run.thresholds as { name: string; passed: boolean }[] | null) ?? [];
  const failed = thresholds.filter((t) => !t.passed).map((t) => t.name);
  const verdict =
    run.allThresholdsPassed === null
      ? "no threshold verdict in the summary"
      : failed.length === 0
        ? `all ${thresholds.length} thresholds passed`
        : `thresholds failed: ${failed.join(", ")}`;
  return settle(
    ctx,
    "k6",
    `Stored k6 run #${run.id} of "${run.test}" (${run.shape}): p95 ${ms(run.p95Ms)}, p99 ${ms(run.p99Ms)}, error rate ${run.errorRatePct === null ? "—" : formatPercent(run.errorRatePct)}, ${run.requestRatePerS === null ? "—" : formatRate(run.requestRatePerS)}; ${verdict}.`,
  );
}

export async function recordChaosAction(_previous: TUploadState, form: FormData): Promise<TUploadState> {
  const opened = await open();
  if (!opened.ok) return opened.failure;
  const { ctx } = opened;
  const body = {
    name: text(form, "name") ?? "",
    fault: text(form, "fault") ?? "",
    target: text(form, "target") ?? "",
    startedAt: text(form, "startedAt") ?? "",
    endedAt: text(form, "endedAt") ?? "",
  };
  const result = await ingestChaos(ctx, { body, params: {} });
  if (!result.ok) return refused(result);
  const run = await ctx.prisma.chaosRun.findUniqueOrThrow({ where: { id: BigInt(result.value.id) } });
  const seconds = (run.endedAt.getTime() - run.startedAt.getTime()) / 1000;
  return settle(
    ctx,
    "chaos",
    `Stored chaos run #${run.id}: ${run.fault} on ${run.target} from ${run.startedAt.toISOString()} to ${run.endedAt.toISOString()} (${seconds} s) as experiment "${run.name}". Its recovery is measured from probe history on the Load & chaos page.`,
  );
}

export async function attestAction(_previous: TUploadState, form: FormData): Promise<TUploadState> {
  const opened = await open();
  if (!opened.ok) return opened.failure;
  const { ctx, actor } = opened;
  const body = {
    check: text(form, "check") ?? "",
    answer: text(form, "answer") ?? "",
    evidenceUrl: text(form, "evidenceUrl") ?? "",
    comment: text(form, "comment") ?? "",
    expiresAt: text(form, "expiresAt") ?? "",
  };
  // Who attests is the person signed in; a form never names someone else.
  const result = await ingestAttestation(ctx, { body, attestedBy: `${actor.name} <${actor.email}>` });
  if (!result.ok) return refused(result);
  const row = await ctx.prisma.attestation.findUniqueOrThrow({ where: { id: BigInt(result.value.id) } });
  return settle(
    ctx,
    "attestation",
    `Stored attestation #${row.id}: "${row.answer}" for ${row.checkId} by ${row.attestedBy}, evidence ${row.evidenceUrl}, counts until ${row.expiresAt.toISOString()}.`,
  );
}
