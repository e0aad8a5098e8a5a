import { maskUrl } from "../redact";

/** A redirect target as it may be shown: relative paths as they are, absolute URLs without their password. */
export function maskLocation(location: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(location) ? maskUrl(location) : location;
}
