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
  UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
  UND_ERR_BODY_TIMEOUT: "response body too slow",
  UND_ERR_SOCKET: "socket closed by the server",
  UND_ERR_CONNECT_TIMEOUT: "connect timed out",
};

function findCode(error: unknown, depth = 0): string | undefined {
  if (depth > 4 || error === null || typeof error !== "object") return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && code in CODES) return code;
  const nested = (error as { cause?: unknown; errors?: unknown[] }).cause ?? (error as { errors?: unknown[] }).errors?.[0];
  return findCode(nested, depth + 1);
}

/** A short, human reason for a failed check: "connection refused (ECONNREFUSED)". */
export function describeProbeError(error: unknown): string {
  if (error instanceof ProbeTimeoutError) return error.message;
  const code = findCode(error);
  if (code) return `${CODES[code]} (${code})`;
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
