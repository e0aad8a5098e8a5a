import { normalSf } from "./normal";

// Mann-Whitney U on binned samples. Preflight keeps latencies as histograms (lib/history/histogram.ts), not raw
// values, so the test works on counts per bucket: every value inside a bucket is tied with every other, and samples
// in different buckets are ordered by bucket. That is exactly the expanded-sample test with ties, so the results
// equal scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True) on the expanded samples
// (lib/stats/fixtures/mannwhitney-scipy.json, made by scripts/mannwhitney-reference.py). No exact method: with ties
// and the sample sizes a rollup holds (thousands to billions), the normal approximation is what applies.
//
// Cost is O(buckets) whatever the counts. The statistic and the variance are integer expressions, kept exact in
// BigInt: with 1e9 samples a side, n1·n2 = 1e18 and Σ(t³ - t) reaches 1e27, far past 2^53, and the variance is a
// difference ((n + 1) - ties / (n(n - 1))) that cancels badly when most samples share a few buckets. Only the
// final ratios are taken in floating point.

/** Counts per bucket. Buckets are ordered by idx (strictly increasing); both samples must use the same layout.
 *  Preflight's SparseHistogram fits as is; counts may also be bigints, and zero counts are allowed. */
export type BinnedSample = { idx: readonly number[]; counts: readonly (number | bigint)[] };

/** As in scipy: "greater" means x tends to be larger than y (for latency, x slower than y). */
export type MannWhitneyAlternative = "two-sided" | "greater" | "less";

export type MannWhitneyOptions = { alternative?: MannWhitneyAlternative; continuity?: boolean };

export type MannWhitneyResult = {
  alternative: MannWhitneyAlternative;
  n1: number;
  n2: number;
  /** U of x (scipy's `statistic`): pairs with x > y, plus half the tied pairs. Exact while below 2^53. */
  u1: number;
  /** n1·n2 - u1. */
  u2: number;
  /** 2·u1, exact at any size (u1 is a multiple of 1/2). */
  twiceU1: bigint;
  /** The standardised statistic the p-value is the normal tail of (continuity-corrected when asked). */
  z: number;
  pValue: number;
  /** Common-language effect size, the probability of superiority P(X > Y) + P(X = Y) / 2 = u1 / (n1·n2). */
  cles: number;
  /** Rank-biserial correlation 2·cles - 1, in [-1, 1]; positive when x tends to be larger. */
  rankBiserial: number;
};

export class InvalidSampleError extends Error {
  override name = "InvalidSampleError";
}

function toCounts(sample: BinnedSample, label: string): bigint[] {
  if (!Array.isArray(sample.idx) || !Array.isArray(sample.counts)) {
    throw new InvalidSampleError(`${label}: idx and counts must be arrays`);
  }
  if (sample.idx.length !== sample.counts.length) {
    throw new InvalidSampleError(
      `${label}: idx has ${sample.idx.length} entries but counts has ${sample.counts.length}`,
    );
  }
  return sample.idx.map((i, k) => {
    if (!Number.isFinite(i)) throw new InvalidSampleError(`${label}: idx[${k}] = ${String(i)} is not a finite number`);
    const previous = sample.idx[k - 1];
    if (previous !== undefined && i <= previous) {
      throw new InvalidSampleError(`${label}: idx must be strictly increasing, idx[${k}] = ${i} after ${previous}`);
    }
    const c = sample.counts[k];
    if (typeof c === "bigint") {
      if (c < 0n) throw new InvalidSampleError(`${label}: counts[${k}] = ${c} is negative`);
      return c;
    }
    if (c === undefined || !Number.isSafeInteger(c) || c < 0) {
      throw new InvalidSampleError(`${label}: counts[${k}] = ${String(c)} is not a non-negative integer`);
    }
    return BigInt(c);
  });
}

/**
 * Mann-Whitney U test of x against y, both binned over the same bucket layout. Defaults as scipy's:
 * two-sided, with continuity correction. Throws InvalidSampleError on malformed input or an empty sample.
 */
export function mannWhitneyBinned(
  x: BinnedSample,
  y: BinnedSample,
  { alternative = "two-sided", continuity = true }: MannWhitneyOptions = {},
): MannWhitneyResult {
  const cx = toCounts(x, "x");
  const cy = toCounts(y, "y");

  // One ascending walk over the union of buckets. A bucket's x values beat every y value in lower buckets and tie
  // with the y values in their own: 2·U1 = Σ cx · (2·(y below) + cy), the rank-sum definition R1 - n1(n1+1)/2
  // rearranged. t = cx + cy is the bucket's tie group for the variance's tie correction.
  let twiceU1 = 0n;
  let yBelow = 0n;
  let ties = 0n;
  let n1 = 0n;
  let n2 = 0n;
  let i = 0;
  let j = 0;
  while (i < cx.length || j < cy.length) {
    const xi = x.idx[i] ?? Number.POSITIVE_INFINITY;
    const yj = y.idx[j] ?? Number.POSITIVE_INFINITY;
    const a = xi <= yj ? (cx[i] ?? 0n) : 0n;
    const b = yj <= xi ? (cy[j] ?? 0n) : 0n;
    if (xi <= yj) i++;
    if (yj <= xi) j++;
    twiceU1 += a * (2n * yBelow + b);
    const t = a + b;
    ties += t * t * t - t;
    yBelow += b;
    n1 += a;
    n2 += b;
  }
  if (n1 === 0n || n2 === 0n) {
    throw new InvalidSampleError(`both samples need at least one value (x has ${n1}, y has ${n2})`);
  }

  const n = n1 + n2;
  const pairs = n1 * n2;
  // scipy's σ² = n1·n2/12 · ((n + 1) - Σ(t³ - t) / (n(n - 1))), over one denominator so that the difference is exact:
  // σ² = n1·n2 · (n³ - n - Σ(t³ - t)) / (12·n·(n - 1)). The bracket is 0 exactly when all samples share one bucket.
  const spread = n * n * n - n - ties;
  const sigma = Math.sqrt((Number(pairs) / Number(12n * n * (n - 1n))) * Number(spread));

  const twiceU2 = 2n * pairs - twiceU1;
  // scipy takes the tail of U1 for "greater", of U2 for "less" (by symmetry), and twice the larger's for two-sided;
  // the continuity correction then always subtracts 1/2, which only ever raises the p-value.
  const twiceU =
    alternative === "greater" ? twiceU1 : alternative === "less" ? twiceU2 : twiceU1 > twiceU2 ? twiceU1 : twiceU2;
  const twiceNumerator = twiceU - pairs - (continuity ? 1n : 0n);
  const numerator = Number(twiceNumerator) / 2;
  // σ = 0: every sample tied, U = n1·n2/2; scipy divides and gets -inf (p = 1) with the correction, NaN without.
  const z =
    sigma > 0
      ? numerator / sigma
      : numerator < 0
        ? Number.NEGATIVE_INFINITY
        : numerator > 0
          ? Number.POSITIVE_INFINITY
          : Number.NaN;
  const factor = alternative === "two-sided" ? 2 : 1;
  const pValue = Math.min(1, Math.max(0, factor * normalSf(z)));

  const cles = Number(twiceU1) / (2 * Number(pairs));
  return {
    alternative,
    n1: Number(n1),
    n2: Number(n2),
    u1: Number(twiceU1) / 2,
    u2: Number(twiceU2) / 2,
    twiceU1,
    z,
    pValue,
    cles,
    rankBiserial: 2 * cles - 1,
  };
}
