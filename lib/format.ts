import { formatDuration } from "./config/duration";

// The one formatter for everything people read: pages, live updates, the Markdown and PDF report, the API's
// `display` fields and the gate's messages. A figure reads the same wherever it appears, so an approver never
// has to reconcile "0.004808" on one page with "0.48 %" on another. `tests/format-usage.test.ts` fails when
// code outside this file formats a number or a date itself.

export { formatDuration };

/** Units a measured value can carry. A ratio (0..1) is shown as a percentage, like its threshold. */
export const MEASURE_UNITS = ["ratio", "percent", "ms", "seconds", "bytes", "cores", "rps", "count"] as const;
export type TMeasureUnit = (typeof MEASURE_UNITS)[number];

/** "21h 4m" from a start to a time. */
export function formatSince(since: string | null, now: Date): string {
  if (!since) return "—";
  return formatDuration(Math.max(0, now.getTime() - new Date(since).getTime()));
}

/** "3s ago", "5m 2s ago". */
export function formatAgo(at: string | null, now: Date | number): string {
  if (!at) return "never";
  const ms = Math.max(0, (typeof now === "number" ? now : now.getTime()) - new Date(at).getTime());
  return ms < 1_000 ? "just now" : `${formatDuration(ms)} ago`;
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/**
 * "99.95 %"; more digits near 100 %, where they matter, and enough for a small rate not to read "0.00 %".
 * Never rounds a value that is not 100 up to "100 %".
 */
export function formatPercent(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return "no data";
  if (pct === 100) return "100 %";
  if (pct >= 99.9 && pct < 100) return `${trim((Math.floor(pct * 1000) / 1000).toFixed(3))} %`;
  if (pct !== 0 && Math.abs(pct) < 0.1) return `${Number(pct.toPrecision(2))} %`;
  return `${trim(pct.toFixed(2))} %`;
}

/** A ratio of 0..1 as a percentage: 0.004808 is "0.48 %". */
export function formatRatio(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? "no data" : formatPercent(ratio * 100);
}

/** A score to one decimal, rounded down as the gate judges it: 89.96 is 89.9 %, never a passing 90.0. */
export function floorScore(pct: number): number {
  return Math.floor(pct * 10 + 1e-9) / 10;
}

export function formatScore(pct: number | null | undefined): string {
  return pct === null || pct === undefined || !Number.isFinite(pct) ? "no score" : `${floorScore(pct).toFixed(1)} %`;
}

/** Points of score, as the gap list shows them: "12.5 points". */
export function formatPoints(points: number): string {
  return `${points.toFixed(1)} points`;
}

/** A measured value with sensible precision: 85.3, 0.042, 1 520. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1_000) return Math.round(value).toLocaleString("en-US").replaceAll(",", " ");
  if (Number.isInteger(value)) return String(value);
  if (abs >= 10) return trim(value.toFixed(1));
  if (abs >= 0.1) return trim(value.toFixed(2));
  return String(Number(value.toPrecision(3)));
}

/** Bytes in one unit system (IEC, powers of 1024) everywhere. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : trim(value.toFixed(value >= 100 ? 0 : 1))} ${units[unit]}`;
}

/** CPU in cores, never millicores: "0.18 cores", "1 core". */
export function formatCores(cores: number): string {
  const text = cores >= 10 ? trim(cores.toFixed(1)) : trim(cores.toFixed(2));
  return `${text} ${text === "1" ? "core" : "cores"}`;
}

export function formatRate(perSecond: number): string {
  return `${formatNumber(perSecond)} req/s`;
}

/** A value in its unit; the same function formats a threshold's limit, so both read in one unit. */
export function formatMeasure(value: number | null | undefined, unit?: TMeasureUnit): string {
  if (value === null || value === undefined) return "no data";
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case "ratio":
      return formatRatio(value);
    case "percent":
      return formatPercent(value);
    case "ms":
      return formatLatency(value);
    case "seconds":
      return formatDuration(value * 1000);
    case "bytes":
      return formatBytes(value);
    case "cores":
      return formatCores(value);
    case "rps":
      return formatRate(value);
    case "count":
      return formatNumber(value);
    default:
      return formatNumber(value);
  }
}

