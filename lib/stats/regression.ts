import { z } from "zod";
import { formatLatency, formatNumber } from "../format";
import { histogramCount, quantile, type SparseHistogram, validateHistogram } from "../history/histogram";
import { mannWhitneyBinned } from "./mann-whitney";

// The statistical regression judge: is the current window's latency distribution slower than the baseline's (the
// window of the last signed release)? Kayenta-style: a rank test for "is there a difference at all", an effect size
// for "is it big enough to matter", and NODATA, never a pass, when either side has too few samples.
//
// The test is one-sided (alternative "greater": current stochastically larger than baseline), because the check acts
// on one direction only; a faster build is a pass, not a finding.
//
// Why an effect-size floor, and why the common-language effect size (CLES = P(current > baseline) + ½P(tie)):
// probe histograms hold thousands to millions of samples, and at that size every shift is significant. The reference
// fixture's "large n" case is a 0.5 % median shift (half a histogram bucket) with p = 5e-11 and CLES = 0.504. The
// p-value is also optimistic, since successive probes of one service are not independent. So `alpha` only guards the
// small samples, and `minEffect` decides: fail needs CLES >= 0.5 + minEffect. CLES is the rank test's own effect size
// (U / (n1·n2)), needs no distribution shape, and is one of Kayenta's effect measures (with mean ratio and Cohen's d).
// A relative-p95 floor was not chosen: a p95 from a histogram moves in 1 % bucket steps and on the slowest 5 % only,
// and "p95 at most +10 % of the last signed release" is already a relative criterion (`compareWith: lastSigned`).
//
// Reading minEffect: Vargha & Delaney (2000) call A = CLES of 0.56 small, 0.64 medium and 0.71 large. For a log-normal
// latency with σ = 0.5 (a typical spread; ln-space σ), CLES = Φ(ln(r) / (σ√2)) for every percentile scaled by r, so
// the default 0.1 (CLES 0.6) is about 20 % slower throughout, and 0.06 (CLES 0.56) about 11 %. Tighter latencies
// reach the same CLES with smaller shifts (σ = 0.2: 0.6 at ~7.4 % slower).

export const ZRegressionOptions = z.strictObject({
  /** Significance level of the one-sided test. */
  alpha: z.number().gt(0).lt(1).default(0.05),
  /** Smallest CLES shift from ½ that fails: 0.1 fails at P(current > baseline) >= 0.6. */
  minEffect: z.number().min(0).max(0.5).default(0.1),
  /** Fewest successful samples on each side; below it, NODATA. The normal approximation needs tens a side. */
  minSamples: z.number().int().min(1).default(50),
});
export type TRegressionOptions = z.output<typeof ZRegressionOptions>;
export type TRegressionOptionsInput = z.input<typeof ZRegressionOptions>;

export type TRegressionVerdict = "pass" | "fail" | "nodata";

export type TRegressionJudgement = {
  verdict: TRegressionVerdict;
  /** One-sided p-value for "current slower than baseline"; null when NODATA. */
  pValue: number | null;
  /** CLES, P(current > baseline) + ½P(tie), in [0, 1]; ½ is no difference. Null when NODATA. */
  effect: number | null;
  /** 2·effect - 1, in [-1, 1]. Null when NODATA. */
  rankBiserial: number | null;
  /** Null only for an empty side. */
  baselineP95Ms: number | null;
  currentP95Ms: number | null;
  nBaseline: number;
  nCurrent: number;
  /** The thresholds the verdict was taken with, so it can be shown next to its figures. */
  criteria: TRegressionOptions;
  reason: string;
};

function formatP(p: number): string {
  // Past ~1e-308 the normal tail underflows: say "below" rather than print a p of 0.
  return p === 0 ? "p < 1e-300" : `p = ${formatNumber(p)}`;
}

/**
 * Judges `current` against `baseline`, both latency histograms of successful probes in Preflight's bucket layout.
 * Throws InvalidHistogramError on a malformed histogram and a ZodError on bad options.
 */
export function judgeRegression(
  baseline: SparseHistogram,
  current: SparseHistogram,
  options: TRegressionOptionsInput = {},
): TRegressionJudgement {
  const criteria = ZRegressionOptions.parse(options);
  validateHistogram(baseline);
  validateHistogram(current);
  const nBaseline = histogramCount(baseline);
  const nCurrent = histogramCount(current);
  const baselineP95Ms = quantile(baseline, 0.95);
  const currentP95Ms = quantile(current, 0.95);
  const base = { baselineP95Ms, currentP95Ms, nBaseline, nCurrent, criteria };
  const p95s = `p95 ${formatLatency(baselineP95Ms)} → ${formatLatency(currentP95Ms)}`;

  if (nBaseline < criteria.minSamples || nCurrent < criteria.minSamples) {
    return {
      ...base,
      verdict: "nodata",
      pValue: null,
      effect: null,
      rankBiserial: null,
      reason:
        `too few samples to compare: baseline ${formatNumber(nBaseline)}, current ${formatNumber(nCurrent)} ` +
        `(at least ${formatNumber(criteria.minSamples)} a side)`,
    };
  }

  const test = mannWhitneyBinned(current, baseline, { alternative: "greater" });
  const figures = { pValue: test.pValue, effect: test.cles, rankBiserial: test.rankBiserial };
  const effectText = `P(current slower) = ${formatNumber(test.cles)}`;
  const failAt = 0.5 + criteria.minEffect;
  const significant = test.pValue < criteria.alpha;
  const large = test.cles > 0.5 && test.cles >= failAt;

  if (significant && large) {
    return {
      ...base,
      ...figures,
      verdict: "fail",
      reason:
        `slower than the baseline: ${effectText} ≥ ${formatNumber(failAt)}, ` +
        `${formatP(test.pValue)} < ${formatNumber(criteria.alpha)}; ${p95s}`,
    };
  }
  const why =
    test.cles <= 0.5
      ? `not slower than the baseline: ${effectText}`
      : !significant
        ? `no significant slowdown: ${formatP(test.pValue)} ≥ ${formatNumber(criteria.alpha)}, ${effectText}`
        : `slower, but less than the effect that fails: ${effectText} < ${formatNumber(failAt)} ` +
          `(${formatP(test.pValue)})`;
  return { ...base, ...figures, verdict: "pass", reason: `${why}; ${p95s}` };
}
