import { describe, expect, it } from "vitest";
import { summariseValues, type TValueSummary } from "./summary";

describe("summariseValues: a chart's range and middle in figures", () => {
  it.each([
    { name: "nothing known", values: [], expected: null },
    { name: "only gaps", values: [null, undefined, Number.NaN], expected: null },
    { name: "one value", values: [42], expected: { count: 1, min: 42, median: 42, max: 42, first: 42, latest: 42 } },
    {
      name: "odd count: the middle value",
      values: [30, 10, 20],
      expected: { count: 3, min: 10, median: 20, max: 30, first: 30, latest: 20 },
    },
    {
      name: "even count: the mean of the two middle values",
      values: [4, 1, 3, 2],
      expected: { count: 4, min: 1, median: 2.5, max: 4, first: 4, latest: 2 },
    },
    {
      name: "gaps skipped, order of first and latest kept",
      values: [null, 5, null, 7, 6, null],
      expected: { count: 3, min: 5, median: 6, max: 7, first: 5, latest: 6 },
    },
  ] as { name: string; values: (number | null | undefined)[]; expected: TValueSummary | null }[])(
    "$name",
    ({ values, expected }) => {
      expect(summariseValues(values)).toEqual(expected);
    },
  );
});
