import { getEnv } from "../env";

// Cross-site request forgery, for route handlers that a browser's session cookie authenticates: a page on another
// origin (another port of the same host is same-site, so SameSite=Lax cookies go along) must not make a signed-in
// person's browser change anything. Every such handler calls refuseCrossOrigin first. Server actions have Next's
// own check (Origin against Host); this one agrees with it, and better-auth trusts the same origins
// (lib/auth/auth.ts).
//
// What is compared with Origin: PREFLIGHT_PUBLIC_URL's origin when it is set. Otherwise the host the request was
// sent to, as X-Forwarded-Host or Host carry it; not the request's URL, whose host Next builds from the server's
// own configuration (PREFLIGHT_HOST, else "localhost") rather than from what the browser opened. Both headers are
// set by whoever sends the request, but the only sender whose cookies matter is the victim's browser: it writes
// Host itself, and cannot add X-Forwarded-Host to a cross-origin request without a CORS preflight, which Preflight
// never grants. A client that can write any header it likes has no victim's cookie to ride on.

const REFUSED = "cross-origin request refused";

const first = (value: string | null) => value?.split(",")[0]?.trim() || null;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The host this request was sent to: X-Forwarded-Host, Host, or (in-process calls without either) its URL's. */
function requestHost(request: Request): string {
  return first(request.headers.get("x-forwarded-host")) ?? request.headers.get("host") ?? new URL(request.url).host;
}

/**
 * The origins this app has for this request: PREFLIGHT_PUBLIC_URL's, or the host the request was sent to over http
 * or https (behind a TLS proxy the server cannot tell which, and the scheme is no defence: one host and port
 * serve one scheme).
 */
export function ownOrigins(request: Request, publicUrl: string | undefined = getEnv().PREFLIGHT_PUBLIC_URL): string[] {
  if (publicUrl) return [new URL(publicUrl).origin];
  const host = requestHost(request);
  return [originOf(`http://${host}`), originOf(`https://${host}`)].filter((o): o is string => o !== null);
}

function refusal(message: string): Response {
  return Response.json({ error: `${REFUSED}: ${message}` }, { status: 403, headers: { "cache-control": "no-store" } });
}

/**
 * null when the request may go on; otherwise the 403 to answer. Refused: an Origin other than the app's own
 * (including "null", from sandboxed frames and opaque redirects), and a request without Origin that the browser
 * marks cross-site or same-site. A request with a bearer token and no cookie carries no ambient credential, so it
 * cannot be forged this way and passes; the route then authenticates the token (or refuses).
 */
export function refuseCrossOrigin(
  request: Request,
  publicUrl: string | undefined = getEnv().PREFLIGHT_PUBLIC_URL,
): Response | null {
  const headers = request.headers;
  if (!headers.has("cookie") && /^bearer\s/i.test(headers.get("authorization") ?? "")) return null;
  const own = ownOrigins(request, publicUrl);
  const expected = publicUrl
    ? `${own[0] ?? publicUrl} (PREFLIGHT_PUBLIC_URL)`
    : `${requestHost(request)}, where it was sent`;
  const origin = headers.get("origin");
  if (origin === null) {
    const site = headers.get("sec-fetch-site");
    if (site === "cross-site" || site === "same-site")
      return refusal(`a ${site} request without an Origin header; Preflight is ${expected}`);
    return null;
  }
  const normalized = origin === "null" ? null : originOf(origin);
  if (normalized !== null && own.includes(normalized)) return null;
  return refusal(`it comes from ${origin}, and Preflight is ${expected}`);
}
