import { formatNumber } from "../format";
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

function truncate(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
