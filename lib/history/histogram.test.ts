import { describe, expect, it } from "vitest";
import {
  EPSILON,
  GAMMA,
  InvalidHistogramError,
  LN_GAMMA,
  LN_MIN_MS,
  MAX_INDEX,
  MAX_RELATIVE_ERROR,
  MIN_MS,
  bucketBounds,
  bucketIndex,
  bucketValue,
  emptyHistogram,
  fromSamples,
  histogramCount,
  histogramFromColumns,
  mergeAllHistograms,
  mergeHistograms,
  quantile,
  validateHistogram,
  type SparseHistogram,
} from "./histogram";
import {
  distributions,
  exactPercentileCont,
  nextDown,
  nextUp,
  relativeError,
  samplesOf,
  seededRandom,
} from "./histogram-test-support";

/** The mathematical edge GAMMA^k * MIN_MS, which EPSILON puts safely inside bucket k + 1. */
const edge = (k: number) => MIN_MS * Math.exp(k * LN_GAMMA);
/** Float rounding allowance on top of the analytic bound. */
const BOUND = MAX_RELATIVE_ERROR * (1 + 1e-9);
const QS = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe("constants", () => {
  it("match the documented layout", () => {
    expect(LN_GAMMA).toBe(Math.log(GAMMA));
    expect(LN_MIN_MS).toBe(Math.log(MIN_MS));
    expect(MAX_RELATIVE_ERROR).toBeCloseTo(0.004975, 6);
    expect(MAX_RELATIVE_ERROR).toBeLessThan(0.01);
    expect(bucketIndex(300_000)).toBe(1731);
    expect(bucketBounds(MAX_INDEX).lower).toBeGreaterThan(3_600_000); // an hour before clamping starts
    expect(MAX_INDEX).toBeLessThanOrEqual(32_767); // smallint[]
  });
});

describe("bucketIndex", () => {
  it("puts 0, tiny values and MIN_MS in bucket 0, and the next double above MIN_MS in bucket 1", () => {
    for (const ms of [0, -0, Number.MIN_VALUE, 1e-300, MIN_MS / 2, nextDown(MIN_MS), MIN_MS])
      expect(bucketIndex(ms)).toBe(0);
    expect(bucketIndex(nextUp(MIN_MS))).toBe(1);
  });

  it("puts each mathematical edge GAMMA^k * MIN_MS, and doubles a few ulps either side, in bucket k + 1", () => {
    for (let k = 1; k < MAX_INDEX; k++) {
      const x = edge(k);
      for (const near of [nextDown(nextDown(x)), nextDown(x), x, nextUp(x), nextUp(nextUp(x))])
        expect(bucketIndex(near)).toBe(k + 1);
    }
  });

  it("agrees with bucketBounds: a hair inside each edge is in the bucket, a hair outside is not", () => {
    // 1e-12 relative moves the quotient by 1e-10, far beyond ln's rounding but far inside a bucket.
    for (let i = 1; i <= MAX_INDEX; i++) {
      const { lower, upper } = bucketBounds(i);
      expect(lower).toBeLessThan(upper);
      expect(bucketIndex(lower * (1 + 1e-12))).toBe(i);
      if (i > 1) expect(bucketIndex(lower * (1 - 1e-12))).toBe(i - 1);
      if (i < MAX_INDEX) {
        expect(bucketIndex(upper * (1 - 1e-12))).toBe(i);
        expect(bucketIndex(upper * (1 + 1e-12))).toBe(i + 1);
        expect(bucketBounds(i + 1).lower).toBe(upper);
      }
    }
  });

  it("is monotonic over a fine log sweep, moving at most one bucket per step", () => {
    let previous = 0;
    for (let x = MIN_MS / 10; x < 1e7; x *= 1.001) {
      const i = bucketIndex(x);
      expect(i - previous).toBeGreaterThanOrEqual(0);
      expect(i - previous).toBeLessThanOrEqual(1);
      previous = i;
    }
    expect(previous).toBe(MAX_INDEX);
  });

  it("clamps huge values into MAX_INDEX", () => {
    for (const ms of [5_000_000, 1e9, 1e300, Number.MAX_VALUE, Infinity]) expect(bucketIndex(ms)).toBe(MAX_INDEX);
  });

  it.each([-1, -MIN_MS, -Infinity, Number.NaN])("rejects %s", (ms) =>
    expect(() => bucketIndex(ms)).toThrow(RangeError),
  );

  it("keeps EPSILON tiny relative to a bucket", () => expect(EPSILON * LN_GAMMA).toBeLessThan(1e-10));
});

