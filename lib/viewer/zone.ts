import { cookies } from "next/headers";
import { DEFAULT_TIME_ZONE, validTimeZone } from "../format";

/** The cookie in which the browser tells the server its time zone (set by components/zone-sync.tsx). */
export const ZONE_COOKIE = "preflight-tz";

/**
 * The viewer's IANA time zone, as their browser reported it, so the server renders times exactly as they will
 * read after every live update. UTC, named as such, until the browser has said.
 */
export async function getViewerZone(): Promise<string> {
  const store = await cookies();
  return validTimeZone(store.get(ZONE_COOKIE)?.value) ?? DEFAULT_TIME_ZONE;
}

/** The zone of a request that may carry the cookie (route handlers: report downloads). */
export function zoneOfRequest(request: Request): string {
  const header = request.headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${ZONE_COOKIE}=([^;]+)`).exec(header);
  return validTimeZone(match?.[1] ? decodeURIComponent(match[1]) : null) ?? DEFAULT_TIME_ZONE;
}
