import type { TWebhook } from "../config/operations-schema";
import type { TConfig } from "../config/schema";
import { formatNumber, formatPercent } from "../format";
import type { PrismaClient } from "../generated/prisma/client";
import { getSlos, type TSloResult } from "./read";

// SLO alerts as notification events: "slo-fast-burn" (the SRE workbook's page-level alert) and "slo-exhausted"
// (no error budget left), each raised and cleared once. The last announced flags of each SLO are stored
// (slo_alert_state); a change is enqueued in the same transaction as the new flags, so two workers never announce
// it twice and a crash never loses it (the outbox, as for component state changes).

export type TSloEvent = "slo-fast-burn" | "slo-exhausted";
type TFlags = { fastBurn: boolean; exhausted: boolean };

/** The flags an SLO raises now; null when nothing is known (its last announced state stands). */
export function sloFlags(slo: TSloResult): TFlags | null {
  if (slo.state === "no data") return null;
  return {
    fastBurn: slo.alert === "fast burn",
    exhausted: slo.budget.remainingPct !== null && slo.budget.remainingPct <= 0,
  };
}

const encode = (f: TFlags) =>
  [f.fastBurn ? "fast burn" : null, f.exhausted ? "exhausted" : null].filter(Boolean).join(", ") || "ok";
const decode = (state: string): TFlags => ({
  fastBurn: state.includes("fast burn"),
  exhausted: state.includes("exhausted"),
});

/** What changed between the announced flags and the current ones, as events raised or cleared. */
export function sloTransitions(
  previous: TFlags,
  current: TFlags,
): { event: TSloEvent; status: "raised" | "cleared" }[] {
  const out: { event: TSloEvent; status: "raised" | "cleared" }[] = [];
  if (previous.fastBurn !== current.fastBurn)
    out.push({ event: "slo-fast-burn", status: current.fastBurn ? "raised" : "cleared" });
  if (previous.exhausted !== current.exhausted)
    out.push({ event: "slo-exhausted", status: current.exhausted ? "raised" : "cleared" });
  return out;
}

export type TSloPayload = {
  event: TSloEvent;
  status: "raised" | "cleared";
  slo: string;
  name: string;
  component: string | null;
  sli: number | null;
  budgetRemainingPct: number | null;
  burn1h: number | null;
  objective: number;
  window: string;
  at: string;
};

function wants(hook: TWebhook, event: TSloEvent, component: string | null): boolean {
  if (hook.events && !hook.events.includes(event)) return false;
  if (!hook.components) return true;
  return component !== null && hook.components.includes(component);
}

/** The one-line text of an SLO event (Slack's format). */
export function sloEventText(systemName: string, p: TSloPayload): string {
  const what =
    p.event === "slo-fast-burn"
      ? p.status === "raised"
        ? "is in FAST BURN"
        : "is no longer in fast burn"
      : p.status === "raised"
        ? "has EXHAUSTED its error budget"
        : "has error budget left again";
  const figures = `SLI ${formatPercent(p.sli)} against ${formatPercent(p.objective)} over ${p.window}, ${formatPercent(p.budgetRemainingPct)} of the budget left${p.burn1h === null ? "" : `, 1 h burn ${formatNumber(p.burn1h)}×`}`;
  const icon = p.status === "raised" ? ":red_circle:" : ":large_green_circle:";
  return `${icon} ${systemName}: SLO "${p.name}" ${what} since ${p.at} (${figures})`;
}

/**
 * Announces every SLO whose flags changed since they were last announced: one outbox row per webhook that wants
 * the event. Returns the rows enqueued. An SLO seen for the first time counts as having been quiet.
 */
export async function announceSloAlerts(deps: {
  prisma: PrismaClient;
  config: TConfig;
  now: Date;
  slos?: TSloResult[];
}): Promise<number> {
  const { prisma, config, now } = deps;
  const hooks = config.notifications.webhooks;
  if (config.slos.length === 0) return 0;
  const slos = deps.slos ?? (await getSlos({ prisma, config, now }, config.slos));
  let enqueued = 0;
  for (const slo of slos) {
    const current = sloFlags(slo);
    if (!current) continue;
    const state = encode(current);
    enqueued += await prisma.$transaction(async (tx) => {
      const inserted = await tx.$queryRaw<{ state: string }[]>`
        INSERT INTO "slo_alert_state" ("slo_id", "state", "changed_at") VALUES (${slo.id}, ${state}, ${now})
        ON CONFLICT ("slo_id") DO NOTHING RETURNING "state"`;
      let previous: TFlags = { fastBurn: false, exhausted: false };
      if (inserted.length === 0) {
        const [row] = await tx.$queryRaw<{ state: string }[]>`
          SELECT "state" FROM "slo_alert_state" WHERE "slo_id" = ${slo.id} FOR UPDATE`;
        if (!row || row.state === state) return 0;
        previous = decode(row.state);
        await tx.$executeRaw`UPDATE "slo_alert_state" SET "state" = ${state}, "changed_at" = ${now} WHERE "slo_id" = ${slo.id}`;
      }
      const component = "component" in slo.target ? slo.target.component : null;
      const rows = sloTransitions(previous, current).flatMap(({ event, status }) =>
        hooks
          .filter((hook) => wants(hook, event, component))
          .map((hook) => ({
            hook: hook.name,
            payload: {
              event,
              status,
              slo: slo.id,
              name: slo.name,
              component,
              sli: slo.sli,
              budgetRemainingPct: slo.budget.remainingPct,
              burn1h: slo.burn["1h"],
              objective: slo.objective,
              window: slo.window,
              at: now.toISOString(),
            } satisfies TSloPayload,
          })),
      );
      for (const row of rows)
        await tx.notificationOutbox.create({
          data: { webhook: row.hook, componentId: component ?? "system", payload: row.payload },
        });
      return rows.length;
    });
  }
  return enqueued;
}
