import { describe, expect, it } from "vitest";
import { InvalidSampleError, mannWhitneyBinned, type MannWhitneyAlternative } from "./mann-whitney";
import { readScipyFixture, relativeError } from "./mann-whitney-test-support";

// Against scipy 1.17's mannwhitneyu(method="asymptotic", use_continuity=True) on the expanded samples, stored in
// fixtures/mannwhitney-scipy.json by scripts/mannwhitney-reference.py (its header says how, and with what versions).
//
// Tolerance 1e-11 relative. Both sides compute the same formula; they differ in how: scipy sums float64 ranks and
// takes σ² with a float subtraction, this code keeps U and σ² exact in BigInt; scipy's ndtr and normalSf differ by up
// to ~6e-14 in the tail; and a relative error ε in z moves the tail p by about z²·ε (z reaches 34 here). The largest
// difference measured over the fixture is 2.7e-13 ("deep tail", z = 34.5). 1e-11 leaves headroom for another
// platform's libm and still fails on a formula slip: even the continuity correction, the smallest term, moves p by
// 6e-6 at n = 10 000 a side. U is compared exactly.

const fixture = readScipyFixture();
const ALTERNATIVES: MannWhitneyAlternative[] = ["two-sided", "greater", "less"];
const TOLERANCE = 1e-11;

