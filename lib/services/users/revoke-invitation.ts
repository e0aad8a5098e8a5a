import { z } from "zod";
import { auditActor, type TActor } from "../../auth/actor";
import { can } from "../../auth/permissions";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import { fail, failFields, ok, zodFieldErrors, type TResult } from "../result";

const ZInput = z.strictObject({ invitationId: z.uuid({ error: "expected an invitation id" }) });

/**
 * An admin withdraws an invitation that was not accepted yet: its link stops working at once and says so. One
 * conditional UPDATE decides, so an acceptance racing it either wins before (then this refuses) or loses.
 */
export async function revokeInvitation(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TResult<{ email: string }>> {
  if (!actor) return fail(401, "sign in to revoke invitations");
  if (!can(actor.role, "users:manage")) return fail(403, `${actor.role}s may not revoke invitations`);
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) return failFields(422, zodFieldErrors(parsed.error));
  const { invitationId } = parsed.data;
  return deps.prisma.$transaction(async (tx) => {
    const revoked = await tx.invitation.updateMany({
      where: { id: invitationId, acceptedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const invitation = await tx.invitation.findUnique({ where: { id: invitationId } });
    if (!invitation) return fail(404, "no such invitation");
    if (revoked.count !== 1) {
      return invitation.acceptedAt
        ? fail(409, `${invitation.email} has already accepted this invitation: disable the account instead`)
        : fail(409, `the invitation of ${invitation.email} was already revoked or replaced`);
    }
    const before = {
      email: invitation.email,
      name: invitation.name,
      role: invitation.role,
      signOffRoles: invitation.signOffRoles,
      expiresAt: invitation.expiresAt,
    };
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "user.revoke_invitation",
        entityType: "invitation",
        entityId: invitation.id,
        before,
        after: { ...before, revokedAt: now },
      },
      now,
    );
    return ok({ email: invitation.email });
  });
}
