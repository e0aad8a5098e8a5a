import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// API tokens: "pf_" and 43 base64url characters (32 random bytes). The prefix lets secret scanners (GitHub's,
// gitleaks, trufflehog) recognise a leaked one; only the SHA-256 of a token is stored. A fast hash is right
// here: a token has 256 bits of entropy, so there is nothing to brute-force, and checking it costs nothing.

export const TOKEN_PREFIX = "pf_";
export const TOKEN_PATTERN = /^pf_[A-Za-z0-9_-]{43}$/;

export const SCOPES = ["evidence:write", "readiness:read", "audit:read"] as const;
export type TScope = (typeof SCOPES)[number];

export function isScope(value: string): value is TScope {
  return (SCOPES as readonly string[]).includes(value);
}

export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** What a listing shows of a token: enough to tell tokens apart, useless to an attacker. */
export function tokenHint(token: string): string {
  return `${token.slice(0, TOKEN_PREFIX.length + 4)}…`;
}

/** The token of an `Authorization: Bearer pf_…` header, or why there is none. */
export function readBearer(header: string | null): { ok: true; token: string } | { ok: false; error: string } {
  if (!header) return { ok: false, error: "missing Authorization header: send `Authorization: Bearer pf_…`" };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { ok: false, error: "expected `Authorization: Bearer pf_…`" };
  if (!TOKEN_PATTERN.test(match[1]))
    return { ok: false, error: "not a Preflight token (they start with pf_ and have 46 characters)" };
  return { ok: true, token: match[1] };
}

/** Whether an Authorization header carries exactly this configured secret (the metrics token), in constant time. */
export function bearerMatches(header: string | null, expected: string): boolean {
  const given = Buffer.from(/^Bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1] ?? "", "utf8");
  const want = Buffer.from(expected, "utf8");
  return given.length === want.length && timingSafeEqual(given, want);
}
