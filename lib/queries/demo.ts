import { z } from "zod";
import { getEnv } from "../env";

export const ZDemoService = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  port: z.number(),
  url: z.string(),
  mode: z.enum(["healthy", "down", "failing", "slow"]),
  delayMs: z.number(),
  since: z.string(),
});
export type TDemoService = z.infer<typeof ZDemoService>;

/** The demo simulators and their modes, or null outside the demo. */
export async function listDemoServices(): Promise<TDemoService[] | null> {
  const base = getEnv().PREFLIGHT_DEMO_CONTROL_URL;
  if (!base) return null;
  const response = await fetch(`${base}/services`, { cache: "no-store", signal: AbortSignal.timeout(2_000) });
  if (!response.ok) throw new Error(`demo control server answered HTTP ${response.status}`);
  return z.array(ZDemoService).parse(await response.json());
}
