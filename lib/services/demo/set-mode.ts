import { z } from "zod";
import { getEnv } from "../../env";

export const ZSetDemoModeInput = z.strictObject({
  serviceId: z.string().regex(/^[a-z]+$/, { error: "unknown demo service" }),
  mode: z.enum(["healthy", "down", "failing", "slow"], { error: "mode must be healthy, down, failing or slow" }),
});
export type TSetDemoModeInput = z.infer<typeof ZSetDemoModeInput>;

export type SetDemoModeResult = { ok: true } | { ok: false; error: string };

/** Switches one demo simulator's mode through the demo control server. Only exists in the demo. */
export async function setDemoMode(input: unknown): Promise<SetDemoModeResult> {
  const base = getEnv().PREFLIGHT_DEMO_CONTROL_URL;
  if (!base) return { ok: false, error: "not running the demo" };
  const parsed = ZSetDemoModeInput.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const response = await fetch(`${base}/services/${parsed.data.serviceId}/mode`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ mode: parsed.data.mode }),
    signal: AbortSignal.timeout(3_000),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    return { ok: false, error: body.error ?? `demo control server answered HTTP ${response.status}` };
  }
  return { ok: true };
}
