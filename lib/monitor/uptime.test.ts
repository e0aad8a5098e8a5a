import { describe, expect, it } from "vitest";
import type { TMaintenanceWindow } from "../config/operations-schema";
import { unionIntervals } from "./intervals";
import { activeMaintenance, maintenanceIntervals } from "./maintenance";
import { computeUptime, periodCoverage, type PeriodRow } from "./uptime";

const H = 3_600_000;
const base = Date.UTC(2026, 0, 14, 0, 0, 0); // a Wednesday
const at = (h: number) => new Date(base + h * H);
const period = (status: PeriodRow["status"], from: number, lastSeen: number, ended: number | null): PeriodRow => ({
  status,
  startedAt: at(from),
  lastSeenAt: at(lastSeen),
  endedAt: ended === null ? null : at(ended),
  intervalMs: 60_000,
});
const day = { start: base, end: base + 24 * H };

describe("computeUptime", () => {
  it("weights by time: 21 h up and 3 h down is 87.5 %", () => {
    const u = computeUptime([period("up", 0, 21, 21), period("down", 21, 24, null)], day, [], at(24));
    expect(u.upMs).toBe(21 * H);
    expect(u.downMs).toBe(3 * H);
    expect(u.uptimePct).toBeCloseTo(87.5, 10);
    expect(u.unknownMs).toBe(0);
  });

  it("leaves gaps out: a period's coverage ends one interval after its last check", () => {
    // Up 0-10 h (last check at 10 h, then the worker stopped), up again from 14 h.
    const u = computeUptime([period("up", 0, 10, 10 + 1 / 60), period("up", 14, 24, null)], day, [], at(24));
    expect(u.unknownMs).toBe(4 * H - 60_000);
    expect(u.uptimePct).toBe(100);
  });

  it("counts degraded as available", () => {
    const u = computeUptime([period("up", 0, 12, 12), period("degraded", 12, 24, null)], day, [], at(24));
    expect(u.uptimePct).toBe(100);
    expect(u.degradedMs).toBe(12 * H);
  });

  it("excludes maintenance from both sides of the ratio", () => {
    const u = computeUptime(
      [period("up", 0, 20, 20), period("down", 20, 24, null)],
      day,
      [{ start: base + 20 * H, end: base + 22 * H }],
      at(24),
    );
    expect(u.maintenanceMs).toBe(2 * H);
    expect(u.downMs).toBe(2 * H);
    expect(u.uptimePct).toBeCloseTo((100 * 20) / 22, 10);
  });

  it("clips periods to the window and is null with no data", () => {
    const u = computeUptime([period("down", -48, -30, -30)], day, [], at(24));
    expect(u.uptimePct).toBeNull();
    expect(u.unknownMs).toBe(24 * H);
  });

  it("caps an open period at now", () => {
    const p = { ...period("up", 0, 23, null), intervalMs: 10 * H };
    expect(periodCoverage(p, at(24)).end).toBe(at(24).getTime());
  });
});

describe("maintenance windows", () => {
  const weekly: TMaintenanceWindow = {
    name: "patching",
    weekly: { day: "sunday", at: "02:00", duration: 2 * H },
    excludeFromUptime: true,
  };
  const oneOff: TMaintenanceWindow = {
    name: "db move",
    components: ["database"],
    start: "2026-01-14T10:00:00Z",
    end: "2026-01-14T11:30:00Z",
    excludeFromUptime: true,
  };

  it("expands a weekly window on the right weekday in UTC", () => {
    const week = { start: base, end: base + 7 * 24 * H };
    const found = maintenanceIntervals([weekly], "api", week);
    expect(found).toHaveLength(1);
    expect(new Date(found[0]?.start ?? 0).toISOString()).toBe("2026-01-18T02:00:00.000Z");
    expect((found[0]?.end ?? 0) - (found[0]?.start ?? 0)).toBe(2 * H);
  });

  it("includes a weekly window that started before the range", () => {
    const found = maintenanceIntervals([weekly], "api", {
      start: Date.parse("2026-01-18T03:00:00Z"),
      end: Date.parse("2026-01-18T05:00:00Z"),
    });
    expect(found).toHaveLength(1);
  });

  it("applies a one-off window only to its components", () => {
    expect(maintenanceIntervals([oneOff], "database", day)).toHaveLength(1);
    expect(maintenanceIntervals([oneOff], "api", day)).toHaveLength(0);
    expect(activeMaintenance([oneOff], "database", new Date("2026-01-14T10:30:00Z"))?.name).toBe("db move");
    expect(activeMaintenance([oneOff], "database", new Date("2026-01-14T11:30:00Z"))).toBeNull();
  });

  it("keeps a window in uptime when excludeFromUptime is false", () => {
    expect(
      maintenanceIntervals([{ ...oneOff, excludeFromUptime: false }], "database", day, { uptimeOnly: true }),
    ).toHaveLength(0);
  });

  it("merges overlapping intervals", () => {
    expect(
      unionIntervals([
        { start: 5, end: 10 },
        { start: 0, end: 6 },
        { start: 20, end: 20 },
        { start: 12, end: 15 },
      ]),
    ).toEqual([
      { start: 0, end: 10 },
      { start: 12, end: 15 },
    ]);
  });
});
