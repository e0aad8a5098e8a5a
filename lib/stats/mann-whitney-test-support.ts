import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MannWhitneyAlternative } from "./mann-whitney";

// The stored scipy reference (scripts/mannwhitney-reference.py), typed for the tests that read it.

type TBins = { idx: number[]; counts: number[] };
type TPValues = Record<MannWhitneyAlternative, number>;

export type TScipyFixture = {
  command: string;
  versions: Record<string, string>;
  cases: { name: string; why: string; x: TBins; y: TBins; n1: number; n2: number; u1: number; pValue: TPValues }[];
  largeCases: { name: string; x: TBins; y: TBins; n1: number; n2: number; twiceU1: string; pValue: TPValues }[];
  normalSf: { z: number; scipy: number; mpmath: number }[];
};

export function readScipyFixture(): TScipyFixture {
  return JSON.parse(
    readFileSync(join(import.meta.dirname, "fixtures", "mannwhitney-scipy.json"), "utf8"),
  ) as TScipyFixture;
}

/** Relative difference, with results below 1e-300 (the normal tail near underflow, where scipy flushes to 0 and
 *  doubles are subnormal) counted as equal to each other. */
export function relativeError(actual: number, expected: number): number {
  if (Math.abs(actual) < 1e-300 && Math.abs(expected) < 1e-300) return 0;
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}
