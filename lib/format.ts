import { formatDuration } from "./config/duration";

/** "21h 4m" since a time, as the reference assessment writes uptime. */
export function formatSince(since: string | null, now: Date): string {
  if (!since) return "—";
  return formatDuration(Math.max(0, now.getTime() - new Date(since).getTime()));
}

/** "3s ago", "5m 2s ago". */
export function formatAgo(at: string | null, now: Date): string {
  if (!at) return "never";
  const ms = Math.max(0, now.getTime() - new Date(at).getTime());
  return ms < 1_000 ? "just now" : `${formatDuration(ms)} ago`;
}

export function formatLatency(ms: number | null): string {
  if (ms === null) return "—";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** "99.95 %"; more digits near 100 %, where they matter. */
export function formatPercent(pct: number | null): string {
  if (pct === null) return "no data";
  if (pct >= 99.9 && pct < 100) return `${pct.toFixed(3)} %`;
  return `${pct.toFixed(pct === 100 ? 0 : 2)} %`;
}

/** A measured value with sensible precision: 85.3, 0.042, 1 520. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1_000) return Math.round(value).toLocaleString("en-US").replaceAll(",", " ");
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 0.1) return value.toFixed(2);
  return value.toPrecision(2);
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${units[unit]}`;
}
