import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { TConfig } from "../config/schema";
import type { TAuditHead } from "../queries/audit-head";
import type { TSignOffView } from "../queries/signoff";
import type { TGoLive, TRoleStatus } from "../signoff/status";
import {
  checkStatement,
  parseDigest,
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  type TReadinessStatement,
  type TStatementSignOff,
  type TSubject,
} from "./envelope";

// The readiness statement, pure: what the dashboard vouches for when go-live is approved, assembled from what the
// sign-off view, the snapshot and the audit head already say. Nothing here reads a database or signs.

/**
 * SHA-256 (hex) of the scorecard as Preflight evaluates it (after defaults and `${VAR}` interpolation), as RFC 8785
 * JSON: the same rules give the same digest however the YAML is written, and a changed weight or threshold a
 * different one. Null without a scorecard.
 */
export function scorecardDigest(scorecard: TConfig["scorecard"]): string | null {
  if (!scorecard) return null;
  const text = canonicalize(scorecard);
  if (text === undefined) throw new Error("scorecard is not serialisable");
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export type TStatementInput = {
  system: Pick<TConfig["system"], "name" | "environment">;
  /** What CI named as the release's artefacts: "sha256:<hex>" for an image, "gitCommit:<hex>" for a commit. */
  artefacts: { name: string; digest: string }[];
  /** The sign-off view of the release (lib/queries/signoff.ts getSignOffView): its go-live must be approved. */
  signOff: {
    release: TSignOffView["release"];
    roles: Pick<TRoleStatus, "role" | "name" | "state" | "latest">[];
    goLive: TGoLive;
  };
  /** The readiness snapshot current at approval, as stored (lib/readiness/snapshot.ts SnapshotRow). */
  snapshot: { id: string; hash: string; takenAt: string; overallPct: number | null };
  gate: { minScorePct: number; passed: boolean };
  scorecard: TConfig["scorecard"];
  auditHead: TAuditHead;
  issuedAt: Date;
  /** Default: the latest of the sign-offs it carries, the moment the last one made go-live approved. */
  approvedAt?: Date;
};

export type TBuildResult = { ok: true; statement: TReadinessStatement } | { ok: false; reason: string };

/**
 * The statement for an approved release, or why there cannot be one yet: go-live not approved, no artefact named
 * (a statement about nothing could be shown for any deployment), an artefact digest that is not one, or an empty
 * audit chain. The sign-offs are each role's latest decision that counts (approved, or marked ready on an optional
 * role); a stale, expired or rejected one never gets into a statement, as go-live would not be approved.
 */
export function buildReadinessStatement(input: TStatementInput): TBuildResult {
  const { signOff, auditHead } = input;
  if (!signOff.release) return { ok: false, reason: "no release is configured (system.release)" };
  if (!signOff.goLive.approved)
    return { ok: false, reason: `go-live is not approved: ${signOff.goLive.missing.join("; ")}` };
  if (input.artefacts.length === 0)
    return { ok: false, reason: "no artefact is named: CI must name the commit or image digest being released" };
  const subject: TSubject[] = [];
  for (const artefact of input.artefacts) {
    const digest = parseDigest(artefact.digest);
    if (!digest)
      return {
        ok: false,
        reason: `artefact "${artefact.name}" has digest "${artefact.digest}": expected sha256:<64 hex> or gitCommit:<hex>`,
      };
    subject.push({ name: artefact.name, digest: { [digest.algorithm]: digest.value } });
  }
  if (auditHead.id === null || auditHead.hash === null || auditHead.chain === null)
    return { ok: false, reason: "the audit chain is empty: a sign-off is always audited, so this is not an approval" };

  const signOffs: TStatementSignOff[] = signOff.roles.flatMap((role) =>
    role.latest && (role.state === "approved" || role.state === "ready")
      ? [
          {
            role: role.role,
            roleName: role.name,
            user: { id: role.latest.userId, name: role.latest.userName },
            decision: role.latest.decision,
            at: role.latest.signedAt.toISOString(),
            snapshotId: role.latest.snapshot.id,
            snapshotHash: role.latest.snapshot.hash,
          },
        ]
      : [],
  );
  if (signOffs.length === 0) return { ok: false, reason: "no sign-off counts: nothing was approved" };
  const approvedAt = input.approvedAt ?? new Date(Math.max(...signOffs.map((s) => Date.parse(s.at))));
  const digest = scorecardDigest(input.scorecard);
  const release = signOff.release;
  const statement: TReadinessStatement = {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PREDICATE_TYPE,
    predicate: {
      system: {
        name: input.system.name,
        ...(input.system.environment ? { environment: input.system.environment } : {}),
      },
      release: { name: release.name, ...(release.targetDate ? { targetDate: release.targetDate } : {}) },
      approvedAt: approvedAt.toISOString(),
      issuedAt: input.issuedAt.toISOString(),
      snapshot: {
        id: input.snapshot.id,
        hash: input.snapshot.hash,
        takenAt: new Date(input.snapshot.takenAt).toISOString(),
        overallPct: input.snapshot.overallPct,
        gate: { minScorePct: input.gate.minScorePct, passed: input.gate.passed },
      },
      scorecard: digest === null ? null : { digest: { sha256: digest } },
      auditHead: { seq: auditHead.id, hash: auditHead.hash, chain: auditHead.chain },
      signOffs,
    },
  };
  // The verifier's own check: a statement it would refuse is not issued (an unexpected id or hash from storage).
  const wrong = checkStatement(statement);
  return wrong ? { ok: false, reason: `the statement would not verify: ${wrong.message}` } : { ok: true, statement };
}
