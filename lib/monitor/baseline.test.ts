import { formatMeasure } from "../format";
import { describe, expect, it } from "vitest";
import { describeTarget, judgeTarget } from "./baseline";

describe("judgeTarget", () => {
  it("treats a bare number as a ceiling", () => {
    expect(judgeTarget(85, 200)).toBe("pass");
    expect(judgeTarget(200, 200)).toBe("pass");
    expect(judgeTarget(201, 200)).toBe("fail");
  });
  it("checks floors and ranges", () => {
    expect(judgeTarget(1_500, { min: 500 })).toBe("pass");
    expect(judgeTarget(499, { min: 500 })).toBe("fail");
    expect(judgeTarget(5, { min: 1, max: 10 })).toBe("pass");
    expect(judgeTarget(11, { min: 1, max: 10 })).toBe("fail");
  });
  it("says no data rather than pass when nothing was measured", () => {
    expect(judgeTarget(null, 200)).toBe("no data");
    expect(judgeTarget(Number.NaN, 200)).toBe("no data");
  });
  it("describes targets in the value's own unit", () => {
    expect(describeTarget(200, (n) => formatMeasure(n, "ms"))).toBe("≤ 200 ms");
    expect(describeTarget({ min: 500 }, (n) => formatMeasure(n, "rps"))).toBe("≥ 500 req/s");
    expect(describeTarget({ min: 1, max: 2 }, (n) => formatMeasure(n, "percent"))).toBe("≥ 1 % and ≤ 2 %");
  });
});
