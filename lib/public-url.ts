import type { TEnv } from "./env";

// The address people open Preflight at, for what is handed to someone else: invitation links, the curl lines of
// the evidence page. Never taken from a request: Host and X-Forwarded-Host are whatever the client wrote, so a link
// built from them can send an invitee, and the one-time token in the link, to somebody else's server.

export type TPublicBase = { ok: true; url: string; configured: boolean } | { ok: false; message: string };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

export const PUBLIC_URL_MISSING =
  "PREFLIGHT_PUBLIC_URL is not set, so Preflight does not know the address people open it at: set it (e.g. https://preflight.example.com) and restart";

/**
 * PREFLIGHT_PUBLIC_URL when set. Without it, http://localhost:PORT where that is the address: a server bound to
 * loopback only (as `npm run demo` is) can be opened nowhere else, and outside production (`next dev`, tests) the
 * person is at the machine. A production server on other interfaces has no address it can vouch for: none.
 */
export function getPublicBaseUrl(
  env: Pick<TEnv, "PREFLIGHT_PUBLIC_URL" | "PREFLIGHT_HOST" | "PORT" | "NODE_ENV">,
): TPublicBase {
  if (env.PREFLIGHT_PUBLIC_URL)
    return { ok: true, url: env.PREFLIGHT_PUBLIC_URL.replace(/\/+$/, ""), configured: true };
  const loopbackOnly = env.PREFLIGHT_HOST !== undefined && LOOPBACK.test(env.PREFLIGHT_HOST);
  if (loopbackOnly || env.NODE_ENV !== "production")
    return { ok: true, url: `http://localhost:${env.PORT}`, configured: false };
  return { ok: false, message: PUBLIC_URL_MISSING };
}
