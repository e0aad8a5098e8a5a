import type { TPostDeployment } from "../config/postdeploy-schema";
import type { TComponent, TConfig } from "../config/schema";
import { getLatencyStats } from "../history/latency";
import type { TQueryContext } from "../queries/context";
import { judgePostDeployment, type TComponentMeasurement, type TPostDeployVerdict } from "./judge";
import { watchSpan } from "./span";

// What the watched components' probes measured since a deployment, from the rollups (lib/history/latency.ts reads
// minute rows for windows up to two days, hour rows with minute edges beyond), never raw rows, one query per
// component, all at once. The span (lib/postdeploy/span.ts) is the one the judge uses: from the first whole minute
// after the deployment to now, or to the window's end once it is over.
//
// Two things this does not do, on purpose:
// - Maintenance windows are not left out. The rollups do not record them, and a planned outage right after a go-live
//   is exactly what post-deployment monitoring is for: the criteria hold over the whole window.
// - Verdicts are not stored here. Minute rollups are pruned after `history.minuteRollupRetention` (1 day at the
//   least), so a window read again long after it ended can lose its minute edges; the caller stores the verdict
//   once it is settled (judge.ts, SETTLE_MS) and shows the stored one from then on.

/** The components a deployment is watched on: those listed, in config order, or every component. */
export function watchedComponents(config: TConfig, settings: TPostDeployment): TComponent[] {
  const listed = settings.components;
  if (!listed) return config.components;
  // A listed id the configuration no longer has cannot be measured; the config loader reports it
  // (checkPostDeploymentReferences), so it is left out here rather than counted as a component without results.
  const wanted = new Set(listed);
  return config.components.filter((component) => wanted.has(component.id));
}

/** Per watched component: results, failures and P95 in the measured span, and the results its interval expects. */
export async function readPostDeploymentMeasurements(
  ctx: TQueryContext,
  args: { deployedAt: Date; settings: TPostDeployment },
): Promise<TComponentMeasurement[]> {
  const span = watchSpan(args.deployedAt, ctx.now, args.settings.window);
  return Promise.all(
    watchedComponents(ctx.config, args.settings).map(async (component): Promise<TComponentMeasurement> => {
      // Intervals are resolved by the loader (a component's own, else defaults.interval), as the scheduler uses them.
      const expectedChecks = span.elapsedMs / component.interval;
      if (span.elapsedMs <= 0) return { componentId: component.id, count: 0, failures: 0, p95Ms: null, expectedChecks };
      const stats = await getLatencyStats(ctx.prisma, component.id, span.start, span.to);
      return {
        componentId: component.id,
        count: stats.count,
        failures: stats.failures,
        p95Ms: stats.p95Ms,
        expectedChecks,
      };
    }),
  );
}

/**
 * The post-deployment verdict of a release deployed at `deployedAt` (null: not deployed), read at ctx.now with the
 * given settings (the configuration's `postDeployment:`).
 */
export async function getPostDeploymentVerdict(
  ctx: TQueryContext,
  args: { deployedAt: Date | null; settings: TPostDeployment },
): Promise<TPostDeployVerdict> {
  const { deployedAt, settings } = args;
  const measurements = deployedAt ? await readPostDeploymentMeasurements(ctx, { deployedAt, settings }) : [];
  return judgePostDeployment({ deployedAt, now: ctx.now, settings, measurements });
}
