import type { Logger } from "pino";
import type { TComponent } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import { STALE_AFTER_INTERVALS } from "../monitor/status";
import { nextSlotAt } from "./scheduler";

/**
 * Slots to probe now for components this worker has just taken: for each, its latest slot, when nobody stored a
 * result for it and one of the three slots before has one (the last owner was probing it, then died or handed it
 * over; a killed owner's last result may have died in its write buffer). A component with no result that recent was
 * not being probed (a fresh start, or one after a gap that reads as unknown anyway): the grid takes it from its next
 * slot. When the database cannot say, every latest slot is probed: a duplicate is better than a missed slot.
 */
export async function slotsToCatchUp(
  prisma: PrismaClient,
  components: TComponent[],
  nowMs: number,
  logger: Logger,
): Promise<{ component: TComponent; slotAt: number }[]> {
  const due = components.map((component) => ({
    component,
    slotAt: nextSlotAt(component.id, component.interval, nowMs) - component.interval,
  }));
  if (due.length === 0) return [];
  try {
    const rows = await prisma.$queryRawUnsafe<{ id: string; last: Date }[]>(
      `SELECT x.c AS id, max(r."checked_at") AS last
       FROM unnest($1::text[], $2::timestamptz[]) AS x(c, since)
       JOIN "probe_result" r ON r."component_id" = x.c AND r."checked_at" >= x.since
       GROUP BY x.c`,
      due.map((d) => d.component.id),
      due.map((d) => new Date(d.slotAt - STALE_AFTER_INTERVALS * d.component.interval).toISOString()),
    );
    const last = new Map(rows.map((r) => [r.id, r.last.getTime()]));
    return due.filter((d) => {
      const at = last.get(d.component.id);
      return at !== undefined && at < d.slotAt;
    });
  } catch (error) {
    logger.warn(
      { err: (error as Error).message, components: due.length },
      "could not read the latest results of components taken over; probing their latest slots",
    );
    return due;
  }
}
