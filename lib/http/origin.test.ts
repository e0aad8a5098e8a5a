import { describe, expect, it } from "vitest";
import { ownOrigins, refuseCrossOrigin } from "./origin";

// The Origin check on its own, request by request: what passes, what is refused, and that a refusal names the
// origin it came from.

const COOKIE = "better-auth.session_token=abc.def";
const post = (headers: Record<string, string>, url = "http://localhost:3000/api/v1/components/api/probe") =>
  new Request(url, { method: "POST", headers });

type TCase = [string, Record<string, string>, string | undefined, "passes" | RegExp];

const CASES: TCase[] = [
  [
    "the same origin, as Host names it",
    { origin: "http://localhost:3000", host: "localhost:3000", cookie: COOKIE },
    undefined,
    "passes",
  ],
  [
    "the same host behind a TLS proxy",
    { origin: "https://preflight.example.com", host: "preflight.example.com", cookie: COOKIE },
    undefined,
    "passes",
  ],
  [
    "the host a proxy forwarded",
    {
      origin: "https://preflight.example.com",
      host: "10.0.0.5:3000",
      "x-forwarded-host": "preflight.example.com",
      cookie: COOKIE,
    },
    undefined,
    "passes",
  ],
  [
    "another port of the same host",
    { origin: "http://localhost:9999", host: "localhost:3000", cookie: COOKIE },
    undefined,
    /comes from http:\/\/localhost:9999.*localhost:3000/,
  ],
  [
    "another site",
    { origin: "https://evil.example", host: "localhost:3000", cookie: COOKIE },
    undefined,
    /comes from https:\/\/evil\.example/,
  ],
  [
    "an opaque origin (sandboxed frame)",
    { origin: "null", host: "localhost:3000", cookie: COOKIE },
    undefined,
    /comes from null/,
  ],
  [
    "no Origin, cross-site by Fetch Metadata",
    { "sec-fetch-site": "cross-site", host: "localhost:3000", cookie: COOKIE },
    undefined,
    /cross-site request without an Origin/,
  ],
  [
    "no Origin, same-site by Fetch Metadata",
    { "sec-fetch-site": "same-site", host: "localhost:3000", cookie: COOKIE },
    undefined,
    /same-site request without an Origin/,
  ],
  [
    "no Origin, same-origin by Fetch Metadata",
    { "sec-fetch-site": "same-origin", host: "localhost:3000", cookie: COOKIE },
    undefined,
    "passes",
  ],
  [
    "no Origin and no Fetch Metadata (curl with a cookie)",
    { host: "localhost:3000", cookie: COOKIE },
    undefined,
    "passes",
  ],
  [
    "a bearer token without a cookie, from anywhere",
    { origin: "http://localhost:9999", authorization: "Bearer pf_x" },
    undefined,
    "passes",
  ],
  [
    "a bearer token with a cookie, cross-origin",
    { origin: "http://localhost:9999", host: "localhost:3000", authorization: "Bearer pf_x", cookie: COOKIE },
    undefined,
    /localhost:9999/,
  ],
  [
    "the public URL's origin",
    { origin: "https://preflight.example.com", host: "10.0.0.5:3000", cookie: COOKIE },
    "https://preflight.example.com/",
    "passes",
  ],
  [
    "the Host's origin when a public URL is set",
    { origin: "http://10.0.0.5:3000", host: "10.0.0.5:3000", cookie: COOKIE },
    "https://preflight.example.com",
    /comes from http:\/\/10\.0\.0\.5:3000.*https:\/\/preflight\.example\.com \(PREFLIGHT_PUBLIC_URL\)/,
  ],
  [
    "the public URL over http when it is https",
    { origin: "http://preflight.example.com", host: "preflight.example.com", cookie: COOKIE },
    "https://preflight.example.com",
    /comes from http:\/\/preflight\.example\.com/,
  ],
  [
    "a forwarded host when a public URL is set",
    { origin: "https://evil.example", "x-forwarded-host": "evil.example", cookie: COOKIE },
    "https://preflight.example.com",
    /evil\.example/,
  ],
];

describe("refuseCrossOrigin", () => {
  it.each(CASES)("%s", async (_what, headers, publicUrl, expected) => {
    const response = refuseCrossOrigin(post(headers), publicUrl);
    if (expected === "passes") {
      expect(response).toBeNull();
      return;
    }
    expect(response?.status).toBe(403);
    const body = (await response?.json()) as { error: string };
    expect(body.error).toMatch(/^cross-origin request refused: /);
    expect(body.error).toMatch(expected);
  });

  it("falls back to the request URL's host for an in-process call without Host", () => {
    expect(refuseCrossOrigin(post({ origin: "http://localhost:3000", cookie: COOKIE }), undefined)).toBeNull();
    expect(refuseCrossOrigin(post({ origin: "http://localhost:9999", cookie: COOKIE }), undefined)?.status).toBe(403);
  });
});

describe("ownOrigins", () => {
  it("is the public URL's origin alone when it is set", () => {
    expect(ownOrigins(post({ host: "localhost:3000" }), "https://preflight.example.com/base/")).toEqual([
      "https://preflight.example.com",
    ]);
  });

  it("is the requested host over http and https otherwise, normalised", () => {
    expect(ownOrigins(post({ host: "LOCALHOST:3000" }), undefined)).toEqual([
      "http://localhost:3000",
      "https://localhost:3000",
    ]);
    expect(ownOrigins(post({ host: "preflight.example.com:443" }), undefined)).toEqual([
      "http://preflight.example.com:443",
      "https://preflight.example.com",
    ]);
  });
});
