import { randomBytes } from "node:crypto";
import { z } from "zod";
import { auditActor, type TActor } from "../../auth/actor";
import { can } from "../../auth/permissions";
import { appendAudit } from "../../audit/append";
import type { TConfig } from "../../config/schema";
import type { PrismaClient } from "../../generated/prisma/client";
import type { TPublicBase } from "../../public-url";
import { hashInviteToken } from "../../queries/invitations";
import { fail, failFields, ok, zodFieldErrors, type TResult } from "../result";
import { checkSignOffRoles, ZEmail, ZName, ZRole } from "./schema";

const INVITE_DAYS = 7;

const ZInput = z.strictObject({
  email: ZEmail,
  name: ZName,
  role: ZRole,
  signOffRoles: z.array(z.string()).default([]),
});

export type TInvitation = { link: string; token: string; invitationId: string; expiresAt: Date };

/**
 * An admin invites a person: a one-time link (valid 7 days, only its hash stored) where they choose a password.
 * Preflight sends no email; the admin passes the link on. The link carries the public address (lib/public-url.ts);
 * with none known, no invitation is made: a link to the wrong address is worse than none.
 */
export async function inviteUser(
  deps: { prisma: PrismaClient; config: TConfig; publicBase: TPublicBase },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TResult<TInvitation>> {
  if (!actor) return fail(401, "sign in to invite users");
  if (!can(actor.role, "users:manage")) return fail(403, `${actor.role}s may not invite users`);
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) return failFields(422, zodFieldErrors(parsed.error));
  const { email, name, role, signOffRoles } = parsed.data;
  const rolesError = checkSignOffRoles(deps.config, role, signOffRoles);
  if (rolesError) return fail(422, rolesError, "signOffRoles");
  if (!deps.publicBase.ok) return fail(409, deps.publicBase.message);
  const base = deps.publicBase.url;
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 86_400_000);
  return deps.prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email } }))
      return failFields(409, { email: ["already has an account"] }, `${email} already has an account`);
    // A new invitation replaces any open one for the same address.
    await tx.invitation.updateMany({ where: { email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const invitation = await tx.invitation.create({
      data: {
        email,
        name,
        role,
        signOffRoles,
        tokenHash: hashInviteToken(token),
        expiresAt,
        createdBy: actor.id,
        createdAt: now,
      },
    });
    await appendAudit(
      tx,
      {
        actor: auditActor(actor),
        action: "user.invite",
        entityType: "invitation",
        entityId: invitation.id,
        after: { email, name, role, signOffRoles, expiresAt },
      },
      now,
    );
    return ok({ link: `${base}/invite/${token}`, token, invitationId: invitation.id, expiresAt });
  });
}
