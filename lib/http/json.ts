// JSON answers of the token API. proxy.ts, which sets the security headers on every other response, does not run
// on /api/v1/evidence (it would make the framework buffer the body before the token is checked), so the headers a
// JSON answer needs are set here: never cached, never sniffed into something a browser would run.

export const API_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "referrer-policy": "same-origin",
};

export function apiJson(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...API_HEADERS, ...headers } });
}
