import { describe, expect, it } from "vitest";
import { countUtf8Bytes, describeValue, formatBytes } from "./input";

describe("countUtf8Bytes", () => {
  it.each([
    ["", 0],
    ["abc", 3],
    ["é", 2],
    ["€", 3],
    ["😀", 4],
    ["a😀b", 6],
    ["\uD800", 3],
    ["\uD800x", 4],
  ])("%j is %d bytes", (text, bytes) => {
    expect(countUtf8Bytes(text)).toBe(bytes);
    // Node encodes a lone surrogate as U+FFFD, three bytes, as the counter assumes.
    expect(Buffer.byteLength(text, "utf8")).toBe(bytes);
  });
});

describe("formatBytes", () => {
  it.each([
    [512, "512 B"],
    [1024, "1 KiB"],
    [1536, "1.5 KiB"],
    [10 * 1024 * 1024, "10 MiB"],
    [15_938_355, "15.2 MiB"],
  ])("%d -> %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe("describeValue", () => {
  it.each([
    [null, "null"],
    [undefined, "undefined"],
    [[], "an array"],
    [{}, "an object"],
    ["", "a string"],
    [1, "a number"],
    [true, "a boolean"],
  ])("%j -> %s", (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});
