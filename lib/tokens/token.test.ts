import { describe, expect, it } from "vitest";
import { bearerMatches, generateToken, hashToken, readBearer, TOKEN_PATTERN, tokenHint } from "./token";

describe("API tokens", () => {
  it("start with pf_ and carry 32 random bytes, never the same twice", () => {
    const tokens = Array.from({ length: 50 }, generateToken);
    for (const token of tokens) expect(token).toMatch(TOKEN_PATTERN);
    expect(new Set(tokens).size).toBe(50);
  });

  it("are stored as a SHA-256 hex digest and listed by a hint that cannot be used", () => {
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).not.toContain(token.slice(3));
    expect(tokenHint(token)).toBe(`${token.slice(0, 7)}…`);
  });

  it("are read from a Bearer header, and anything else is named", () => {
    const token = generateToken();
    expect(readBearer(`Bearer ${token}`)).toEqual({ ok: true, token });
    expect(readBearer(`bearer   ${token} `)).toEqual({ ok: true, token });
    expect(readBearer(null)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^missing Authorization header/),
    });
    expect(readBearer(`Basic ${token}`)).toMatchObject({ ok: false, error: "expected `Authorization: Bearer pf_…`" });
    expect(readBearer("Bearer ghp_abcdef")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^not a Preflight token/),
    });
    expect(readBearer(`Bearer ${token}x`)).toMatchObject({ ok: false });
  });

  it("match a configured bearer secret exactly, and nothing else", () => {
    const secret = "metrics-scrape-secret-0123";
    expect(bearerMatches(`Bearer ${secret}`, secret)).toBe(true);
    expect(bearerMatches(`Bearer ${secret}x`, secret)).toBe(false);
    expect(bearerMatches(`Bearer ${secret.slice(0, -1)}`, secret)).toBe(false);
    expect(bearerMatches(`Basic ${secret}`, secret)).toBe(false);
    expect(bearerMatches(null, secret)).toBe(false);
  });
});
