// Shared by the histogram tests: a seeded PRNG (so failures reproduce), sample distributions shaped like
// probe latencies, and the exact percentile_cont the histogram quantiles are checked against.

/** mulberry32: tiny, fast and good enough for test data; returns uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal by Box-Muller (1 - u keeps the log argument away from 0). */
export function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export const distributions: Record<string, (random: () => number) => number> = {
  /** Uniform between 1 ms and 500 ms. */
  uniform: (random) => 1 + random() * 499,
  /** Log-normal with a 40 ms median and a long tail (sigma 1: p99 near 400 ms). */
  "log-normal": (random) => 40 * Math.exp(normal(random)),
  /** Cache hits near 2 ms and misses near 250 ms, one in five a miss: quantiles straddle the gap. */
  bimodal: (random) => (random() < 0.8 ? Math.abs(2 + 0.3 * normal(random)) : Math.abs(250 + 40 * normal(random))),
};

export function samplesOf(name: string, count: number, seed: number): number[] {
  const draw = distributions[name];
  if (!draw) throw new Error(`unknown distribution ${name}`);
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => draw(random));
}

/** PostgreSQL's percentile_cont over raw values: linear interpolation at position q * (n - 1). */
export function exactPercentileCont(sortedAscending: readonly number[], q: number): number {
  const position = q * (sortedAscending.length - 1);
  const low = Math.floor(position);
  const lowValue = sortedAscending[low];
  const highValue = sortedAscending[Math.ceil(position)];
  if (lowValue === undefined || highValue === undefined) throw new Error("exactPercentileCont needs samples");
  return lowValue + (position - low) * (highValue - lowValue);
}

/** The next double above x (x finite and positive), for tests one ulp either side of an edge. */
export function nextUp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

/** The next double below x (x finite and positive). */
export function nextDown(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

export function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}
