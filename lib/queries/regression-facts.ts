import type { TCheck } from "../config/scorecard-schema";
import { formatDuration } from "../config/duration";
import { formatTime } from "../format";
import type { PrismaClient } from "../generated/prisma/client";
import type { ReadinessFacts } from "../readiness/facts";
import { getLatencyHistogram } from "../stats/read";
import { judgeRegression } from "../stats/regression";

type TRegressionCheck = Extract<TCheck, { kind: "regression" }>;

/**
 * Each regression check's comparison: the component's probe latency over the last `window` against the same length
 * of window ending when the latest approval was signed (any release), both from the stored histograms. No approval
 * yet: nothing to compare with, said as such (the check is pending, never passed).
 */
export async function gatherRegressions(
  prisma: PrismaClient,
  checks: TRegressionCheck[],
  now: Date,
): Promise<ReadinessFacts["regressions"]> {
  const facts: ReadinessFacts["regressions"] = {};
  if (checks.length === 0) return facts;
  const signed = await prisma.signOff.findFirst({
    where: { decision: { in: ["approve", "ready"] } },
    orderBy: { signedAt: "desc" },
    select: { signedAt: true, release: true },
  });
  for (const check of checks) {
    if (!signed) {
      facts[check.id] = { reason: "no release has been signed yet: nothing to compare the latency with" };
      continue;
    }
    const baselineEnd = signed.signedAt;
    const [baseline, current] = await Promise.all([
      getLatencyHistogram(
        { prisma },
        { componentId: check.component, from: new Date(baselineEnd.getTime() - check.window), to: baselineEnd },
      ),
      getLatencyHistogram(
        { prisma },
        { componentId: check.component, from: new Date(now.getTime() - check.window), to: now },
      ),
    ]);
    facts[check.id] = {
      judgement: judgeRegression(baseline, current, {
        alpha: check.alpha,
        minEffect: check.minEffect,
        minSamples: check.minSamples,
      }),
      baseline: `the ${formatDuration(check.window)} before ${signed.release} was signed (${formatTime(baselineEnd)})`,
      current: `the last ${formatDuration(check.window)}`,
    };
  }
  return facts;
}