describe("bucketValue", () => {
  it("is inside its bucket and strictly increasing", () => {
    let previous = -Infinity;
    for (let i = 0; i <= MAX_INDEX; i++) {
      const { lower, upper } = bucketBounds(i);
      const value = bucketValue(i);
      expect(value).toBeGreaterThanOrEqual(lower);
      expect(value).toBeLessThan(upper);
      expect(value).toBeGreaterThan(previous);
      previous = value;
    }
  });

  it("is within MAX_RELATIVE_ERROR of both edges of every regular bucket (the bound is attained)", () => {
    for (let i = 2; i <= MAX_INDEX; i++) {
      const { lower, upper } = bucketBounds(i);
      expect(relativeError(bucketValue(i), lower)).toBeCloseTo(MAX_RELATIVE_ERROR, 9);
      expect(relativeError(bucketValue(i), upper)).toBeCloseTo(MAX_RELATIVE_ERROR, 9);
    }
  });

  it("reports any sample within MAX_RELATIVE_ERROR (< 0.5%) between MIN_MS and the clamp", () => {
    const random = seededRandom(7);
    const top = bucketBounds(MAX_INDEX).upper;
    let worst = 0;
    for (let n = 0; n < 200_000; n++) {
      const x = MIN_MS * Math.exp(random() * Math.log(top / MIN_MS));
      if (x <= MIN_MS || x >= top) continue;
      worst = Math.max(worst, relativeError(bucketValue(bucketIndex(x)), x));
    }
    expect(worst).toBeLessThanOrEqual(BOUND);
    expect(worst).toBeGreaterThan(0.99 * MAX_RELATIVE_ERROR);
  });

  it("reports bucket 0 as MIN_MS / 2 (absolute error at most 0.005 ms)", () => expect(bucketValue(0)).toBe(MIN_MS / 2));

  it.each([-1, MAX_INDEX + 1, 1.5, Number.NaN])("rejects index %s", (i) => {
    expect(() => bucketValue(i)).toThrow(RangeError);
    expect(() => bucketBounds(i)).toThrow(RangeError);
  });
});

describe("fromSamples", () => {
  it("is sparse, sorted, and counts every sample", () => {
    const h = fromSamples([12, 3, 12.01, 3, 1e9, 0, 250]);
    validateHistogram(h);
    expect(h.idx).toEqual([0, bucketIndex(3), bucketIndex(12), bucketIndex(250), MAX_INDEX]);
    expect(h.counts).toEqual([1, 2, 2, 1, 1]);
    expect(histogramCount(h)).toBe(7);
  });

  it("is empty for no samples", () => {
    expect(fromSamples([])).toEqual(emptyHistogram());
    expect(histogramCount(emptyHistogram())).toBe(0);
  });

  it("rejects an invalid latency", () => expect(() => fromSamples([1, Number.NaN])).toThrow(RangeError));
});

/** A minute row's worth of log-normal samples. */
function minuteRow(random: () => number): SparseHistogram {
  const draw = distributions["log-normal"]!;
  return fromSamples(Array.from({ length: 1 + Math.floor(random() * 20) }, () => draw(random)));
}

