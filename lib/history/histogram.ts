// Mergeable latency histogram with fixed log-scaled buckets. Every process and every SQL rollup uses the
// same bucket layout, so minute rows merge into hour rows, and hour rows into any window up to a year,
// and p50/p95/p99 come from the rollups instead of raw rows.
//
// Layout (x is a latency in ms):
//   bucket 0          x <= MIN_MS (0.01 ms): an underflow bucket; reported as MIN_MS / 2 (absolute error
//                     at most 0.005 ms, irrelevant for network probes).
//   bucket i >= 1     i = 1 + floor((ln(x) - ln(MIN_MS)) / LN_GAMMA + EPSILON), so bucket i holds
//                     [MIN_MS * GAMMA^(i-1-EPSILON), MIN_MS * GAMMA^(i-EPSILON)).
//   bucket MAX_INDEX  also holds everything above: values past ~4 392 000 ms (~73 min) are clamped.
//
// GAMMA = 1.01: a bucket [L, U) with U = 1.01 L is reported as the harmonic mean 2LU / (L + U), the value
// minimising the worst relative error over the bucket: (GAMMA - 1) / (GAMMA + 1) = 0.4975% (the geometric
// midpoint would give sqrt(GAMMA) - 1 = 0.4988%; GAMMA = 1.02 would give 0.990%, too close to 1%).
// 300 000 ms lands in bucket 1 731; MAX_INDEX = 2 000 (2 001 buckets) fits a smallint and leaves headroom
// far past any probe timeout. Quantiles interpolate between representatives, and a convex combination of
// values each within 0.4975% of the truth stays within 0.4975%, so quantiles inherit the same bound.
//
// Counts: a year of hour rows can exceed 2^31 samples, so counts are bigint[] in SQL and JS numbers here
// (exact to 2^53 = 9e15 samples, which no deployment reaches; merges still check).

export type SparseHistogram = {
  /** Bucket indexes, strictly increasing, each in [0, MAX_INDEX]. Stored as smallint[]. */
  idx: number[];
  /** Positive integer counts, aligned with idx. Stored as bigint[]. */
  counts: number[];
};

export const MIN_MS = 0.01;
export const GAMMA = 1.01;
/** ln(1.01) as a literal rather than Math.log(GAMMA): SQL must divide by the very same double, and
 *  PostgreSQL's ln and V8's Math.log may differ in the last bit. */
export const LN_GAMMA = 0.009950330853168092;
/** ln(0.01), a literal for the same reason. Subtracting it, rather than taking ln(x / MIN_MS), matters in
 *  SQL: PostgreSQL raises an overflow error for x / 0.01 on huge x where JS returns Infinity. */
export const LN_MIN_MS = -4.605170185988091;
/** Nudges the quotient so that values at (or a few ulps around) a mathematical bucket edge land in the
 *  same bucket in TS and SQL. V8's Math.log and glibc's log (used by PostgreSQL's ln) differ in the last
 *  bit for ~2% of inputs, moving the quotient by up to ~4.5e-13 (measured); without the nudge 73 of ~10 000
 *  values at and next to the edges split. 1e-9 is far above that and far below a bucket (it moves edges by
 *  ~1e-11 relative). It moves the ambiguity rather than removing it: doubles within ~40 ulps of a moved
 *  edge can still split, by one bucket (measured: 213 of the 255 872 doubles within 64 ulps of the 1 999
 *  moved edges), about 1e-15 of the doubles in range, so not a value a probe will report. */
export const EPSILON = 1e-9;
export const MAX_INDEX = 2000;
/** Worst relative error of bucketValue(i) for any sample in buckets 1..MAX_INDEX (below the clamp). */
export const MAX_RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

export class InvalidHistogramError extends Error {
  override name = "InvalidHistogramError";
}

