import { describe, expect, it } from "vitest";
import { getPublicBaseUrl, PUBLIC_URL_MISSING } from "./public-url";

// Links handed to others come from the configuration alone: the public URL, else localhost where the server can
// be reached at nothing else, else no link at all.

type TEnvCase = {
  PREFLIGHT_PUBLIC_URL?: string;
  PREFLIGHT_HOST?: string;
  PORT: number;
  NODE_ENV: "production" | "development" | "test";
};

const CASES: [string, TEnvCase, ReturnType<typeof getPublicBaseUrl>][] = [
  [
    "the public URL, without a trailing slash",
    { PREFLIGHT_PUBLIC_URL: "https://preflight.example.com/", PORT: 3000, NODE_ENV: "production" },
    { ok: true, url: "https://preflight.example.com", configured: true },
  ],
  [
    "the public URL, whatever the server binds",
    { PREFLIGHT_PUBLIC_URL: "https://p.example.com", PREFLIGHT_HOST: "127.0.0.1", PORT: 3000, NODE_ENV: "production" },
    { ok: true, url: "https://p.example.com", configured: true },
  ],
  [
    "localhost for a server bound to 127.0.0.1 (the demo)",
    { PREFLIGHT_HOST: "127.0.0.1", PORT: 3100, NODE_ENV: "production" },
    { ok: true, url: "http://localhost:3100", configured: false },
  ],
  [
    "localhost for a server bound to ::1",
    { PREFLIGHT_HOST: "::1", PORT: 3000, NODE_ENV: "production" },
    { ok: true, url: "http://localhost:3000", configured: false },
  ],
  [
    "localhost for a server bound to localhost",
    { PREFLIGHT_HOST: "localhost", PORT: 3000, NODE_ENV: "production" },
    { ok: true, url: "http://localhost:3000", configured: false },
  ],
  [
    "localhost outside production",
    { PORT: 3000, NODE_ENV: "development" },
    { ok: true, url: "http://localhost:3000", configured: false },
  ],
  [
    "nothing for production on every interface",
    { PORT: 3000, NODE_ENV: "production" },
    { ok: false, message: PUBLIC_URL_MISSING },
  ],
  [
    "nothing for production on 0.0.0.0",
    { PREFLIGHT_HOST: "0.0.0.0", PORT: 3000, NODE_ENV: "production" },
    { ok: false, message: PUBLIC_URL_MISSING },
  ],
  [
    "nothing for production on a network address",
    { PREFLIGHT_HOST: "10.0.0.5", PORT: 3000, NODE_ENV: "production" },
    { ok: false, message: PUBLIC_URL_MISSING },
  ],
  [
    "nothing for a host name that merely starts like loopback",
    { PREFLIGHT_HOST: "127.0.0.1.evil.example", PORT: 3000, NODE_ENV: "production" },
    { ok: false, message: PUBLIC_URL_MISSING },
  ],
];

describe("getPublicBaseUrl", () => {
  it.each(CASES)("%s", (_what, env, expected) => {
    expect(getPublicBaseUrl(env)).toEqual(expected);
  });

  it("says what to set when there is no address", () => {
    expect(PUBLIC_URL_MISSING).toMatch(/set it/);
    expect(PUBLIC_URL_MISSING).toContain("PREFLIGHT_PUBLIC_URL");
  });
});
