import { describe, expect, it } from "vitest";
import { parseTrustedProxies, resolveClientAddress } from "./next-server.mjs";

describe("the web server's client address", () => {
  it("is the socket's, whatever X-Forwarded-For the client sends, when no proxy is trusted", () => {
    expect(resolveClientAddress("203.0.113.9", "10.78.0.1", [])).toBe("203.0.113.9");
    expect(resolveClientAddress("203.0.113.9", "10.78.0.1", parseTrustedProxies("10.0.0.0/8"))).toBe("203.0.113.9");
  });

  it("is the right-most untrusted hop when the socket is a trusted proxy", () => {
    const trusted = parseTrustedProxies("10.0.0.0/8, ::1");
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.7", trusted)).toBe("198.51.100.7");
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 198.51.100.7, 10.9.9.9", trusted)).toBe("198.51.100.7");
    expect(resolveClientAddress("::1", "198.51.100.7", trusted)).toBe("198.51.100.7");
    expect(resolveClientAddress("::ffff:10.0.0.5", "198.51.100.7", trusted)).toBe("198.51.100.7");
    expect(resolveClientAddress("10.1.2.3", "not-an-ip", trusted)).toBe("10.1.2.3");
  });

  it("refuses a malformed trusted-proxy list, naming the entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/proxy\.internal/);
    expect(parseTrustedProxies("")).toEqual([]);
  });
});
