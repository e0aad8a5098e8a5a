import { probeComponentNow } from "@/lib/services/component/probe-now";

/** Probe now: runs the component's check at once, stores it like any other, and returns the outcome. */
export async function POST(_request: Request, ctx: { params: Promise<{ id: string }> }) {
  const { id } = await ctx.params;
  const result = await probeComponentNow(id);
  if (!result.ok) return Response.json({ error: result.error }, { status: result.status });
  const { ok, latencyMs, detail, error } = result.outcome;
  return Response.json({ component: id, ok, latencyMs: Math.round(latencyMs * 10) / 10, detail, error });
}