describe("merging", () => {
  const random = seededRandom(42);
  const rows = Array.from({ length: 60 }, () => minuteRow(random));

  it("is commutative and associative, with the empty histogram as identity", () => {
    for (let n = 0; n + 2 < rows.length; n++) {
      const [a, b, c] = [rows[n]!, rows[n + 1]!, rows[n + 2]!];
      const ab = mergeHistograms(a, b);
      validateHistogram(ab);
      expect(ab).toEqual(mergeHistograms(b, a));
      expect(mergeHistograms(ab, c)).toEqual(mergeHistograms(a, mergeHistograms(b, c)));
      expect(mergeHistograms(a, emptyHistogram())).toEqual(a);
      expect(histogramCount(ab)).toBe(histogramCount(a) + histogramCount(b));
    }
  });

  it("of many rows equals the histogram of all their samples, in any order and grouping", () => {
    const random = seededRandom(9);
    const draw = distributions.bimodal!;
    const samples = Array.from({ length: 60 }, () => Array.from({ length: 12 }, () => draw(random)));
    const minutes = samples.map(fromSamples);
    const all = fromSamples(samples.flat());
    expect(mergeAllHistograms(minutes)).toEqual(all);
    expect(mergeAllHistograms([...minutes].reverse())).toEqual(all);
    const hours = [mergeAllHistograms(minutes.slice(0, 25)), mergeAllHistograms(minutes.slice(25))];
    expect(mergeAllHistograms(hours)).toEqual(all);
    expect(minutes.reduce(mergeHistograms, emptyHistogram())).toEqual(all);
    expect(mergeAllHistograms([])).toEqual(emptyHistogram());
  });

  it("keeps counts past 2^31 exact, and refuses to pass 2^53", () => {
    const big = { idx: [3, 900], counts: [2 ** 31, 2 ** 32] };
    const year = mergeAllHistograms(Array.from({ length: 8760 }, () => big));
    expect(year).toEqual({ idx: [3, 900], counts: [8760 * 2 ** 31, 8760 * 2 ** 32] });
    expect(histogramCount(year)).toBe(8760 * (2 ** 31 + 2 ** 32));
    expect(() => mergeHistograms({ idx: [1], counts: [2 ** 52] }, { idx: [1], counts: [2 ** 52] })).toThrow(
      /exceeds 2\^53/,
    );
  });

  it("validates its inputs", () => {
    expect(() => mergeHistograms({ idx: [2, 1], counts: [1, 1] }, emptyHistogram())).toThrow(InvalidHistogramError);
    expect(() => mergeAllHistograms([emptyHistogram(), { idx: [MAX_INDEX + 1], counts: [1] }])).toThrow(
      InvalidHistogramError,
    );
  });
});

describe("validateHistogram", () => {
  it("accepts well-formed histograms", () => {
    validateHistogram(emptyHistogram());
    validateHistogram({ idx: [0, 5, MAX_INDEX], counts: [1, 2 ** 40, 3] });
  });

  it.each([
    ["mismatched lengths", { idx: [1, 2], counts: [1] }, /idx has 2 entries but counts has 1/],
    ["unsorted idx", { idx: [5, 3], counts: [1, 1] }, /strictly increasing: idx\[1\] = 3 is smaller than idx\[0\] = 5/],
    ["duplicate idx", { idx: [3, 3], counts: [1, 1] }, /strictly increasing: idx\[1\] = 3 duplicates idx\[0\] = 3/],
    ["negative idx", { idx: [-1], counts: [1] }, /idx\[0\] = -1 is not an integer in \[0, 2000\]/],
    ["idx past MAX_INDEX", { idx: [MAX_INDEX + 1], counts: [1] }, /idx\[0\] = 2001/],
    ["fractional idx", { idx: [1.5], counts: [1] }, /idx\[0\] = 1.5/],
    ["negative count", { idx: [1], counts: [-2] }, /counts\[0\] = -2 is not a positive integer/],
    ["zero count", { idx: [1, 2], counts: [1, 0] }, /counts\[1\] = 0 is not a positive integer/],
    ["fractional count", { idx: [1], counts: [0.5] }, /counts\[0\] = 0.5/],
    ["NaN count", { idx: [1], counts: [Number.NaN] }, /counts\[0\] = NaN/],
    ["unsafe count", { idx: [1], counts: [2 ** 53] }, /counts\[0\] = 9007199254740992/],
  ] as const)("rejects %s", (_name, h, message) => {
    expect(() => validateHistogram({ idx: [...h.idx], counts: [...h.counts] })).toThrow(InvalidHistogramError);
    expect(() => validateHistogram({ idx: [...h.idx], counts: [...h.counts] })).toThrow(message);
  });

  it("rejects non-arrays", () => {
    expect(() => validateHistogram(JSON.parse('{"idx":null,"counts":[]}') as SparseHistogram)).toThrow(
      /must be arrays/,
    );
  });
});

