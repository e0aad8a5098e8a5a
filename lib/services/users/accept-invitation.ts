import { z } from "zod";
import { appendAudit } from "../../audit/append";
import type { Prisma, PrismaClient } from "../../generated/prisma/client";
import { getInvitationByToken, hashInviteToken } from "../../queries/invitations";
import { fail, failFields, ok, ServiceError, zodFieldErrors, type TFailure, type TResult } from "../result";
import { insertUser, ZPassword } from "./schema";

const ZInput = z.strictObject({ token: z.string().min(1), password: ZPassword });

/** Why a link that claimed nothing does not work, as the invitee should read it. */
async function whyNotOpen(tx: Prisma.TransactionClient, token: string, now: Date): Promise<TFailure> {
  const invitation = await getInvitationByToken(tx, token, now);
  switch (invitation?.state) {
    case undefined:
      return fail(404, "this invitation link is not valid: ask an admin for a new one");
    case "accepted":
      return fail(409, "this invitation was already used: sign in instead");
    case "revoked":
      return fail(409, "this invitation was revoked by an admin: ask an admin for a new one");
    case "replaced":
      return fail(
        409,
        "this invitation was replaced by a newer one: use the latest link, or ask an admin for a new one",
      );
    case "expired":
      return fail(409, "this invitation has expired: ask an admin for a new one");
    case "open":
      return fail(409, "this invitation changed meanwhile: open the link again");
  }
}

/**
 * The invited person sets a password: the account exists from then on, with the role the admin chose. The
 * invitation is claimed by one conditional UPDATE that only an open invitation matches; a revocation or a second
 * acceptance racing it waits on the row's lock, then matches nothing: exactly one of them wins.
 */
export async function acceptInvitation(
  prisma: PrismaClient,
  input: unknown,
  now = new Date(),
): Promise<TResult<{ email: string }>> {
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) return failFields(422, zodFieldErrors(parsed.error));
  const { token, password } = parsed.data;
  try {
    return await prisma.$transaction(async (tx) => {
      const tokenHash = hashInviteToken(token);
      const claimed = await tx.invitation.updateMany({
        where: { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { acceptedAt: now },
      });
      if (claimed.count !== 1) return whyNotOpen(tx, token, now);
      const invitation = await tx.invitation.findUniqueOrThrow({ where: { tokenHash } });
      // Thrown, not returned: the claim above must roll back with it.
      if (await tx.user.findUnique({ where: { email: invitation.email } }))
        throw new ServiceError(fail(409, "this email already has an account: sign in instead"));
      const user = await insertUser(tx, {
        email: invitation.email,
        name: invitation.name,
        role: invitation.role,
        password,
        signOffRoles: invitation.signOffRoles,
      });
      await appendAudit(
        tx,
        {
          actor: { type: "user", id: user.id, name: `${user.name} <${user.email}>` },
          action: "user.accept_invitation",
          entityType: "user",
          entityId: user.id,
          after: { ...user, signOffRoles: invitation.signOffRoles },
        },
        now,
      );
      return ok({ email: user.email });
    });
  } catch (error) {
    if (error instanceof ServiceError) return error.failure;
    throw error;
  }
}
