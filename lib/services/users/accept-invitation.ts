import { z } from "zod";
import { appendAudit } from "../../audit/append";
import type { PrismaClient } from "../../generated/prisma/client";
import { hashInviteToken } from "./invite-user";
import { describeFieldErrors, fieldErrors, insertUser, ZPassword } from "./schema";

const ZInput = z.strictObject({ token: z.string().min(1), password: ZPassword });

export type TAcceptResult = { ok: true; email: string } | { ok: false; status: 400 | 404 | 410; error: string; fieldErrors?: Record<string, string[]> };

/** Looks an invitation up by its link, for the page that shows whom it is for. */
export async function findOpenInvitation(prisma: PrismaClient, token: string, now = new Date()) {
  const invitation = await prisma.invitation.findUnique({ where: { tokenHash: hashInviteToken(token) } });
  if (!invitation || invitation.revokedAt) return null;
  return { email: invitation.email, name: invitation.name, role: invitation.role, expired: invitation.expiresAt <= now, accepted: invitation.acceptedAt !== null };
}

/** The invited person sets a password: the account exists from then on, with the role the admin chose. */
export async function acceptInvitation(prisma: PrismaClient, input: unknown, now = new Date()): Promise<TAcceptResult> {
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return { ok: false, status: 400, error: describeFieldErrors(errors), fieldErrors: errors };
  }
  return prisma.$transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { tokenHash: hashInviteToken(parsed.data.token) } });
    if (!invitation || invitation.revokedAt) return { ok: false as const, status: 404 as const, error: "this invitation link is not valid: ask an admin for a new one" };
    if (invitation.acceptedAt) return { ok: false as const, status: 410 as const, error: "this invitation was already used: sign in instead" };
    if (invitation.expiresAt <= now) return { ok: false as const, status: 410 as const, error: "this invitation has expired: ask an admin for a new one" };
    if (await tx.user.findUnique({ where: { email: invitation.email } })) return { ok: false as const, status: 410 as const, error: "this email already has an account: sign in instead" };
    const user = await insertUser(tx, { email: invitation.email, name: invitation.name, role: invitation.role, password: parsed.data.password, signOffRoles: invitation.signOffRoles });
    await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: now } });
    await appendAudit(tx, { actor: { type: "user", id: user.id, name: `${user.name} <${user.email}>` }, action: "user.accept_invitation", entityType: "user", entityId: user.id, after: { ...user, signOffRoles: invitation.signOffRoles } }, now);
    return { ok: true as const, email: user.email };
  });
}
