// Whether a server insists on a client certificate: the same request again, without one, must be refused.
import { describeProbeError } from "./errors";
import { sendHttpRequest, type HttpExchange } from "./http-request";

export type MtlsCheck = {
  /** null when the answer says nothing about client certificates (the port refused TCP, DNS failed, timeout). */
  enforced: boolean | null;
  /** What happened without the certificate: "refused (HTTP 403)", "answered HTTP 200", "connection refused". */
  reason: string;
};

/**
 * HTTP statuses that count as a refusal: 400 (nginx: "No required SSL certificate was sent"), 401, 403, and
 * nginx's 495/496 (certificate error / no certificate). Anything else that answers means mTLS is not enforced.
 */
const REFUSING_STATUSES = new Set([400, 401, 403, 495, 496]);

/**
 * Transport errors that count as a refusal. With TLS 1.3 the server checks the client certificate after the
 * client thinks the handshake is done, so its "certificate required" alert, or a plain reset, arrives while the
 * request is in flight.
 */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  if (code === "ECONNRESET" || code === "EPIPE" || code === "EPROTO") return true;
  // OpenSSL alerts from the server: ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED, ..._HANDSHAKE_FAILURE, ..._BAD_CERTIFICATE.
  return code.startsWith("ERR_SSL_") && code.includes("ALERT");
}

export async function checkMtlsEnforced(exchange: HttpExchange): Promise<MtlsCheck> {
  const tls = { ...exchange.tls, cert: undefined, key: undefined };
  try {
    const reply = await sendHttpRequest({ ...exchange, tls, followRedirects: false });
    if (REFUSING_STATUSES.has(reply.status)) return { enforced: true, reason: `refused (HTTP ${reply.status})` };
    return { enforced: false, reason: `answered HTTP ${reply.status} without a client certificate` };
  } catch (error) {
    if (exchange.signal.aborted) return { enforced: null, reason: "not checked in time" };
    if (isRefusal(error)) return { enforced: true, reason: `refused (${describeProbeError(error)})` };
    return { enforced: null, reason: describeProbeError(error) };
  }
}
