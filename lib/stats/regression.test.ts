import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { fromSamples, InvalidHistogramError, quantile, type SparseHistogram } from "../history/histogram";
import { normal, seededRandom } from "../history/histogram-test-support";
import { mannWhitneyBinned } from "./mann-whitney";
import { judgeRegression } from "./regression";

/** n log-normal latencies with the given median (ms) and ln-space sigma, in Preflight's buckets. */
function latencies(n: number, medianMs: number, seed: number, sigma = 0.5): SparseHistogram {
  const random = seededRandom(seed);
  return fromSamples(Array.from({ length: n }, () => medianMs * Math.exp(sigma * normal(random))));
}

const baseline = latencies(5_000, 40, 1);

describe("judgeRegression", () => {
  it("passes the same distribution, with its figures", () => {
    const current = latencies(4_000, 40, 2);
    const j = judgeRegression(baseline, current);
    expect(j.verdict).toBe("pass");
    expect(j.pValue).toBeGreaterThan(0.05);
    expect(j.effect).toBeGreaterThan(0.45);
    expect(j.effect).toBeLessThan(0.55);
    expect(j.nBaseline).toBe(5_000);
    expect(j.nCurrent).toBe(4_000);
    expect(j.baselineP95Ms).toBe(quantile(baseline, 0.95));
    expect(j.currentP95Ms).toBe(quantile(current, 0.95));
    expect(j.reason).toMatch(/^no significant slowdown: p = [\d.]+ ≥ 0.05/);
  });

  it("fails a slower build (every latency 35 % up) and shows p, the effect and both p95s", () => {
    const current = latencies(4_000, 54, 3);
    const j = judgeRegression(baseline, current);
    const reference = mannWhitneyBinned(current, baseline, { alternative: "greater" });
    expect(j.verdict).toBe("fail");
    expect(j.pValue).toBe(reference.pValue);
    expect(j.pValue).toBeLessThan(1e-10);
    expect(j.effect).toBe(reference.cles);
    // Log-normal with sigma 0.5, all scaled by 1.35: CLES = Φ(ln 1.35 / (0.5 √2)) ≈ 0.66.
    expect(j.effect).toBeGreaterThan(0.62);
    expect(j.effect).toBeLessThan(0.7);
    expect(j.rankBiserial).toBeCloseTo(2 * (j.effect ?? 0) - 1, 15);
    expect(j.currentP95Ms ?? 0).toBeGreaterThan((j.baselineP95Ms ?? 0) * 1.25);
    expect(j.reason).toMatch(
      /^slower than the baseline: P\(current slower\) = 0\.6\d* ≥ 0\.6, p = .+ < 0\.05; p95 \d+ ms → \d+ ms$/,
    );
  });

  it("passes a faster build", () => {
    const j = judgeRegression(baseline, latencies(4_000, 30, 4));
    expect(j.verdict).toBe("pass");
    expect(j.effect).toBeLessThan(0.4);
    expect(j.pValue).toBeGreaterThan(0.99);
    expect(j.reason).toMatch(/^not slower than the baseline/);
  });

  it("is NODATA, never a pass, when either side has too few samples", () => {
    const small = latencies(49, 80, 5);
    const cases: [SparseHistogram, SparseHistogram][] = [
      [baseline, small],
      [small, baseline],
      [{ idx: [], counts: [] }, baseline],
    ];
    for (const [b, c] of cases) {
      const j = judgeRegression(b, c);
      expect(j.verdict).toBe("nodata");
      expect(j.pValue).toBeNull();
      expect(j.effect).toBeNull();
      expect(j.rankBiserial).toBeNull();
      expect(j.reason).toMatch(
        /^too few samples to compare: baseline \d[\d ]*, current \d[\d ]* \(at least 50 a side\)$/,
      );
    }
    const empty = judgeRegression({ idx: [], counts: [] }, small);
    expect(empty.baselineP95Ms).toBeNull();
    expect(empty.currentP95Ms).toBe(quantile(small, 0.95));
    // 49 a side is NODATA at the default, and judged once the threshold allows it.
    expect(judgeRegression(baseline, small, { minSamples: 49 }).verdict).toBe("fail");
  });

  it("passes a significant but small shift, which a zero effect floor fails", () => {
    // 200 000 a side, 3 % slower: significant, but CLES = Φ(ln 1.03 / (0.5 √2)) ≈ 0.517.
    const big = latencies(200_000, 40, 6);
    const current = latencies(200_000, 41.2, 7);
    const j = judgeRegression(big, current);
    expect(j.pValue).toBeLessThan(1e-6);
    expect(j.effect).toBeGreaterThan(0.505);
    expect(j.effect).toBeLessThan(0.53);
    expect(j.verdict).toBe("pass");
    expect(j.reason).toMatch(
      /^slower, but less than the effect that fails: P\(current slower\) = [\d.]+ < 0\.6 \(p = /,
    );
    expect(judgeRegression(big, current, { minEffect: 0 }).verdict).toBe("fail");
  });

  it("fails at exactly the effect floor, and passes just below it", () => {
    // Baseline: 100 samples in bucket 500. Current: k in bucket 501, the rest tied in 500.
    // CLES = k/100 + ½(100 - k)/100, so k = 20 gives 0.6 exactly; p is about 1e-6 (z = 999.5 / 212.7 by the
    // tie-corrected σ).
    const base = { idx: [500], counts: [100] };
    const at = (k: number) => judgeRegression(base, { idx: [500, 501], counts: [100 - k, k] });
    expect(at(20).effect).toBe(0.6);
    expect(at(20).verdict).toBe("fail");
    expect(at(19).effect).toBe(0.595);
    expect(at(19).verdict).toBe("pass");
  });

  it("takes alpha as configured", () => {
    // Small samples and a real shift: significant at 0.05, not at 1e-6.
    const b = latencies(60, 40, 8);
    const c = latencies(60, 60, 9);
    const j = judgeRegression(b, c);
    expect(j.verdict).toBe("fail");
    expect(j.pValue).toBeGreaterThan(1e-6);
    const strict = judgeRegression(b, c, { alpha: 1e-6 });
    expect(strict.verdict).toBe("pass");
    expect(strict.criteria).toEqual({ alpha: 1e-6, minEffect: 0.1, minSamples: 50 });
    expect(strict.reason).toMatch(/^no significant slowdown: p = .+ ≥ 0.000001/);
  });

  it("rejects bad options and malformed histograms", () => {
    expect(() => judgeRegression(baseline, baseline, { alpha: 0 })).toThrow(ZodError);
    expect(() => judgeRegression(baseline, baseline, { minEffect: 0.6 })).toThrow(ZodError);
    expect(() => judgeRegression(baseline, baseline, { minSamples: 2.5 })).toThrow(ZodError);
    expect(() => judgeRegression(baseline, { idx: [3, 2], counts: [1, 1] })).toThrow(InvalidHistogramError);
  });
});
