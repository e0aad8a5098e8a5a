import { getPromqlValue, type QueryResult } from "../prometheus/query";
import { BURN_WINDOW_NAMES, BURN_WINDOWS, formatWindow, type TBurnWindow, type TSloAmounts } from "./compute";
import { ZERO, type TRatioSlo, type TSloMeasurement } from "./measurement";
import { WINDOW_PLACEHOLDER_RE } from "./openslo";

// Ratio SLIs from Prometheus: each query is evaluated once per window with the window written in (Sloth's
// `{{.window}}`), so increase()/rate() over 30d, 1h or 5m gives the events of exactly that window; the samples of a
// vector are summed. Prometheus answers instant queries only here (lib/prometheus/query.ts), so a ratio SLO has no
// budget-over-time series. A query that fails leaves its window unknown, with the reason, never zero bad events.

export type TPromQuery = (baseUrl: string, query: string) => Promise<QueryResult>;

/** The events of one window from the good (or bad) and total counts; good above total (scrapes skewed) is capped. */
export function ratioAmounts(counts: { good?: number; bad?: number; total: number }): TSloAmounts {
  const total = Math.max(0, counts.total);
  const good = counts.good !== undefined ? counts.good : total - (counts.bad ?? 0);
  const capped = Math.min(total, Math.max(0, good));
  return { good: capped, bad: total - capped, unknown: 0 };
}

export function withWindow(query: string, windowMs: number): string {
  return query.replace(WINDOW_PLACEHOLDER_RE, formatWindow(windowMs));
}

const sumOf = (result: QueryResult): number | string =>
  result.ok ? result.samples.reduce((sum, s) => sum + s.value, 0) : result.reason;

async function measureWindow(slo: TRatioSlo, windowMs: number, query: TPromQuery) {
  const { sli } = slo;
  const partQuery = "good" in sli ? sli.good : sli.bad;
  const [part, total] = await Promise.all([
    query(sli.prometheus, withWindow(partQuery, windowMs)).then(sumOf),
    query(sli.prometheus, withWindow(sli.total, windowMs)).then(sumOf),
  ]);
  if (typeof part === "string") return { reason: part };
  if (typeof total === "string") return { reason: total };
  return { amounts: ratioAmounts("good" in sli ? { good: part, total } : { bad: part, total }) };
}

export async function measureRatio(
  slo: TRatioSlo,
  now: Date,
  query: TPromQuery = (url, q) => getPromqlValue(url, q, now.getTime()),
): Promise<TSloMeasurement> {
  const names: ("window" | TBurnWindow)[] = ["window", ...BURN_WINDOW_NAMES];
  const lengths = names.map((name) => (name === "window" ? slo.window : BURN_WINDOWS[name]));
  const measured = await Promise.all(lengths.map((ms) => measureWindow(slo, ms, query)));
  const amountsAt = (i: number) => measured[i]?.amounts ?? ZERO;
  const burn = Object.fromEntries(
    BURN_WINDOW_NAMES.map((name, i) => [name, amountsAt(i + 1)]),
  ) as TSloMeasurement["burn"];
  const reasons = [...new Set(measured.flatMap((m) => (m.reason ? [m.reason] : [])))];
  return {
    unit: "events",
    window: amountsAt(0),
    burn,
    // Prometheus says how many events there were, not how many there should have been.
    coverage: null,
    points: [],
    source:
      `Prometheus ${new URL(slo.sli.prometheus).host}, ${"good" in slo.sli ? "good" : "bad"}/total queries, ` +
      `${formatWindow(slo.window)} rolling`,
    reason: reasons.length > 0 ? reasons.join("; ") : null,
  };
}
