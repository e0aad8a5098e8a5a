import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { auditActor, refuse, type TActor, type TRefusal } from "../../auth/actor";
import { can } from "../../auth/permissions";
import { appendAudit } from "../../audit/append";
import type { TConfig } from "../../config/schema";
import type { PrismaClient } from "../../generated/prisma/client";
import { checkSignOffRoles, describeFieldErrors, fieldErrors, ZEmail, ZName, ZRole } from "./schema";

const INVITE_DAYS = 7;

const ZInput = z.strictObject({ email: ZEmail, name: ZName, role: ZRole, signOffRoles: z.array(z.string()).default([]) });

export const hashInviteToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

/**
 * An admin invites a person: a one-time link (valid 7 days, only its hash stored) where they choose a password.
 * Preflight sends no email; the admin passes the link on.
 */
export async function inviteUser(
  deps: { prisma: PrismaClient; config: TConfig },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<{ ok: true; token: string; invitationId: string; expiresAt: Date } | TRefusal> {
  if (!actor || !can(actor.role, "users:manage")) return refuse(actor, "invite users");
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return { ok: false, status: 400, error: describeFieldErrors(errors), fieldErrors: errors };
  }
  const { email, name, role, signOffRoles } = parsed.data;
  const rolesError = checkSignOffRoles(deps.config, role, signOffRoles);
  if (rolesError) return { ok: false, status: 400, error: rolesError, fieldErrors: { signOffRoles: [rolesError] } };
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITE_DAYS * 86_400_000);
  return deps.prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email } })) {
      return { ok: false as const, status: 409 as const, error: `${email} already has an account`, fieldErrors: { email: ["already has an account"] } };
    }
    // A new invitation replaces any open one for the same address.
    await tx.invitation.updateMany({ where: { email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const invitation = await tx.invitation.create({ data: { email, name, role, signOffRoles, tokenHash: hashInviteToken(token), expiresAt, createdBy: actor.id, createdAt: now } });
    await appendAudit(tx, { actor: auditActor(actor), action: "user.invite", entityType: "invitation", entityId: invitation.id, after: { email, name, role, signOffRoles, expiresAt } }, now);
    return { ok: true as const, token, invitationId: invitation.id, expiresAt };
  });
}
