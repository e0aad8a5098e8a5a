import { getConfig } from "../../config/current";
import { fail, type TFailure } from "../result";
import { getDatabaseTarget } from "../../db/connection";
import { getEnv } from "../../env";
import { redactSecrets } from "../../redact";
import { redisNamespace } from "../../redis";
import type { ProbeOutcome } from "../../probes/types";
import { getEmbeddedWorker } from "../../worker/embedded";
import { ProbeNowUnavailableError, requestProbeNow } from "../../worker/probe-now";

export type ProbeNowResult = { ok: true; outcome: ProbeOutcome } | TFailure;

const MIN_GAP_MS = 2_000;
const globalForProbeNow = globalThis as unknown as { preflightProbeNowAt?: Map<string, number> };

/** Probes a component on demand; at most one request per component every two seconds. */
export async function probeComponentNow(componentId: string, now = Date.now()): Promise<ProbeNowResult> {
  const component = getConfig().config.components.find((c) => c.id === componentId);
  if (!component) return fail(404, `no component with id "${componentId}"`);
  const last = (globalForProbeNow.preflightProbeNowAt ??= new Map());
  const previous = last.get(componentId);
  if (previous !== undefined && now - previous < MIN_GAP_MS) {
    return fail(429, `"${componentId}" was probed less than ${MIN_GAP_MS / 1000} s ago`);
  }
  last.set(componentId, now);
  try {
    const outcome = await requestProbeNow({
      componentId,
      localWorker: (await getEmbeddedWorker()) ?? null,
      redisUrl: getEnv().REDIS_URL,
      namespace: redisNamespace(getDatabaseTarget().url),
      timeoutMs: component.timeout + 3_000,
    });
    // The caller may be anyone who can reach the endpoint: no secret from the environment in the texts.
    const { secrets } = getConfig();
    const clean = (text: string | null) => (text === null ? null : redactSecrets(text, secrets));
    return { ok: true, outcome: { ...outcome, detail: clean(outcome.detail), error: clean(outcome.error) } };
  } catch (error) {
    if (error instanceof ProbeNowUnavailableError) return fail(503, error.message);
    throw error;
  }
}
