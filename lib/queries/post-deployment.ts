import type { Prisma } from "../generated/prisma/client";
import { getPostDeploymentVerdict } from "../postdeploy/read";
import type { TPostDeployVerdict } from "../postdeploy/judge";
import type { TQueryContext } from "./context";

export type TPostDeploymentView =
  | { configured: false }
  | {
      configured: true;
      release: string | null;
      deployedAt: string | null;
      by: string | null;
      verdict: TPostDeployVerdict;
      /** The verdict was frozen when the window settled (the minute rollups it read are pruned later). */
      frozen: boolean;
    };

/**
 * The post-deployment watch of the current release: live while its window runs, frozen once settled. Pages, the
 * readiness API and the report all read it here. The first read after the window settles stores the verdict
 * (once: a conditional update), so a later read, after the minute rollups are pruned, shows the same figures.
 */
export async function getPostDeployment(ctx: TQueryContext): Promise<TPostDeploymentView> {
  const settings = ctx.config.postDeployment;
  if (!settings) return { configured: false };
  const release = ctx.config.system.release?.name ?? null;
  const row = release ? await ctx.prisma.releaseDeployment.findUnique({ where: { release } }) : null;
  if (row?.verdict && row.figures)
    return {
      configured: true,
      release,
      deployedAt: row.deployedAt.toISOString(),
      by: row.by,
      verdict: row.figures as unknown as TPostDeployVerdict,
      frozen: true,
    };
  const verdict = await getPostDeploymentVerdict(ctx, { deployedAt: row?.deployedAt ?? null, settings });
  if (row && verdict.settled && (verdict.state === "passed" || verdict.state === "failed")) {
    await ctx.prisma.releaseDeployment.updateMany({
      where: { id: row.id, verdict: null },
      data: {
        verdict: verdict.state,
        verdictAt: ctx.now,
        figures: JSON.parse(JSON.stringify(verdict)) as Prisma.InputJsonValue,
      },
    });
  }
  return {
    configured: true,
    release,
    deployedAt: row?.deployedAt.toISOString() ?? null,
    by: row?.by ?? null,
    verdict,
    frozen: false,
  };
}
