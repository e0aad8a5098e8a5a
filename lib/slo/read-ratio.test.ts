import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TSlo } from "../config/slo-schema";
import { clearPromqlCache } from "../prometheus/query";
import { HOUR_MS } from "./compute";
import type { TRatioSlo } from "./measurement";
import { toResult } from "./read";
import { measureRatio, ratioAmounts, withWindow } from "./read-ratio";

// Ratio SLOs against a stand-in Prometheus over real HTTP: each window is one pair of instant queries with the window
// written in, and a vector's samples are summed. Counts per window are chosen so the burn rates are round numbers.

const NOW = new Date("2026-03-10T12:00:00Z");
// Requests and failures per window: 0.1 % fail over 30 d (budget spent once), 1.44 % in the last hour (burn 14.4).
const COUNTS: Record<string, { total: number; bad: number }> = {
  "30d": { total: 10_000_000, bad: 5_000 },
  "3d": { total: 1_000_000, bad: 500 },
  "6h": { total: 100_000, bad: 250 },
  "1h": { total: 10_000, bad: 144 },
  "30m": { total: 5_000, bad: 40 },
  "5m": { total: 1_000, bad: 20 },
};
const queries: string[] = [];
let server: Server;
let url = "";
let failTotals = false;

beforeAll(async () => {
  server = createServer((req, res) => {
    const query = new URL(req.url ?? "/", "http://x").searchParams.get("query") ?? "";
    queries.push(query);
    const window = /\[(\w+)\]/.exec(query)?.[1] ?? "";
    const counts = COUNTS[window];
    res.setHeader("content-type", "application/json");
    if (!counts || (failTotals && !query.includes("5.."))) {
      res.end(JSON.stringify({ status: "error", errorType: "bad_data", error: `no data for ${window}` }));
      return;
    }
    const value = query.includes("5..") ? counts.bad : counts.total;
    // Two series (two instances) that the reader must add up.
    const result = [0.25, 0.75].map((share, i) => ({
      metric: { instance: `i${i}` },
      value: [NOW.getTime() / 1000, String(value * share)],
    }));
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  clearPromqlCache();
  queries.length = 0;
  failTotals = false;
});

const sloOf = (): TRatioSlo => ({
  id: "checkout",
  name: "Checkout",
  target: { system: true },
  sli: {
    kind: "ratio",
    prometheus: url,
    bad: 'sum(increase(http_requests_total{code=~"5.."}[{{.window}}]))',
    total: "sum(increase(http_requests_total[{{.window}}]))",
  },
  objective: 99.9,
  window: 30 * 24 * HOUR_MS,
  syntax: "preflight",
});

describe("ratio SLOs from Prometheus", () => {
  it("query each window once, sum the series, and burn as the counts say", async () => {
    const slo = sloOf();
    const result = toResult(slo as TSlo, await measureRatio(slo, NOW));
    expect(new Set(queries.map((q) => /\[(\w+)\]/.exec(q)?.[1]))).toEqual(new Set(Object.keys(COUNTS)));
    expect(queries).toHaveLength(12);
    expect(result.amounts).toEqual({ good: 9_995_000, bad: 5_000, unknown: 0 });
    // 10 000 bad allowed (0.1 % of 10 M), 5 000 spent.
    expect(result.budget.allowed).toBeCloseTo(10_000, 6);
    expect(result.budget.remainingPct).toBeCloseTo(50, 9);
    expect(result.burn["1h"]).toBeCloseTo(14.4, 9);
    expect(result.burn["5m"]).toBeCloseTo(20, 9);
    expect(result.burn["6h"]).toBeCloseTo(2.5, 9);
    expect(result.state).toBe("fast burn");
    // 5 000 left at 144 an hour: 34.72 hours.
    expect(result.budget.exhaustsInMs).toBeCloseTo((5_000 / 144) * HOUR_MS, 0);
    expect(result.coverage).toBeNull();
    expect(result.series).toEqual([]);
    expect(result.reason).toBeNull();
    expect(result.source).toMatch(/^Prometheus 127\.0\.0\.1:\d+, bad\/total queries, 30d rolling$/);
  });

  it("leave a window unknown, with the reason, when Prometheus refuses it", async () => {
    failTotals = true;
    const slo = sloOf();
    const result = toResult(slo as TSlo, await measureRatio(slo, NOW));
    expect(result.state).toBe("no data");
    expect(result.sli).toBeNull();
    expect(result.reason).toContain("Prometheus: no data for 30d");
  });
});

describe("ratioAmounts and withWindow", () => {
  it("take good or bad with total, and cap good at total (counters read a moment apart)", () => {
    expect(ratioAmounts({ good: 90, total: 100 })).toEqual({ good: 90, bad: 10, unknown: 0 });
    expect(ratioAmounts({ bad: 3, total: 100 })).toEqual({ good: 97, bad: 3, unknown: 0 });
    expect(ratioAmounts({ good: 101, total: 100 })).toEqual({ good: 100, bad: 0, unknown: 0 });
    expect(ratioAmounts({ bad: 5, total: 0 })).toEqual({ good: 0, bad: 0, unknown: 0 });
  });

  it("write the window into every placeholder", () => {
    expect(withWindow("rate(a[{{.window}}]) / rate(b[{{ .window }}])", 5 * 60_000)).toBe("rate(a[5m]) / rate(b[5m])");
  });
});
