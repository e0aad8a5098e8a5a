import { z } from "zod";
import { appendAudit } from "../../audit/append";
import type { TAuditActor } from "../../audit/chain";
import type { TConfig } from "../../config/schema";
import type { PrismaClient } from "../../generated/prisma/client";
import { fail, failFields, ok, zodFieldErrors, type TResult } from "../result";

const ZMarkDeployed = z.strictObject({
  /** When it went out (ISO 8601 with a zone); default now. Not in the future, not before a day ago. */
  deployedAt: z.iso.datetime({ offset: true, error: "expected an ISO 8601 time with a zone" }).optional(),
});

const DAY_MS = 86_400_000;

/**
 * Marks the current release deployed: from then its postDeployment criteria are watched. Once per release: the
 * same time again answers the row already stored; another time is a conflict (a watch is not restarted quietly).
 * Audited in the same transaction.
 */
export async function markDeployed(
  deps: { prisma: PrismaClient; config: TConfig },
  actor: TAuditActor,
  release: string,
  input: unknown,
  now = new Date(),
): Promise<TResult<{ release: string; deployedAt: Date; created: boolean }>> {
  const { prisma, config } = deps;
  const current = config.system.release?.name;
  if (!current) return fail(409, "the configuration names no release (system.release)");
  if (release !== current) return fail(404, `no release "${release.slice(0, 80)}": the current one is "${current}"`);
  if (!config.postDeployment)
    return fail(409, "postDeployment is not configured: nothing would be watched after the deployment");
  const parsed = ZMarkDeployed.safeParse(input ?? {});
  if (!parsed.success) return failFields(422, zodFieldErrors(parsed.error));
  const deployedAt = parsed.data.deployedAt ? new Date(parsed.data.deployedAt) : now;
  if (deployedAt.getTime() > now.getTime() + 60_000) return fail(422, "deployedAt is in the future", "deployedAt");
  if (deployedAt.getTime() < now.getTime() - DAY_MS)
    return fail(422, "deployedAt is more than a day ago: mark a deployment when it happens", "deployedAt");
  return prisma.$transaction(async (tx) => {
    const existing = await tx.releaseDeployment.findUnique({ where: { release } });
    if (existing) {
      if (existing.deployedAt.getTime() === deployedAt.getTime() || !parsed.data.deployedAt)
        return ok({ release, deployedAt: existing.deployedAt, created: false });
      return fail(409, `${release} was already marked deployed at ${existing.deployedAt.toISOString()}`, "deployedAt");
    }
    const row = await tx.releaseDeployment.create({
      data: { release, deployedAt, by: actor.name, source: actor.type },
    });
    await appendAudit(
      tx,
      {
        actor,
        action: "release.deployed",
        entityType: "release_deployment",
        entityId: String(row.id),
        after: { release, deployedAt: deployedAt.toISOString() },
      },
      now,
    );
    return ok({ release, deployedAt, created: true });
  });
}
