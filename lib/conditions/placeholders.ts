import type { Placeholder } from "./types";

/**
 * How a placeholder's value is compared, which the parser uses to reject a literal that could never match
 * (`[STATUS] == OK`) at configuration load rather than as a failing check at 3 a.m.
 */
export type ValueKind = "number" | "boolean" | "tls" | "health" | "any";

/** Whether a placeholder takes a path: never, optionally (JSON), or exactly one name (a header, an INFO field). */
export type PathRule = "none" | "json" | "name";

export type PlaceholderSpec = { kind: ValueKind; path: PathRule; example: string };

export const PLACEHOLDER_SPECS: Record<Placeholder, PlaceholderSpec> = {
  STATUS: { kind: "number", path: "none", example: "[STATUS] == 200" },
  RESPONSE_TIME: { kind: "number", path: "none", example: "[RESPONSE_TIME] < 300" },
  BODY: { kind: "any", path: "json", example: "[BODY].status == UP" },
  HEADER: { kind: "any", path: "name", example: "[HEADER].content-type contains json" },
  TLS_VERSION: { kind: "tls", path: "none", example: "[TLS_VERSION] >= TLSv1.2" },
  CERT_EXPIRY_DAYS: { kind: "number", path: "none", example: "[CERT_EXPIRY_DAYS] > 14" },
  MTLS_ENFORCED: { kind: "boolean", path: "none", example: "[MTLS_ENFORCED] == true" },
  CONNECTED: { kind: "boolean", path: "none", example: "[CONNECTED] == true" },
  RESULT: { kind: "any", path: "json", example: "[RESULT] == 1" },
  ROWS: { kind: "number", path: "none", example: "[ROWS] > 0" },
  INFO: { kind: "any", path: "name", example: "[INFO].role == master" },
  VALUE: { kind: "number", path: "none", example: "[VALUE] < 0.01" },
  TARGET_HEALTH: { kind: "health", path: "none", example: "[TARGET_HEALTH] == up" },
};

/** Protocol names as `TLSSocket.getProtocol()` reports them, oldest first. */
export const TLS_VERSIONS = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"] as const;

export const TARGET_HEALTH_VALUES = ["up", "down", "unknown"] as const;

/** Position of a TLS protocol name in TLS_VERSIONS, or -1 for anything else (SSLv3, "unknown"). */
export function rankTlsVersion(value: unknown): number {
  return typeof value === "string" ? (TLS_VERSIONS as readonly string[]).indexOf(value) : -1;
}