export function bucketIndex(ms: number): number {
  if (Number.isNaN(ms) || ms < 0) throw new RangeError(`latency must be a non-negative number, got ${ms}`);
  if (ms <= MIN_MS) return 0;
  return Math.min(MAX_INDEX, 1 + Math.floor((Math.log(ms) - LN_MIN_MS) / LN_GAMMA + EPSILON));
}

/**
 * The same index as bucketIndex, as a PostgreSQL smallint expression over `column`: a trusted SQL
 * expression (a column reference; it is evaluated twice), never user input. It is cast to double precision
 * so a numeric or real column cannot take a different ln. It does not validate: negative values land in
 * bucket 0 and NaN in MAX_INDEX, where bucketIndex throws; latency_ms is never either.
 */
export function BUCKET_SQL(column: string): string {
  const x = `(${column})::float8`;
  // String(n) is the shortest text that parses back to the same double, so SQL uses identical constants.
  const f = (n: number) => `'${String(n)}'::float8`;
  return (
    `(CASE WHEN ${x} <= ${f(MIN_MS)} THEN 0::smallint ` +
    `ELSE least(${MAX_INDEX}, 1 + floor((ln(${x}) - ${f(LN_MIN_MS)}) / ${f(LN_GAMMA)} + ${f(EPSILON)}))::smallint END)`
  );
}

/** Nominal edges of bucket i: lower inclusive, upper exclusive (bucket 0 is [0, MIN_MS], the last bucket
 *  is nominally bounded but also holds everything clamped into it). */
export function bucketBounds(i: number): { lower: number; upper: number } {
  checkIndex(i);
  if (i === 0) return { lower: 0, upper: MIN_MS };
  const edge = (k: number) => MIN_MS * Math.exp((k - EPSILON) * LN_GAMMA);
  return { lower: i === 1 ? MIN_MS : edge(i - 1), upper: edge(i) };
}

const REPRESENTATIVES: Float64Array = (() => {
  const values = new Float64Array(MAX_INDEX + 1);
  values[0] = MIN_MS / 2;
  for (let i = 1; i <= MAX_INDEX; i++) {
    const { lower, upper } = bucketBounds(i);
    values[i] = (2 * lower * upper) / (lower + upper);
  }
  return values;
})();

/** The value reported for any sample in bucket i (see the layout comment for its error). */
export function bucketValue(i: number): number {
  checkIndex(i);
  return REPRESENTATIVES[i] ?? Number.NaN;
}

function checkIndex(i: number): void {
  if (!Number.isInteger(i) || i < 0 || i > MAX_INDEX) {
    throw new RangeError(`bucket index must be an integer in [0, ${MAX_INDEX}], got ${i}`);
  }
}

export function emptyHistogram(): SparseHistogram {
  return { idx: [], counts: [] };
}

export function fromSamples(samples: readonly number[]): SparseHistogram {
  const byIndex = new Map<number, number>();
  for (const ms of samples) {
    const i = bucketIndex(ms);
    byIndex.set(i, (byIndex.get(i) ?? 0) + 1);
  }
  const idx = [...byIndex.keys()].sort((a, b) => a - b);
  return { idx, counts: idx.map((i) => byIndex.get(i) ?? 0) };
}

/** Throws InvalidHistogramError unless h is well formed: equal lengths, indexes integers in
 *  [0, MAX_INDEX] and strictly increasing (so no duplicates), counts positive safe integers. */
export function validateHistogram(h: SparseHistogram): void {
  if (!Array.isArray(h.idx) || !Array.isArray(h.counts))
    throw new InvalidHistogramError("idx and counts must be arrays");
  if (h.idx.length !== h.counts.length) {
    throw new InvalidHistogramError(`idx has ${h.idx.length} entries but counts has ${h.counts.length}`);
  }
  let previous = -1;
  h.idx.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 0 || i > MAX_INDEX) {
      throw new InvalidHistogramError(`idx[${k}] = ${String(i)} is not an integer in [0, ${MAX_INDEX}]`);
    }
    if (i <= previous) {
      const why = i === previous ? "duplicates" : "is smaller than";
      throw new InvalidHistogramError(
        `idx must be strictly increasing: idx[${k}] = ${i} ${why} idx[${k - 1}] = ${previous}`,
      );
    }
    previous = i;
    const count = h.counts[k];
    if (!Number.isSafeInteger(count) || count === undefined || count <= 0) {
      throw new InvalidHistogramError(`counts[${k}] = ${String(count)} is not a positive integer`);
    }
  });
}

