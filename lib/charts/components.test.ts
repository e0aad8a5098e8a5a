import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { LatencyChart } from "@/components/charts/latency-chart";
import { ReadinessTrendChart } from "@/components/charts/readiness-trend-chart";
import { Sparkline } from "@/components/charts/sparkline";
import { UptimeBar } from "@/components/uptime-bar";
import type { DailyUptime } from "@/lib/queries/component-detail";

// The markup the chart components render on the server: names, text alternatives, "collecting" notes and tab
// stops. (Recharts draws the SVG itself only in a browser, after measuring: e2e covers that.)

const DAY = 86_400_000;
const MIN = 60_000;
const T0 = Date.parse("2026-12-03T06:00:00Z");

const tabStops = (html: string) => html.match(/tabindex="0"/g)?.length ?? 0;
const focusable = (html: string) => html.match(/tabindex="-?\d+"/g)?.length ?? 0;

describe("Sparkline", () => {
  it("below the minimum it says collecting, as an image with a name, keeping its test id", () => {
    const html = renderToStaticMarkup(createElement(Sparkline, { values: [null, 5, 6, null], label: "p95 of API" }));
    expect(html).toContain('data-testid="sparkline"');
    expect(html).toContain('data-state="collecting"');
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="p95 of API: collecting, 2 of 4 points so far"');
    expect(html).toContain(">collecting</span>");
    expect(html).not.toContain("<svg");
  });

  it("from the minimum it draws a line of a real size, and the old props still work", () => {
    const html = renderToStaticMarkup(createElement(Sparkline, { values: [1, 2, 3, 4, 5, null, 7], label: "trend" }));
    expect(html).toMatch(/<svg width="96" height="28"/);
    expect(html).toContain('data-state="drawn"');
    expect(html).toContain("<polyline");
    expect(html).toContain('aria-label="trend"');
  });

  it("with a format, its name carries the range", () => {
    const html = renderToStaticMarkup(
      createElement(Sparkline, {
        values: [10, 20, 30, 40, 50],
        label: "p95",
        format: (v: number) => `${v} ms`,
        minPoints: 3,
      }),
    );
    expect(html).toContain('aria-label="p95: from 10 ms to 50 ms, latest 50 ms"');
  });

  it("with no value at all it says no data", () => {
    expect(renderToStaticMarkup(createElement(Sparkline, { values: [null, null], label: "x" }))).toContain("no data");
  });
});

describe("UptimeBar", () => {
  const days: DailyUptime[] = Array.from({ length: 90 }, (_, i) => ({
    day: new Date(Date.parse("2026-09-05T00:00:00Z") + i * DAY).toISOString().slice(0, 10),
    uptimePct: i < 40 ? null : i === 80 ? 95 : 100,
    downMs: i === 80 ? 3_600_000 : 0,
    unknownMs: i < 40 ? DAY : i === 80 ? 4 * 3_600_000 : 0,
    maintenanceMs: 0,
  }));
  const html = renderToStaticMarkup(createElement(UptimeBar, { days, now: "2026-12-03T06:00:00Z" }));

  it("has 90 daily bars at md+ and 13 weekly bars on a phone, each row one tab stop", () => {
    expect(html).toContain('aria-label="Daily uptime over the last 90 days"');
    expect(html).toContain('aria-label="Weekly uptime over the last 90 days"');
    expect(html.match(/data-day="/g)).toHaveLength(90);
    expect(html.match(/data-from="/g)).toHaveLength(13);
    // One tab stop per row (only one row is displayed at a width), the other bars reachable by the arrow keys.
    expect(tabStops(html)).toBe(2);
    expect(focusable(html)).toBe(103);
    expect(html).toMatch(/<div class="hidden md:flex[^"]*"><ol/);
    expect(html).toMatch(/<div class="flex md:hidden[^"]*"><ol/);
  });

  it("names each bar by its period and figures; unknown weeks stay unknown", () => {
    expect(html).toContain('aria-label="24 Nov 2026: 95 % up, down 1h 0m, no data for 4h 0m"');
    expect(html).toContain(
      'aria-label="5 Sept 2026 to 10 Sept 2026: no data" data-from="2026-09-05" data-to="2026-09-10" data-uptime="unknown"',
    );
    expect(html).toContain('aria-label="9 Oct 2026 to 15 Oct 2026: 100 % up, no data for 6 of 7 days"');
    // The week with the 95 % day: 1 h down in 164 h known (six whole days and the 20 h of that day), not a mean of days.
    expect(html).toContain('aria-label="20 Nov 2026 to 26 Nov 2026: 99.39 % up, down 1h 0m"');
    expect(html).not.toMatch(/data-from="2026-09-05"[^>]*data-uptime="100"/);
  });
});

describe("charts: a named figure with a text alternative and a visible collecting note", () => {
  it("the latency chart of four minutes in a 24 h window says so", () => {
    const points = Array.from({ length: 96 }, (_, i) => {
      const t = T0 + i * 15 * MIN;
      const has = i >= 94;
      return {
        t: new Date(t).toISOString(),
        count: has ? 10 : 0,
        failures: 0,
        p50: has ? 10 + i : null,
        p95: has ? 20 + i : null,
        p99: has ? 30 + i : null,
      };
    });
    const html = renderToStaticMarkup(
      createElement(LatencyChart, { points, label: "API latency, last 24h", windowMs: DAY, windowLabel: "24h" }),
    );
    expect(html).toContain('data-testid="latency-chart"');
    expect(html).toContain("<figure");
    expect(html).toContain('role="img" aria-label="API latency, last 24h"');
    expect(html).toContain("<figcaption");
    expect(html).toContain("collecting: 30m of 24h");
    expect(html).toContain("p95 over 2 buckets with data: median 115 ms, lowest 114 ms, highest 115 ms");
    expect(focusable(html)).toBe(0);
  });

  it("the readiness trend of two snapshots four minutes apart is not a flat month", () => {
    const points = [
      { takenAt: new Date(T0).toISOString(), overallPct: 59.5, blockers: 6 },
      { takenAt: new Date(T0 + 4 * MIN).toISOString(), overallPct: 61.27, blockers: 5 },
    ];
    const html = renderToStaticMarkup(
      createElement(ReadinessTrendChart, { points, gateMinPct: 90, label: "Readiness over the last 30 days" }),
    );
    expect(html).toContain('data-testid="readiness-trend"');
    expect(html).toContain('data-coverage="partial"');
    expect(html).toContain("collecting: 4m of 30d");
    expect(html).toContain("2 scored snapshots: from 59.5 % to 61.2 %");
    expect(focusable(html)).toBe(0);
  });

  it("a report's series of one point a day covering the month is not collecting", () => {
    const now = T0 + 30 * DAY;
    const points = Array.from({ length: 30 }, (_, i) => ({
      takenAt: new Date(T0 + 20 * 3_600_000 + i * DAY).toISOString(),
      overallPct: 80,
      blockers: 0,
    }));
    const html = renderToStaticMarkup(
      createElement(ReadinessTrendChart, { points, gateMinPct: 90, label: "x", now: new Date(now).toISOString() }),
    );
    expect(html).toContain('data-coverage="full"');
    expect(html).not.toContain("collecting");
  });

  it("a single snapshot says so", () => {
    const html = renderToStaticMarkup(
      createElement(ReadinessTrendChart, {
        points: [{ takenAt: new Date(T0).toISOString(), overallPct: 70, blockers: 1 }],
        gateMinPct: 90,
        label: "x",
        now: new Date(T0 + 4 * MIN).toISOString(),
      }),
    );
    expect(html).toContain("collecting: 4m of 30d, 1 point so far");
  });
});
