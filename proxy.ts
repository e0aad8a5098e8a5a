import { NextResponse, type NextRequest } from "next/server";

// Runs before every page and API request: a per-request CSP nonce (Next puts it on its own scripts, read from the
// request's CSP header), the usual security headers, and an early redirect to /login for a page request without a
// session cookie. The redirect is only a convenience: every page, action and route handler checks the session
// itself (lib/auth/session.ts), cookie or not.

const PUBLIC_PAGES = ["/login", "/setup", "/invite/"];
const SESSION_COOKIES = ["better-auth.session_token", "__Secure-better-auth.session_token"];

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    // React and Recharts set style attributes, which a nonce cannot cover.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const isPage = !pathname.startsWith("/api/") && pathname !== "/metrics";
  if (isPage && !PUBLIC_PAGES.some((p) => pathname === p || (p.endsWith("/") && pathname.startsWith(p)))) {
    if (!SESSION_COOKIES.some((name) => request.cookies.has(name))) {
      const login = new URL("/login", request.url);
      if (pathname !== "/") login.searchParams.set("next", `${pathname}${search}`);
      return NextResponse.redirect(login);
    }
  }

  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("referrer-policy", "same-origin");
  response.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (request.nextUrl.protocol === "https:")
    response.headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  return response;
}

export const config = {
  // Not static files: they carry no session and need no nonce. Not the evidence endpoints either: a proxy makes the
  // framework read and buffer the request body (cut at 10 MB) before the route runs, so the route could neither
  // check the token before reading nor enforce its own limit while streaming (lib/http/evidence-route.ts).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico|api/v1/evidence/).*)" }],
};
