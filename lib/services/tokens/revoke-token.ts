import { z } from "zod";
import { fail, failFields } from "../result";
import { auditActor, refuse, type TActor, type TRefusal } from "../../auth/actor";
import { can } from "../../auth/permissions";
import type { PrismaClient } from "../../generated/prisma/client";
import { revokeToken, TokenError, type TTokenRow } from "../../tokens/store";
import { fieldErrors } from "../users/schema";

const ZInput = z.strictObject({ name: z.string().min(1, { error: "expected the token's name" }) });

export type TRevokeTokenResult = { ok: true; row: TTokenRow } | TRefusal;

/** An admin revokes an API token: requests bearing it are refused (401) from then on. */
export async function revokeApiToken(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
  now = new Date(),
): Promise<TRevokeTokenResult> {
  if (!actor || !can(actor.role, "tokens:manage")) return refuse(actor, "manage API tokens");
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return failFields(422, errors);
  }
  // The store answers a second revocation with the row as it was, writing nothing: say so rather than claim success.
  const existing = await deps.prisma.apiToken.findUnique({
    where: { name: parsed.data.name },
    select: { revokedAt: true },
  });
  if (existing?.revokedAt)
    return fail(409, `the token "${parsed.data.name}" was already revoked at ${existing.revokedAt.toISOString()}`);
  try {
    return { ok: true, row: await revokeToken(deps.prisma, parsed.data.name, now, auditActor(actor)) };
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    return fail(error.status, error.message);
  }
}
