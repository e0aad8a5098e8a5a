import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["5s", 5_000],
    ["1.5s", 1_500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["7d", 604_800_000],
    ["1m30s", 90_000],
    [250, 250],
  ] as const)("%s -> %d ms", (input, ms) => expect(parseDuration(input)).toBe(ms));

  it.each(["", "5", "5 s", "s", "-1s", "1y", "5sec", "1s2"])("rejects %j", (input) =>
    expect(parseDuration(input)).toBeNull(),
  );
  it("rejects negative and non-finite numbers", () => {
    expect(parseDuration(-1)).toBeNull();
    expect(parseDuration(Number.NaN)).toBeNull();
  });
});

describe("formatDuration", () => {
  it.each([
    [450, "450ms"],
    [42_000, "42s"],
    [125_000, "2m 5s"],
    [75_840_000, "21h 4m"],
    [190_800_000, "2d 5h"],
  ])("%d ms -> %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});
