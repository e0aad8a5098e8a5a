import { z } from "zod";
import { fail, failFields } from "../result";
import { auditActor, refuse, type TActor, type TRefusal } from "../../auth/actor";
import { can } from "../../auth/permissions";
import type { PrismaClient } from "../../generated/prisma/client";
import { createToken, TokenError, type TTokenRow } from "../../tokens/store";
import { SCOPES } from "../../tokens/token";
import { fieldErrors } from "../users/schema";

const ZInput = z.strictObject({
  // The store checks the characters allowed (and says which); the length is checked here for the form.
  name: z.string().trim().min(1, { error: "expected a name" }).max(64, { error: "expected at most 64 characters" }),
  scopes: z
    .array(z.enum(SCOPES, { error: `expected one of ${SCOPES.join(", ")}` }))
    .min(1, { error: "choose at least one scope" }),
});

export type TCreateTokenResult = { ok: true; token: string; row: TTokenRow } | TRefusal;

/** An admin creates an API token. The token is in the answer, the only time it exists in clear. */
export async function createApiToken(
  deps: { prisma: PrismaClient },
  actor: TActor | null,
  input: unknown,
): Promise<TCreateTokenResult> {
  if (!actor || !can(actor.role, "tokens:manage")) return refuse(actor, "manage API tokens");
  const parsed = ZInput.safeParse(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return failFields(422, errors);
  }
  try {
    const { token, row } = await createToken(
      deps.prisma,
      { name: parsed.data.name, scopes: [...new Set(parsed.data.scopes)], createdBy: actor.email },
      auditActor(actor),
    );
    return { ok: true, token, row };
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    return error.field
      ? failFields(error.status, { [error.field]: [error.message] }, error.message)
      : fail(error.status, error.message);
  }
}
