import { z } from "zod";
import { fail, failFields } from "../result";
import { auditActor, refuse, type TActor, type TRefusal } from "../../auth/actor";
import { can } from "../../auth/permissions";
import { appendAudit } from "../../audit/append";
import { announceAccessChange } from "../../events/access";
import type { TConfig } from "../../config/schema";
import type { PrismaClient } from "../../generated/prisma/client";
import { checkSignOffRoles, fieldErrors, ZRole } from "./schema";

const ZInput = z.strictObject({
  userId: z.string().min(1),
  role: ZRole,
  signOffRoles: z.array(z.string()).default([]),
  disabled: z.boolean().default(false),
});

/** An admin changes a person's role and sign-off roles, or disables them (their sessions end at once). */
export async function updateUser(
  deps: { prisma: PrismaClient; config: TConfig },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<{ ok: true } | TRefusal> {
  if (!actor || !can(actor.role, "users:manage")) return refuse(actor, "change users");
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return failFields(422, errors);
  }
  const { userId, role, signOffRoles, disabled } = parsed.data;
  const rolesError = checkSignOffRoles(deps.config, role, signOffRoles);
  if (rolesError) return failFields(422, { signOffRoles: [rolesError] }, rolesError);
  const result = await deps.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preflight.users'))`;
    const user = await tx.user.findUnique({ where: { id: userId }, include: { signOffRoles: true } });
    if (!user) return fail(404, "no such user");
    const before = {
      role: user.role,
      signOffRoles: user.signOffRoles.map((r) => r.role).sort(),
      disabled: user.disabledAt !== null,
    };
    const after = { role, signOffRoles: [...new Set(signOffRoles)].sort(), disabled };
    // Someone must be left to manage users.
    if (before.role === "admin" && !before.disabled && (after.role !== "admin" || after.disabled)) {
      const admins = await tx.user.count({ where: { role: "admin", disabledAt: null } });
      if (admins <= 1) return fail(409, "this is the last active admin: make someone else admin first");
    }
    await tx.user.update({
      where: { id: userId },
      data: { role, disabledAt: disabled ? (user.disabledAt ?? now) : null },
    });
    await tx.signOffRoleAssignment.deleteMany({ where: { userId } });
    if (after.signOffRoles.length > 0)
      await tx.signOffRoleAssignment.createMany({ data: after.signOffRoles.map((r) => ({ userId, role: r })) });
    if (disabled) await tx.session.deleteMany({ where: { userId } });
    await appendAudit(
      tx,
      { actor: auditActor(actor), action: "user.update", entityType: "user", entityId: userId, before, after },
      now,
    );
    return { ok: true as const };
  });
  // Committed: the person's open event streams ask again now, and end.
  if (result.ok && disabled) await announceAccessChange(userId);
  return result;
}
