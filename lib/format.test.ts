import { describe, expect, it } from "vitest";
import {
  floorScore,
  formatAxisTick,
  formatBytes,
  formatComparison,
  formatCores,
  formatCount,
  formatDate,
  formatDay,
  formatLatency,
  formatMeasure,
  formatNumber,
  formatObserved,
  formatPercent,
  formatRatio,
  formatRelativeDay,
  formatScore,
  formatTime,
  validTimeZone,
} from "./format";

describe("lib/format: one way to write each figure", () => {
  it("percentages keep digits near 100 % and never round up to 100", () => {
    expect(formatPercent(100)).toBe("100 %");
    expect(formatPercent(99.9996)).toBe("99.999 %");
    expect(formatPercent(99.95)).toBe("99.95 %");
    expect(formatPercent(66.6666)).toBe("66.67 %");
    expect(formatPercent(50)).toBe("50 %");
    expect(formatPercent(0.048)).toBe("0.048 %");
    expect(formatPercent(0)).toBe("0 %");
    expect(formatPercent(null)).toBe("no data");
    expect(formatPercent(Number.NaN)).toBe("no data");
  });

  it("a ratio and its threshold read in the same unit", () => {
    expect(formatRatio(0.004808)).toBe("0.48 %");
    expect(formatMeasure(0.004808, "ratio")).toBe(formatPercent(0.4808));
    expect(formatComparison("<", 0.001, "ratio")).toBe("< 0.1 %");
    expect(formatComparison(">=", 99.9, "percent")).toBe("≥ 99.9 %");
    expect(formatComparison("<=", 200, "ms")).toBe("≤ 200 ms");
  });

  it("scores are rounded down, once, everywhere", () => {
    expect(formatScore(89.96)).toBe("89.9 %");
    expect(formatScore(89.99999)).toBe("89.9 %");
    expect(formatScore(90)).toBe("90.0 %");
    expect(formatScore(59.5)).toBe("59.5 %");
    expect(floorScore(89.96)).toBe(89.9);
    expect(formatScore(null)).toBe("no score");
  });

  it("units: latency, bytes in one system, CPU in cores, counts with their denominator", () => {
    expect(formatLatency(85.3)).toBe("85 ms");
    expect(formatLatency(4.25)).toBe("4.3 ms");
    expect(formatLatency(null)).toBe("—");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MiB");
    expect(formatBytes(212 * 1024 * 1024)).toBe("212 MiB");
    expect(formatCores(0.177)).toBe("0.18 cores");
    expect(formatCores(1)).toBe("1 core");
    expect(formatMeasure(0.177, "cores")).toBe("0.18 cores");
    expect(formatCount(10, "test", 15)).toBe("10 of 15 tests");
    expect(formatCount(1, "test")).toBe("1 test");
    expect(formatNumber(2486)).toBe("2 486");
    expect(formatNumber(0.023652)).toBe("0.0237");
    expect(formatObserved(5 * 60_000, 86_400_000)).toBe("observed 5m 0s of 1d 0h");
  });

  it("times: one layout in any locale, the viewer's zone, always named", () => {
    const at = "2026-12-02T07:33:27.000Z";
    expect(formatTime(at)).toBe("2 Dec 2026, 07:33:27 UTC");
    expect(formatTime(at, "Europe/Berlin")).toBe("2 Dec 2026, 08:33:27 CET");
    expect(formatTime(at, "America/New_York")).toBe("2 Dec 2026, 02:33:27 GMT-5");
    expect(formatTime(at, "Asia/Tokyo")).toBe("2 Dec 2026, 16:33:27 GMT+9");
    expect(formatTime(at, "Not/AZone")).toBe("2 Dec 2026, 07:33:27 UTC");
    expect(formatDate(at, "Pacific/Kiritimati")).toBe("2 Dec 2026");
    expect(formatDate("2026-12-02T23:30:00Z", "Pacific/Kiritimati")).toBe("3 Dec 2026");
    expect(formatDay("2026-01-21")).toBe("21 Jan 2026");
    expect(formatTime(null)).toBe("never");
  });

  it("validates zones the browser reports", () => {
    expect(validTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("UTC")).toBe("UTC");
    expect(validTimeZone("Mars/Olympus")).toBeNull();
    expect(validTimeZone("<script>")).toBeNull();
    expect(validTimeZone("")).toBeNull();
  });

  it("axis ticks follow the data's span: clock time within a day and a half, days beyond", () => {
    const t = Date.parse("2026-12-02T07:33:27Z");
    expect(formatAxisTick(t, 3_600_000, "UTC")).toBe("07:33");
    expect(formatAxisTick(t, 7 * 86_400_000, "UTC")).toBe("2 Dec");
  });

  it("dates relative to today", () => {
    const now = new Date("2026-12-02T10:00:00Z");
    expect(formatRelativeDay("2026-01-21", now)).toBe("10 months ago");
    expect(formatRelativeDay("2026-12-05", now)).toBe("in 3 days");
    expect(formatRelativeDay("2026-12-02", now)).toBe("today");
  });
});
