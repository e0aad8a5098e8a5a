import { z } from "zod";
import { getEnv } from "../../env";
import { fail, failFields, ok, zodFieldErrors, type TResult } from "../result";

export const ZSetDemoModeInput = z.strictObject({
  serviceId: z.string().regex(/^[a-z]+$/, { error: "unknown demo service" }),
  mode: z.enum(["healthy", "down", "failing", "slow"], { error: "mode must be healthy, down, failing or slow" }),
});
export type TSetDemoModeInput = z.infer<typeof ZSetDemoModeInput>;

export type SetDemoModeResult = TResult<null>;

/** Switches one demo simulator's mode through the demo control server. Only exists in the demo. */
export async function setDemoMode(input: unknown): Promise<SetDemoModeResult> {
  const base = getEnv().PREFLIGHT_DEMO_CONTROL_URL;
  if (!base) return fail(404, "not running the demo");
  const parsed = ZSetDemoModeInput.safeParse(input);
  if (!parsed.success) return failFields(422, zodFieldErrors(parsed.error));
  let response: Response;
  try {
    response = await fetch(`${base}/services/${parsed.data.serviceId}/mode`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: parsed.data.mode }),
      signal: AbortSignal.timeout(3_000),
    });
  } catch (error) {
    return fail(
      503,
      `the demo control server did not answer (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    return fail(
      response.status === 404 ? 404 : 422,
      body.error ?? `demo control server answered HTTP ${response.status}`,
    );
  }
  return ok(null);
}
