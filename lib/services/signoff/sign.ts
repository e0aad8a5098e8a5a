import { z } from "zod";
import { fail, failFields } from "../result";
import { keptText } from "../text";
import { auditActor, refuse, type TActor, type TRefusal } from "../../auth/actor";
import { can } from "../../auth/permissions";
import { appendAudit } from "../../audit/append";
import type { TConfig } from "../../config/schema";
import type { PrismaClient } from "../../generated/prisma/client";
import { formatPercent, formatScore } from "../../format";
import { conflictingRole, type TDecision, type TSignOffRecord } from "../../signoff/status";
import { fieldErrors } from "../users/schema";

const ZInput = z
  .strictObject({
    role: z.string().min(1, { error: "expected the sign-off role" }),
    decision: z.enum(["approve", "ready", "reject"], { error: "expected approve, ready or reject" }),
    comment: keptText(z.string().trim().max(2000, { error: "expected at most 2000 characters" })).default(""),
    /** The snapshot the signer was shown: the sign-off binds to it, and only if it is still the current one. */
    snapshotHash: z.string().regex(/^[0-9a-f]{64}$/, { error: "expected the hash of the readiness snapshot shown" }),
    /**
     * "1" (or true): the signer saw the gate closed or the critical blockers and approves anyway. Required to
     * approve such a snapshot; the form sends it only from its confirmation.
     */
    confirmedBelowGate: z
      .union([z.boolean(), z.enum(["", "0", "1"])], {
        error: 'expected "1" to confirm approving below the gate, or nothing',
      })
      .optional()
      .transform((v) => v === true || v === "1"),
  })
  .refine((i) => i.decision !== "reject" || i.comment.length > 0, {
    error: "a rejection needs a comment saying why",
    path: ["comment"],
  });

export type TSignResult =
  | { ok: true; id: string; snapshotHash: string; decision: TDecision; comment: string; signedAt: Date }
  | TRefusal;

/**
 * An approver signs one of their sign-off roles for the current release, against the readiness snapshot they saw.
 * Refused when they do not hold the role, when the snapshot is no longer the latest (readiness changed while they
 * read), or, with separation of duties, when their current sign-off for the release is for another role. Approving
 * a snapshot whose score is below the gate or that has critical blockers needs `confirmedBelowGate` ("1"): the
 * page asks in a confirmation that lists them, and a request without it is refused, storing nothing.
 */
export async function signOff(
  deps: { prisma: PrismaClient; config: TConfig },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TSignResult> {
  if (!actor || !can(actor.role, "signoff:sign")) return refuse(actor, "sign off");
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return failFields(422, errors);
  }
  const { role, decision, comment, snapshotHash, confirmedBelowGate } = parsed.data;
  const signoff = deps.config.signoff;
  const release = deps.config.system.release;
  if (!signoff || !release)
    return fail(
      409,
      "no release or sign-off roles are configured (system.release and signoff in preflight.config.yaml)",
    );
  const roleConfig = signoff.roles.find((r) => r.id === role);
  if (!roleConfig) return failFields(422, { role: ["unknown role"] }, `no sign-off role "${role}"`);
  if (!actor.signOffRoles.includes(role)) return fail(403, `you do not hold the ${roleConfig.name} sign-off role`);

  return deps.prisma.$transaction(async (tx) => {
    // One signature at a time per release: separation of duties reads what the others wrote.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`preflight.signoff:${release.name}`}))`;
    const snapshot = await tx.readinessSnapshot.findFirst({ orderBy: { takenAt: "desc" } });
    if (!snapshot) return fail(409, "readiness has not been evaluated yet: reload in a minute");
    if (snapshot.hash !== snapshotHash) {
      return fail(
        409,
        "readiness changed while you were reading: review the current score and blockers, then sign again",
      );
    }
    const gateMinPct = deps.config.scorecard?.gate.minScorePct ?? 90;
    const belowGate = snapshot.overallPct === null || snapshot.overallPct < gateMinPct;
    if (decision === "approve" && (belowGate || snapshot.blockers > 0) && !confirmedBelowGate) {
      const what = [
        belowGate
          ? snapshot.overallPct === null
            ? `nothing is scored yet against a gate of ${formatPercent(gateMinPct)}`
            : `the score is ${formatScore(snapshot.overallPct)} against a gate of ${formatPercent(gateMinPct)}`
          : null,
        snapshot.blockers > 0
          ? `${snapshot.blockers} critical blocker${snapshot.blockers === 1 ? "" : "s"} remain${snapshot.blockers === 1 ? "s" : ""}`
          : null,
      ].filter(Boolean);
      return fail(
        422,
        `approving needs an explicit confirmation: ${what.join(" and ")}; confirm that you approve anyway (confirmedBelowGate=1)`,
        "confirmedBelowGate",
      );
    }
    if (signoff.separationOfDuties) {
      const rows = await tx.signOff.findMany({
        where: { release: release.name },
        orderBy: [{ signedAt: "desc" }, { id: "desc" }],
      });
      const latest = new Map<string, TSignOffRecord>();
      for (const r of rows) {
        if (!latest.has(r.role))
          latest.set(r.role, {
            role: r.role,
            userId: r.userId,
            userName: r.userName,
            userEmail: r.userEmail,
            decision: r.decision,
            comment: r.comment,
            signedAt: r.signedAt,
            snapshot: { id: "", hash: "", takenAt: r.signedAt, overallPct: null, criticalFailed: 0 },
          });
      }
      const other = conflictingRole(latest, actor.id, role);
      if (other) {
        const name = signoff.roles.find((r) => r.id === other)?.name ?? other;
        return fail(
          409,
          `separation of duties: you already signed as ${name} for ${release.name}; one person signs one role`,
        );
      }
    }
    const row = await tx.signOff.create({
      data: {
        release: release.name,
        role,
        userId: actor.id,
        userName: actor.name,
        userEmail: actor.email,
        decision,
        comment,
        snapshotId: snapshot.id,
        snapshotHash: snapshot.hash,
        scorePct: snapshot.overallPct,
        signedAt: now,
      },
    });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "signoff.sign",
        entityType: "signoff",
        entityId: String(row.id),
        after: {
          release: release.name,
          role,
          decision,
          comment,
          snapshotHash: snapshot.hash,
          scorePct: snapshot.overallPct,
          ...(decision === "approve" && confirmedBelowGate ? { confirmedBelowGate: true } : {}),
        },
      },
      now,
    );
    return {
      ok: true as const,
      id: String(row.id),
      snapshotHash: snapshot.hash,
      decision: row.decision,
      comment: row.comment,
      signedAt: row.signedAt,
    };
  });
}
