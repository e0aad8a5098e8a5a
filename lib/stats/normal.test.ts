import { describe, expect, it } from "vitest";
import { readScipyFixture, relativeError } from "./mann-whitney-test-support";
import { normalPdf, normalSf } from "./normal";

const fixture = readScipyFixture();

describe("normalSf", () => {
  it.each(fixture.normalSf)("matches mpmath (40 digits) to 1e-13 at z = $z", ({ z, mpmath }) => {
    expect(relativeError(normalSf(z), mpmath)).toBeLessThan(1e-13);
  });

  // scipy's ndtr is itself ~6e-14 off mpmath in the far tail (the fixture shows it at z = 30), so this is looser.
  it.each(fixture.normalSf)("matches scipy.special.ndtr(-z) to 1e-12 at z = $z", ({ z, scipy }) => {
    expect(relativeError(normalSf(z), scipy)).toBeLessThan(1e-12);
  });

  it("is a tail: sf(z) + sf(-z) = 1, decreasing, and in [0, 1]", () => {
    let previous = 1;
    for (let z = -12; z <= 40; z += 0.037) {
      const p = normalSf(z);
      expect(p).toBeLessThanOrEqual(previous);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(Math.abs(p + normalSf(-z) - 1)).toBeLessThan(4e-16);
      previous = p;
    }
  });

  it("is continuous where it switches from the series to the continued fraction", () => {
    const below = normalSf(1.5 - 1e-12);
    const above = normalSf(1.5);
    expect(Math.abs(below - above) / above).toBeLessThan(1e-11);
  });

  it("handles infinities and NaN", () => {
    expect(normalSf(Number.POSITIVE_INFINITY)).toBe(0);
    expect(normalSf(Number.NEGATIVE_INFINITY)).toBe(1);
    expect(normalSf(Number.NaN)).toBeNaN();
    expect(normalSf(0)).toBe(0.5);
    expect(normalSf(1e6)).toBe(0);
  });

  it("has the density 1/sqrt(2π) at 0", () => {
    expect(normalPdf(0)).toBe(1 / Math.sqrt(2 * Math.PI));
  });
});