describe("histogramFromColumns", () => {
  it("accepts node-postgres strings and Prisma bigints for bigint[]", () => {
    expect(histogramFromColumns([1, 7], ["3", "4294967296"])).toEqual({ idx: [1, 7], counts: [3, 2 ** 32] });
    expect(histogramFromColumns([1, 7], [3n, 4294967296n])).toEqual({ idx: [1, 7], counts: [3, 2 ** 32] });
  });

  it.each([["1.5"], ["abc"], [""], ["9007199254740993"]])("rejects count %j", (count) =>
    expect(() => histogramFromColumns([1], [count])).toThrow(InvalidHistogramError),
  );

  it("validates the result", () =>
    expect(() => histogramFromColumns([2, 1], ["1", "1"])).toThrow(/strictly increasing/));
});

describe("quantile", () => {
  it("is null for an empty histogram", () => {
    for (const q of QS) expect(quantile(emptyHistogram(), q)).toBeNull();
  });

  it.each([-0.01, 1.01, -Infinity, Infinity, Number.NaN])("rejects q = %s", (q) =>
    expect(() => quantile(fromSamples([1]), q)).toThrow(RangeError),
  );

  it("reports a single sample's bucket for every q", () => {
    const h = fromSamples([42]);
    for (const q of QS) expect(quantile(h, q)).toBe(bucketValue(bucketIndex(42)));
  });

  it("interpolates between ranks like percentile_cont", () => {
    const h = fromSamples([10, 20]);
    const [low, high] = [bucketValue(bucketIndex(10)), bucketValue(bucketIndex(20))];
    expect(quantile(h, 0)).toBe(low);
    expect(quantile(h, 1)).toBe(high);
    expect(quantile(h, 0.5)).toBeCloseTo((low + high) / 2, 12);
    expect(quantile(h, 0.25)).toBeCloseTo(low + 0.25 * (high - low), 12);
    // Four samples: q = 0.5 sits halfway between the 2nd and 3rd.
    expect(quantile(fromSamples([1, 2, 100, 200]), 0.5)).toBeCloseTo(
      (bucketValue(bucketIndex(2)) + bucketValue(bucketIndex(100))) / 2,
      12,
    );
  });

  describe.each(Object.keys(distributions))("on %s samples", (name) => {
    it.each([
      [10_000, 1],
      [20_000, 2],
      [50_001, 3],
    ])("is within MAX_RELATIVE_ERROR of percentile_cont over %d raw samples (seed %d)", (count, seed) => {
      const samples = samplesOf(name, count, seed);
      const sorted = [...samples].sort((a, b) => a - b);
      const h = fromSamples(samples);
      expect(histogramCount(h)).toBe(count);
      for (const q of QS) {
        const error = relativeError(quantile(h, q) ?? Number.NaN, exactPercentileCont(sorted, q));
        expect(error, `q = ${q}`).toBeLessThanOrEqual(BOUND);
      }
    });

    it("gives the same quantiles from merged minute rows as from the raw samples", () => {
      const samples = samplesOf(name, 12_000, 5);
      const minutes = Array.from({ length: 1000 }, (_, m) => fromSamples(samples.slice(m * 12, m * 12 + 12)));
      const merged = mergeAllHistograms(minutes);
      const direct = fromSamples(samples);
      for (const q of QS) expect(quantile(merged, q)).toBe(quantile(direct, q));
    });
  });
});
