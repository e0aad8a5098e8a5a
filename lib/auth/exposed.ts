/** The better-auth endpoints reachable over HTTP under /api/auth; every other one answers 404. */
export const EXPOSED_AUTH_PATHS = new Set([
  "/sign-in/email",
  "/sign-out",
  "/get-session",
  "/change-password",
  "/list-sessions",
  "/revoke-other-sessions",
]);

export function isExposedAuthPath(request: Request): boolean {
  const path = new URL(request.url).pathname.replace(/^\/api\/auth/, "").replace(/\/+$/, "");
  return EXPOSED_AUTH_PATHS.has(path);
}
