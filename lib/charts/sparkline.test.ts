import { describe, expect, it } from "vitest";
import { SPARKLINE_MIN_POINTS, sparklineGeometry } from "./sparkline";

describe("sparklineGeometry", () => {
  it("asks for a handful of points before drawing", () => {
    expect(SPARKLINE_MIN_POINTS).toBeGreaterThanOrEqual(3);
  });

  it.each([
    { name: "no values", values: [], runs: [], latest: null, known: 0 },
    { name: "only gaps", values: [null, null], runs: [], latest: null, known: 0 },
    {
      name: "a flat series runs across the middle, not along the bottom",
      values: [5, 5, 5],
      runs: [
        [
          [3, 12],
          [48, 12],
          [93, 12],
        ],
      ],
      latest: [93, 12],
      known: 3,
    },
    {
      name: "low at the bottom, high at the top, inside the padding",
      values: [0, 10],
      runs: [
        [
          [3, 21],
          [93, 3],
        ],
      ],
      latest: [93, 3],
      known: 2,
    },
    {
      name: "a gap splits the line; a lone point is a run of one",
      values: [0, null, 10, 5],
      runs: [
        [[3, 21]],
        [
          [63, 3],
          [93, 12],
        ],
      ],
      latest: [93, 12],
      known: 3,
    },
    { name: "a single value is centred", values: [7], runs: [[[48, 12]]], latest: [48, 12], known: 1 },
  ] as {
    name: string;
    values: (number | null)[];
    runs: [number, number][][];
    latest: [number, number] | null;
    known: number;
  }[])("$name", ({ values, runs, latest, known }) => {
    const geometry = sparklineGeometry(values, 96, 24, 3);
    expect(geometry.runs).toEqual(runs);
    expect(geometry.latest).toEqual(latest);
    expect(geometry.known).toBe(known);
  });
});
