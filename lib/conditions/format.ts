/** A measured value as a failure description shows it: strings quoted, numbers rounded, long text cut. */
export function formatActual(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return truncate(JSON.stringify(value));
  if (value === null || typeof value === "boolean") return String(value);
  try {
    return truncate(JSON.stringify(value));
  } catch {
    return String(value);
  }
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  // Enough digits to tell 0.003 from 0.004, without printing 9.998263888888889 days.
  return Math.abs(value) >= 1 ? String(Number(value.toFixed(2))) : String(Number(value.toPrecision(3)));
}

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
