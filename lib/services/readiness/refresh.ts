import { evaluateLive, type TReadinessDeps, type TReadinessView } from "../../queries/readiness";
import { recordSnapshot, type SnapshotRow } from "../../readiness/snapshot";

/** Evaluates readiness now and stores a snapshot if anything a sign-off depends on changed (or an hour passed). */
export async function refreshReadiness(
  deps: TReadinessDeps,
  now = new Date(),
): Promise<TReadinessView & { snapshot: SnapshotRow | null; stored: boolean }> {
  const view = await evaluateLive(deps, now);
  if (!view.configured) return { ...view, snapshot: null, stored: false };
  const { snapshot, stored } = await recordSnapshot(deps.prisma, view.result, now);
  return { ...view, snapshot, stored };
}
