import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/lib/auth/auth";
import { isExposedAuthPath } from "@/lib/auth/exposed";
import { withDatabase } from "@/lib/http/database";
import { refuseCrossOrigin } from "@/lib/http/origin";

// better-auth's endpoints, only those Preflight uses: sign-in, sign-out, the session, and a person's own password.
// Sign-up, profile edits (a rename could put another approver's name on a sign-off), email changes and account
// deletion are not exposed: accounts and names are an admin's, through audited services.
const notExposed = () =>
  Response.json({ error: "not available: accounts are managed by an admin in Preflight" }, { status: 404 });

// Sessions live in the database: while it is down, 503 with the reason, like every API (withDatabase).
export const GET = withDatabase(async (request: Request) =>
  isExposedAuthPath(request) ? toNextJsHandler(getAuth()).GET(request) : notExposed(),
);

/** Sign-out and password changes ride on the session cookie: the Origin is checked first, as on every such route. */
export const POST = withDatabase(async (request: Request) => {
  const crossOrigin = refuseCrossOrigin(request);
  if (crossOrigin) return crossOrigin;
  return isExposedAuthPath(request) ? toNextJsHandler(getAuth()).POST(request) : notExposed();
});
