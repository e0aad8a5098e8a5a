import { cache } from "react";
import type { TActor } from "../auth/actor";
import { getActor } from "../auth/session";
import { getConfig } from "../config/current";
import { getPrisma } from "../db/client";
import { judgeVerdict, type TVerdict } from "../readiness/verdict";
import { requestedRoles, type TSignOffState } from "../signoff/status";
import { getRecentRecoveries } from "./component-status";
import { getSystemHealth, type Incident, type SystemHealth } from "./components";
import { evaluateLive, type TReadinessView } from "./readiness";
import { getSignOffView, type TSignOffView } from "./signoff";

// What every signed-in page shows around its own content, read once per request (React cache) and shared with
// the overview, which shows the same figures in full: the verdict line, the operator's status (the tab title, the
// favicon, the outage and recovery banner) and the sign-offs requested of the person reading.

export type TShellStatus = {
  system: string;
  down: { id: string; name: string; since: string | null }[];
  degraded: { id: string; name: string }[];
  unknown: number;
  total: number;
  recovered: Incident[];
};

export type TShell = {
  actor: TActor;
  now: Date;
  health: SystemHealth;
  readiness: TReadinessView;
  signOff: TSignOffView;
  verdict: TVerdict;
  status: TShellStatus;
  /** The sign-off roles this person holds whose sign-off is awaited in this round. */
  requested: { role: string; name: string; state: TSignOffState }[];
};

/** The roles a person is asked to sign (lib/signoff/status.ts's rule, on the view already read). */
export function requestedOf(
  view: Pick<TSignOffView, "configured" | "roles" | "separationOfDuties">,
  actor: Pick<TActor, "id" | "signOffRoles">,
): TShell["requested"] {
  return view.configured ? requestedRoles(view.roles, actor, view.separationOfDuties) : [];
}

export const getShell = cache(async (): Promise<TShell | null> => {
  const actor = await getActor();
  if (!actor) return null;
  const now = new Date();
  const deps = { prisma: getPrisma(), config: getConfig().config };
  const [health, readiness, recovered] = await Promise.all([
    getSystemHealth({ ...deps, now }),
    evaluateLive(deps, now),
    getRecentRecoveries({ ...deps, now }),
  ]);
  const signOff = await getSignOffView(deps, readiness.result, now);
  const verdict = judgeVerdict({
    result: readiness.result,
    gateMinPct: readiness.gateMinPct,
    scorecardConfigured: readiness.configured,
    roles: signOff.configured ? signOff.roles : null,
    release: health.system.release,
    now,
  });
  const status: TShellStatus = {
    system: health.system.name,
    down: health.components.filter((c) => c.status === "down").map((c) => ({ id: c.id, name: c.name, since: c.since })),
    degraded: health.components.filter((c) => c.status === "degraded").map((c) => ({ id: c.id, name: c.name })),
    unknown: health.components.filter((c) => c.status === "unknown").length,
    total: health.total,
    recovered: recovered.filter((r) => !health.components.some((c) => c.id === r.componentId && c.status === "down")),
  };
  return { actor, now, health, readiness, signOff, verdict, status, requested: requestedOf(signOff, actor) };
});
