import { describe, expect, it } from "vitest";
import { safeNextPath } from "./next-path";

// Known open-redirect bypasses of a "starts with /" check, each of which must land on "/".
const BYPASSES = [
  "//evil.example",
  "/\\evil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/%0A/evil.example",
  "/%0D/evil.example",
  "/%00/evil.example",
  "/%255Cevil.example",
  "https://evil.example",
  "http:/evil.example",
  "javascript:alert(1)",
  "evil.example",
  "\\\\evil.example",
  " //evil.example",
  "/%E2%80%AE/evil",
];

describe("safeNextPath", () => {
  it.each(BYPASSES)("refuses %j", (next) => {
    const path = safeNextPath(next);
    expect(
      path === "/" ||
        (!path.startsWith("//") && new URL(path, "http://preflight.invalid").origin === "http://preflight.invalid"),
    ).toBe(true);
    if (!/^\/%E2/.test(next)) expect(path).toBe("/");
  });

  it.each([
    ["/scorecard", "/scorecard"],
    ["/components/api?window=7d", "/components/api?window=7d"],
    ["/signoff#sign-technical-lead", "/signoff#sign-technical-lead"],
    ["/report?x=%2F", "/report?x=%2F"],
  ])("keeps the same-site path %j", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it("refuses anything that is not a string", () => {
    expect(safeNextPath(null)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath("/a".repeat(2000))).toBe("/");
  });
});
