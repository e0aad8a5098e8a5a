import { can } from "@/lib/auth/permissions";
import { getActorFromRequest } from "@/lib/auth/session";
import { withDatabase } from "@/lib/http/database";
import { refuseCrossOrigin } from "@/lib/http/origin";
import { probeComponentNow } from "@/lib/services/component/probe-now";

/** Probe now: runs the component's check at once, stores it like any other, and returns the outcome. Needs a session with probe:run, from Preflight's own origin. */
export const POST = withDatabase(async (request: Request, ctx: { params: Promise<{ id: string }> }) => {
  const crossOrigin = refuseCrossOrigin(request);
  if (crossOrigin) return crossOrigin;
  const actor = await getActorFromRequest(request);
  if (!actor) return Response.json({ error: "sign in to probe" }, { status: 401 });
  if (!can(actor.role, "probe:run"))
    return Response.json({ error: `${actor.role}s may not run probes` }, { status: 403 });
  const { id } = await ctx.params;
  const result = await probeComponentNow(id);
  if (!result.ok) return Response.json({ error: result.message }, { status: result.status });
  const { ok, latencyMs, detail, error } = result.outcome;
  return Response.json({ component: id, ok, latencyMs: Math.round(latencyMs * 10) / 10, detail, error }); // format-ok: a JSON number for machines
});
