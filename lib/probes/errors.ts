import { ProbeTimeoutError } from "./types";

const CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  EPIPE: "connection closed",
};

function findCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || error === null || typeof error !== "object") return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code in CODES) return code;
  const nested =
    (error as { cause?: unknown; errors?: unknown[] }).cause ?? (error as { errors?: unknown[] }).errors?.[0];
  return findCode(nested, depth + 1);
}

/** Certificate verification failures name themselves well ("self-signed certificate in certificate chain"). */
const TLS_VERIFY_CODES =
  /^(?:DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/** A short, human reason for a failed check: "connection refused (ECONNREFUSED)". */
export function describeProbeError(error: unknown): string {
  if (error instanceof ProbeTimeoutError) return error.message;
  const code = findCode(error);
  if (code) return `${CODES[code]} (${code})`;
  const other = (error as { code?: unknown } | null)?.code;
  if (typeof other === "string" && other.startsWith("ERR_SSL_")) {
    // OpenSSL's message is "error:0A000412:SSL routines::sslv3 alert bad certificate"; the code says the same, readably.
    return `TLS ${other.slice("ERR_SSL_".length).toLowerCase().replaceAll("_", " ")} (${other})`;
  }
  if (typeof other === "string" && TLS_VERIFY_CODES.test(other) && error instanceof Error)
    return `${error.message} (${other})`;
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.name;
  return String(error);
}

/** Rejects with ProbeTimeoutError after `ms`, calling `onTimeout` so the caller can tear the connection down. */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new ProbeTimeoutError(ms));
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