/**
 * A histogram from its two database columns. node-postgres returns bigint[] as strings and Prisma as
 * bigints, so both are accepted, converted exactly, and validated.
 */
export function histogramFromColumns(
  idx: readonly (number | string | bigint)[],
  counts: readonly (number | string | bigint)[],
): SparseHistogram {
  const toNumber = (value: number | string | bigint, column: string, k: number): number => {
    if (typeof value === "number") return value;
    const text = String(value);
    const n = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n)) throw new InvalidHistogramError(`${column}[${k}] = ${text} is not a safe integer`);
    return n;
  };
  const h = { idx: idx.map((v, k) => toNumber(v, "idx", k)), counts: counts.map((v, k) => toNumber(v, "counts", k)) };
  validateHistogram(h);
  return h;
}

export function histogramCount(h: SparseHistogram): number {
  return h.counts.reduce((sum, c) => sum + c, 0);
}

/** Sum of two histograms (commutative and associative). Both are validated. */
export function mergeHistograms(a: SparseHistogram, b: SparseHistogram): SparseHistogram {
  return mergeAllHistograms([a, b]);
}

/** Sum of any number of histograms, e.g. a year of hour rows: accumulated densely (MAX_INDEX + 1 slots)
 *  so the cost is linear in the total number of entries. */
export function mergeAllHistograms(histograms: readonly SparseHistogram[]): SparseHistogram {
  const dense = new Float64Array(MAX_INDEX + 1);
  for (const h of histograms) {
    validateHistogram(h);
    h.idx.forEach((i, k) => {
      dense[i] = (dense[i] ?? 0) + (h.counts[k] ?? 0);
    });
  }
  const merged = emptyHistogram();
  dense.forEach((count, i) => {
    if (count === 0) return;
    if (!Number.isSafeInteger(count)) throw new InvalidHistogramError(`merged count of bucket ${i} exceeds 2^53`);
    merged.idx.push(i);
    merged.counts.push(count);
  });
  return merged;
}

/**
 * The q-quantile (q in [0, 1]) with PostgreSQL's percentile_cont convention: over the n samples sorted
 * ascending (0-based), position p = q * (n - 1); the result is v[floor(p)] + (p - floor(p)) *
 * (v[ceil(p)] - v[floor(p)]), where each sample is replaced by its bucket's representative. Hence q = 0 and
 * q = 1 report the buckets of the minimum and maximum, and the result is within MAX_RELATIVE_ERROR of
 * percentile_cont over the raw samples (for samples above MIN_MS and below the clamp). Null when empty.
 * h is trusted (validate rows on read, e.g. with histogramFromColumns).
 */
export function quantile(h: SparseHistogram, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const n = histogramCount(h);
  if (n === 0) return null;
  const position = q * (n - 1);
  const lowRank = Math.floor(position);
  const fraction = position - lowRank;
  const low = valueAtRank(h, lowRank);
  if (fraction === 0) return low;
  const high = valueAtRank(h, lowRank + 1);
  return low + fraction * (high - low);
}

/** Representative of the bucket holding the sample of 0-based rank `rank` in ascending order. */
function valueAtRank(h: SparseHistogram, rank: number): number {
  let seen = 0;
  for (let k = 0; k < h.idx.length; k++) {
    seen += h.counts[k] ?? 0;
    if (rank < seen) return bucketValue(h.idx[k] ?? 0);
  }
  throw new InvalidHistogramError(`rank ${rank} is beyond the histogram's ${seen} samples`);
}