const OPERATOR_TEXT: Record<string, string> = { "<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "=", "!=": "≠" };

/** A comparison with its limit in the value's unit: "< 0.1 %" for `< 0.001` on a ratio. */
export function formatComparison(operator: string, limit: number, unit?: TMeasureUnit): string {
  return `${OPERATOR_TEXT[operator] ?? operator} ${formatMeasure(limit, unit)}`;
}

/** "12 of 15 run", "1 test": a count says what it counts, and out of how many. */
export function formatCount(count: number, noun: string, of?: number): string {
  const plural = (n: number) => (n === 1 ? noun : `${noun}s`);
  return of === undefined
    ? `${formatNumber(count)} ${plural(count)}`
    : `${formatNumber(count)} of ${formatNumber(of)} ${plural(of)}`;
}

/** How much of a window was observed: "observed 5m of 24h". */
export function formatObserved(observedMs: number, windowMs: number): string {
  return `observed ${formatDuration(observedMs)} of ${formatDuration(windowMs)}`;
}

/** The zone for a reader who has not told us theirs. Always named, so nobody takes UTC for local time. */
export const DEFAULT_TIME_ZONE = "UTC";

/** An IANA zone name the runtime knows, or null. */
export function validTimeZone(zone: string | null | undefined): string | null {
  if (!zone || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return null;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

// One fixed, unambiguous layout ("2 Dec 2026, 08:33:27 CET") whatever the browser's locale: a sign-off record reads
// the same for every approver, and 12/02 never means two different days. Only the zone is the viewer's.
const timeFormats = new Map<string, Intl.DateTimeFormat>();
function timeFormat(zone: string, kind: "time" | "date" | "clock" | "day"): Intl.DateTimeFormat {
  const key = `${zone}|${kind}`;
  let format = timeFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === "time"
        ? {
            day: "numeric",
            month: "short",
            year: "numeric",
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
            hourCycle: "h23",
            timeZoneName: "short",
          }
        : kind === "date"
          ? { day: "numeric", month: "short", year: "numeric" }
          : kind === "clock"
            ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
            : { day: "numeric", month: "short" };
    format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: validTimeZone(zone) ?? DEFAULT_TIME_ZONE });
    timeFormats.set(key, format);
  }
  return format;
}

function toDate(at: Date | string | number): Date | null {
  const d = at instanceof Date ? at : new Date(at);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A moment in the viewer's zone, the zone named: "2 Dec 2026, 08:33:27 CET". */
export function formatTime(at: Date | string | number | null | undefined, zone: string = DEFAULT_TIME_ZONE): string {
  if (at === null || at === undefined) return "never";
  const d = toDate(at);
  return d ? timeFormat(zone, "time").format(d) : String(at);
}

/** The day of a moment in the viewer's zone: "2 Dec 2026". */
export function formatDate(at: Date | string | number, zone: string = DEFAULT_TIME_ZONE): string {
  const d = toDate(at);
  return d ? timeFormat(zone, "date").format(d) : String(at);
}

/** A calendar day as configured ("2026-01-21"), which has no zone: "21 Jan 2026". */
export function formatDay(day: string): string {
  const d = toDate(`${day.slice(0, 10)}T00:00:00Z`);
  return d ? timeFormat("UTC", "date").format(d) : day;
}

/** A chart's axis tick: clock time when the data spans up to a day and a half, else the day. */
export function formatAxisTick(at: number, spanMs: number, zone: string = DEFAULT_TIME_ZONE): string {
  const d = toDate(at);
  if (!d) return "";
  return timeFormat(zone, spanMs <= 36 * 3_600_000 ? "clock" : "day").format(d);
}

/** A date's distance from now, for target dates: "10 months ago", "in 3 days". */
export function formatRelativeDay(day: string, now: Date): string {
  const days = Math.round(
    (Date.parse(`${day.slice(0, 10)}T00:00:00Z`) -
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) /
      86_400_000,
  );
  if (!Number.isFinite(days)) return day;
  if (days === 0) return "today";
  const abs = Math.abs(days);
  const text =
    abs >= 60
      ? `${Math.round(abs / 30.44)} months`
      : abs >= 14
        ? `${Math.round(abs / 7)} weeks`
        : `${abs} day${abs === 1 ? "" : "s"}`;
  return days < 0 ? `${text} ago` : `in ${text}`;
}

/** Numbers inside SVG path data, which nobody reads. */
export function svgNumber(value: number): string {
  return value.toFixed(1);
}

function trim(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}