describe("mannWhitneyBinned against scipy", () => {
  it("uses a fixture made by scipy, with its versions and command", () => {
    expect(fixture.versions.scipy).toMatch(/^\d+\.\d+/);
    expect(fixture.command).toContain("mannwhitney-reference.py");
    expect(fixture.cases.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(fixture.cases)("$name", ({ x, y, n1, n2, u1, pValue }) => {
    it.each(ALTERNATIVES)("%s", (alternative) => {
      const result = mannWhitneyBinned(x, y, { alternative });
      expect(result.n1).toBe(n1);
      expect(result.n2).toBe(n2);
      expect(result.u1).toBe(u1);
      expect(result.twiceU1).toBe(BigInt(2 * u1));
      expect(result.u2).toBe(n1 * n2 - u1);
      expect(relativeError(result.pValue, pValue[alternative])).toBeLessThan(TOLERANCE);
      expect(result.cles).toBeCloseTo(u1 / (n1 * n2), 14);
      expect(result.rankBiserial).toBeCloseTo((2 * u1) / (n1 * n2) - 1, 14);
    });
  });

  describe.each(fixture.largeCases)("$name (counts past 2^53 pairs)", ({ x, y, n1, n2, twiceU1, pValue }) => {
    it.each(ALTERNATIVES)("%s", (alternative) => {
      const result = mannWhitneyBinned(x, y, { alternative });
      expect(result.n1).toBe(n1);
      expect(result.n2).toBe(n2);
      expect(result.twiceU1).toBe(BigInt(twiceU1));
      expect(relativeError(result.pValue, pValue[alternative])).toBeLessThan(TOLERANCE);
    });
  });
});

describe("mannWhitneyBinned", () => {
  // Hand-computed: x = {1: 2, 2: 1}, y = {1: 1, 3: 1}. Pairs x > y: the x in bucket 2 beats y's 1 -> 1; ties in bucket
  // 1: 2 x with 1 y -> 2 halves. U1 = 2, n1·n2 = 6. Ties: bucket 1 holds 3 (3³ - 3 = 24). σ² = 6 (5³ - 5 - 24) /
  // (12·5·4) = 6·96/240 = 2.4. Two-sided: U = max(2, 4) = 4, z = (4 - 3 - 0.5)/√2.4.
  it("computes a small case by hand", () => {
    const result = mannWhitneyBinned({ idx: [1, 2], counts: [2, 1] }, { idx: [1, 3], counts: [1, 1] });
    expect(result.u1).toBe(2);
    expect(result.z).toBeCloseTo(0.5 / Math.sqrt(2.4), 15);
    expect(result.cles).toBeCloseTo(1 / 3, 15);
  });

  it("is antisymmetric: swapping the samples swaps U and turns 'greater' into 'less'", () => {
    const [a, b] = [fixture.cases[2], fixture.cases[5]];
    for (const c of [a, b]) {
      if (!c) throw new Error("fixture too short");
      const forward = mannWhitneyBinned(c.x, c.y, { alternative: "greater" });
      const backward = mannWhitneyBinned(c.y, c.x, { alternative: "less" });
      expect(backward.u1).toBe(forward.u2);
      expect(backward.pValue).toBe(forward.pValue);
      expect(backward.rankBiserial).toBeCloseTo(-forward.rankBiserial, 14);
    }
  });

  it("gives the same answer for dense input with zero counts, and for bigint counts", () => {
    const sparse = mannWhitneyBinned({ idx: [3, 9], counts: [5, 7] }, { idx: [1, 9], counts: [4, 4] });
    const dense = mannWhitneyBinned(
      { idx: [1, 3, 5, 9], counts: [0, 5, 0, 7] },
      { idx: [1, 3, 5, 9], counts: [4n, 0n, 0n, 4n] },
    );
    expect(dense).toEqual(sparse);
  });

  it("keeps U exact with 1e9 samples in each of 2 001 buckets, in linear time", () => {
    const idx = Array.from({ length: 2001 }, (_, i) => i);
    const counts = idx.map(() => 1_000_000_000);
    const started = performance.now();
    const same = mannWhitneyBinned({ idx, counts }, { idx, counts });
    // n = 2.001e12 a side: U = n²/2 exactly, and 2U = n² is far past 2^53.
    expect(same.twiceU1).toBe(2_001_000_000_000n * 2_001_000_000_000n);
    expect(same.pValue).toBe(1);
    // Shifted up one bucket: x beats y everywhere except the 2 000 tied pairs of buckets.
    const shifted = mannWhitneyBinned(
      { idx: idx.map((i) => i + 1), counts },
      { idx, counts },
      { alternative: "greater" },
    );
    const perBucket = 1_000_000_000n;
    const n = 2001n * perBucket;
    // Pairs (x bucket i+1, y bucket j): x wins for j <= i, ties for j = i + 1. 2U1 = 2·Σ_i (i+1)·c² + 2000·c².
    expect(shifted.twiceU1).toBe(2n * ((2001n * 2002n) / 2n) * perBucket * perBucket + 2000n * perBucket * perBucket);
    expect(shifted.cles).toBeGreaterThan(0.5);
    expect(shifted.pValue).toBe(0);
    expect(Number(n)).toBe(2.001e12);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("gives p = 1 when every sample sits in one bucket, as scipy does (z = -inf)", () => {
    const result = mannWhitneyBinned({ idx: [4], counts: [10] }, { idx: [4], counts: [20] });
    expect(result.z).toBe(Number.NEGATIVE_INFINITY);
    expect(result.pValue).toBe(1);
    // Without the continuity correction scipy divides 0 by 0.
    expect(
      mannWhitneyBinned({ idx: [4], counts: [10] }, { idx: [4], counts: [20] }, { continuity: false }).pValue,
    ).toBeNaN();
  });

  it("fails the tolerance on a formula slip: dropping the continuity correction at n = 10 000 a side", () => {
    const ties = fixture.cases.find((c) => c.name === "heavy ties");
    if (!ties) throw new Error("fixture has no heavy ties case");
    const without = mannWhitneyBinned(ties.x, ties.y, { alternative: "greater", continuity: false });
    expect(relativeError(without.pValue, ties.pValue.greater)).toBeGreaterThan(1_000 * TOLERANCE);
  });

  it.each([
    ["length mismatch", { idx: [1, 2], counts: [1] }, /idx has 2 entries but counts has 1/],
    ["decreasing idx", { idx: [2, 1], counts: [1, 1] }, /strictly increasing/],
    ["duplicate idx", { idx: [1, 1], counts: [1, 1] }, /strictly increasing/],
    ["negative count", { idx: [1], counts: [-1] }, /not a non-negative integer/],
    ["fractional count", { idx: [1], counts: [1.5] }, /not a non-negative integer/],
    ["negative bigint", { idx: [1], counts: [-2n] }, /negative/],
    ["NaN idx", { idx: [Number.NaN], counts: [1] }, /not a finite number/],
    ["empty", { idx: [], counts: [] }, /at least one value/],
    ["all zero", { idx: [1, 2], counts: [0, 0] }, /at least one value/],
  ])("rejects %s", (_label, bad, message) => {
    expect(() => mannWhitneyBinned(bad, { idx: [1], counts: [3] })).toThrow(InvalidSampleError);
    expect(() => mannWhitneyBinned({ idx: [1], counts: [3] }, bad)).toThrow(message);
  });
});
