import { z } from "zod";
import { fail, failFields, type TFailure } from "../result";
import { appendAudit } from "../../audit/append";
import type { TAuditActor } from "../../audit/chain";
import type { PrismaClient } from "../../generated/prisma/client";
import { fieldErrors, insertUser, ZEmail, ZName, ZPassword } from "./schema";

const ZInput = z.strictObject({ email: ZEmail, name: ZName, password: ZPassword });

export type TCreateFirstAdminResult = { ok: true; user: { id: string; email: string } } | TFailure;

/**
 * The first admin: by the one-time setup page or `npm run user:create -- --admin`. The setup page works only
 * while there are no users at all; the check and the insert happen under one lock, so two racing requests
 * cannot both create one.
 */
export async function createFirstAdmin(
  prisma: PrismaClient,
  input: unknown,
  by: TAuditActor,
  options: { onlyIfNoUsers: boolean },
): Promise<TCreateFirstAdminResult> {
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return failFields(422, errors);
  }
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('preflight.first_admin'))`;
    if (options.onlyIfNoUsers && (await tx.user.count()) > 0) {
      return fail(409, "setup is done: an administrator already exists; sign in instead");
    }
    if (await tx.user.findUnique({ where: { email: parsed.data.email } })) {
      return failFields(
        409,
        { email: ["already in use"] },
        `a user with the email ${parsed.data.email} already exists`,
      );
    }
    const user = await insertUser(tx, { ...parsed.data, role: "admin", signOffRoles: [] });
    await appendAudit(tx, {
      actor: by,
      action: "user.create_admin",
      entityType: "user",
      entityId: user.id,
      after: user,
    });
    return { ok: true as const, user };
  });
}
