import type { THttpProbe } from "../config/probe-schema";
import { mentionsPlaceholder } from "../conditions/compile";
import type { ConditionValues } from "../conditions/types";
import { withDeadline } from "./errors";
import { describeHttpReply, describeTls, sendHttpRequest, type HttpExchange } from "./http-request";
import { maskLocation } from "./mask";
import { checkMtlsEnforced, type MtlsCheck } from "./mtls";
import { loadTlsMaterial } from "./tls-material";
import type { ProbeOutcome } from "./types";
import { failProbe, judgeProbe } from "./verdict";

/**
 * One HTTP(S) check: a fresh connection, the whole exchange (redirects and body included) under `timeoutMs`,
 * and, when mTLS is checked, a second connection without the client certificate in parallel.
 */
export async function runHttpProbe(probe: THttpProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const checkMtls = probe.mtlsEnforced === true || mentionsPlaceholder(probe.conditions, "MTLS_ENFORCED");
  try {
    const { reply, latencyMs, mtls } = await withDeadline(
      (async () => {
        const exchange: HttpExchange = {
          url: probe.url,
          method: probe.method,
          headers: probe.headers,
          ...(probe.body !== undefined && { body: probe.body }),
          tls: await loadTlsMaterial(probe.tls),
          followRedirects: probe.followRedirects,
          signal: controller.signal,
        };
        const mtlsCheck = checkMtls ? checkMtlsEnforced(exchange) : Promise.resolve(null);
        const response = await sendHttpRequest(exchange);
        const elapsed = performance.now() - started;
        return { reply: response, latencyMs: elapsed, mtls: await mtlsCheck };
      })(),
      timeoutMs,
      () => controller.abort(),
    );
    const values = describeHttpReply(reply, latencyMs);
    if (mtls !== null && mtls.enforced !== null) values.MTLS_ENFORCED = mtls.enforced;
    const problems = checkStatus(probe, reply.status);
    const redirectNote = reply.location !== null ? `redirect to ${maskLocation(reply.location)}, not followed` : null;
    const outcome = judgeProbe({
      latencyMs,
      detail: describeHttpOutcome(values, mtls),
      values,
      implicit: probe.mtlsEnforced === true ? ["[MTLS_ENFORCED] == true"] : [],
      conditions: probe.conditions,
      problems: problems.map((problem) => (redirectNote ? `${problem} (${redirectNote})` : problem)),
    });
    const notes = [
      ...(!outcome.ok && redirectNote && problems.length === 0 ? [redirectNote] : []),
      ...(!outcome.ok && mtls !== null && mtls.enforced === null
        ? [`mTLS check without a client certificate: ${mtls.reason}`]
        : []),
    ];
    return notes.length === 0 ? outcome : { ...outcome, error: [outcome.error, ...notes].join("; ") };
  } catch (error) {
    return failProbe(started, error);
  } finally {
    // Tears down the mTLS side request when the main one failed first. Only then: an abort builds an
    // AbortError and a DOMException, which at hundreds of probes a second is a measurable share of the CPU.
    if (checkMtls && !controller.signal.aborted) controller.abort();
  }
}

/** expectStatus when given; otherwise any 2xx, unless a condition looks at [STATUS] itself. */
function checkStatus(probe: THttpProbe, status: number): string[] {
  if (probe.expectStatus)
    return probe.expectStatus.includes(status) ? [] : [`HTTP ${status}, expected ${probe.expectStatus.join(" or ")}`];
  if (mentionsPlaceholder(probe.conditions, "STATUS")) return [];
  return status >= 200 && status < 300 ? [] : [`HTTP ${status}, expected 2xx`];
}

function describeHttpOutcome(values: ConditionValues, mtls: MtlsCheck | null): string {
  const parts = [`HTTP ${String(values.STATUS)}`];
  const tls = describeTls(values);
  if (tls) parts.push(tls);
  if (mtls?.enforced === true) parts.push("mTLS enforced");
  if (mtls?.enforced === false) parts.push("mTLS not enforced");
  return parts.join(", ");
}
