import { randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { ROLES } from "../../auth/permissions";
import type { TConfig } from "../../config/schema";
import type { Prisma } from "../../generated/prisma/client";

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "expected an email address" }))
  .pipe(z.string().max(254));
export const ZName = z
  .string()
  .trim()
  .min(1, { error: "expected a name" })
  .max(100, { error: "expected at most 100 characters" })
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(name), {
    error: "expected a name without control or direction characters",
  });
export const ZPassword = z
  .string()
  .min(12, { error: "expected at least 12 characters" })
  .max(256, { error: "expected at most 256 characters" });
export const ZRole = z.enum(ROLES, { error: `expected one of ${ROLES.join(", ")}` });

/** Sign-off roles must be declared in the configuration and go to approvers only. */
export function checkSignOffRoles(config: TConfig, role: string, signOffRoles: string[]): string | null {
  const known = new Set(config.signoff?.roles.map((r) => r.id) ?? []);
  const unknown = signOffRoles.filter((r) => !known.has(r));
  if (unknown.length > 0) return `no sign-off role ${unknown.map((r) => `"${r}"`).join(", ")} in the configuration`;
  if (signOffRoles.length > 0 && role !== "approver") return "only approvers hold sign-off roles";
  return null;
}

/** A user who signs in with email and password, as better-auth stores one (a "credential" account, scrypt hash). */
export async function insertUser(
  tx: Prisma.TransactionClient,
  input: { email: string; name: string; role: string; password: string; signOffRoles: string[] },
): Promise<{ id: string; email: string; name: string; role: string }> {
  const id = randomUUID();
  const password = await hashPassword(input.password);
  const user = await tx.user.create({
    data: { id, email: input.email, name: input.name, role: input.role, emailVerified: true },
  });
  await tx.account.create({
    data: { id: randomUUID(), accountId: id, providerId: "credential", userId: id, password },
  });
  if (input.signOffRoles.length > 0)
    await tx.signOffRoleAssignment.createMany({ data: input.signOffRoles.map((role) => ({ userId: id, role })) });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) (out[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return out;
}

/** One summary line of field errors: the one helper, in lib/services/result.ts. */
export { describeFieldErrors } from "../result";
