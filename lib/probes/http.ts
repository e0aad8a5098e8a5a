import { Agent, interceptors, request, type Dispatcher } from "undici";
import type { THttpProbe } from "../config/schema";
import { describeProbeError, withDeadline } from "./errors";
import type { ProbeOutcome } from "./types";

const MAX_BODY_BYTES = 64 * 1024;

// Shared keep-alive-free agents: a health check measures a fresh connection each time, as a client would
// see it after an idle period, and never reuses a socket that a restarted service has closed.
const globalForHttp = globalThis as unknown as { preflightHttp?: { plain: Dispatcher; follow: Dispatcher } };
function getDispatchers() {
  if (!globalForHttp.preflightHttp) {
    const plain = new Agent({ pipelining: 0, connections: 256 });
    globalForHttp.preflightHttp = { plain, follow: plain.compose(interceptors.redirect({ maxRedirections: 5 })) };
  }
  return globalForHttp.preflightHttp;
}

function isExpectedStatus(probe: THttpProbe, status: number): boolean {
  return probe.expectStatus ? probe.expectStatus.includes(status) : status >= 200 && status < 300;
}

export async function runHttpProbe(probe: THttpProbe, timeoutMs: number): Promise<ProbeOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const { plain, follow } = getDispatchers();
  try {
    const response = await withDeadline(
      (async () => {
        const res = await request(probe.url, {
          method: probe.method,
          headers: { "user-agent": "Preflight/0.1 (health check)", ...probe.headers },
          dispatcher: probe.followRedirects ? follow : plain,
          signal: controller.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        let received = 0;
        for await (const chunk of res.body) {
          received += (chunk as Buffer).length;
          if (received >= MAX_BODY_BYTES) break;
        }
        res.body.destroy();
        return res;
      })(),
      timeoutMs,
      () => controller.abort(),
    );
    const latencyMs = performance.now() - started;
    const detail = `HTTP ${response.statusCode}`;
    if (isExpectedStatus(probe, response.statusCode)) return { ok: true, latencyMs, detail, error: null };
    const expected = probe.expectStatus ? probe.expectStatus.join(" or ") : "2xx";
    const location = response.headers.location;
    const redirect = response.statusCode >= 300 && response.statusCode < 400 && location ? ` (redirect to ${String(location)}, not followed)` : "";
    return { ok: false, latencyMs, detail, error: `HTTP ${response.statusCode}, expected ${expected}${redirect}` };
  } catch (error) {
    return { ok: false, latencyMs: performance.now() - started, detail: null, error: describeProbeError(error) };
  }
}
