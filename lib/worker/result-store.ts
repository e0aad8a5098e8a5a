import type { TComponent } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import { effectiveStatus, nextComponentState, type ComponentStateSnapshot } from "../monitor/status";
import type { ProbeOutcome } from "../probes/types";
import { redactSecrets } from "../redact";

type Known = ComponentStateSnapshot & { lastCheckedAt: Date | null };

/**
 * Stores each probe result (raw history) and folds it into the component's latest state, in one
 * transaction. This process is the only writer of a component's state while it holds the schedule, so the
 * previous state is kept in memory and read from the database once.
 */
export function createResultStore(options: { prisma: PrismaClient; workerId: string; secrets: Set<string> }) {
  const { prisma, workerId, secrets } = options;
  const known = new Map<string, Known>();
  let loaded = false;

  const load = async () => {
    const rows = await prisma.componentState.findMany();
    for (const row of rows) known.set(row.componentId, { ...row });
    loaded = true;
  };

  return {
    async record(component: TComponent, outcome: ProbeOutcome, checkedAt: Date): Promise<ComponentStateSnapshot> {
      if (!loaded) await load();
      const stored = known.get(component.id) ?? null;
      // After a gap (worker stopped, component new) the old status says nothing; start a fresh "since".
      const previous = stored && effectiveStatus(stored, component.interval, checkedAt) !== "unknown" ? stored : null;
      const next = nextComponentState(previous, outcome, checkedAt, component.degradedAfter);
      const error = outcome.error === null ? null : redactSecrets(outcome.error, secrets).slice(0, 1_000);
      const detail = outcome.detail === null ? null : redactSecrets(outcome.detail, secrets).slice(0, 200);
      const state = {
        status: next.status,
        since: next.since,
        lastCheckedAt: checkedAt,
        lastLatencyMs: outcome.latencyMs,
        lastDetail: detail,
        lastError: error,
        consecutiveFailures: next.consecutiveFailures,
        consecutiveSuccesses: next.consecutiveSuccesses,
      };
      await prisma.$transaction([
        prisma.probeResult.create({
          data: { componentId: component.id, checkedAt, ok: outcome.ok, latencyMs: outcome.latencyMs, detail, error, workerId },
        }),
        prisma.componentState.upsert({
          where: { componentId: component.id },
          create: { componentId: component.id, ...state },
          update: state,
        }),
      ]);
      known.set(component.id, { ...next, lastCheckedAt: checkedAt });
      return next;
    },
  };
}
