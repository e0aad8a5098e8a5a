import { formatDate } from "../format";
import type { TFigure } from "./types";

// The blocks the report is laid out in (headings, facts, tables, lists), and how a figure or a verdict becomes a cell.
// Markdown, the PDF's HTML and the /report page each render these; none of them decides what a cell says.

/** How a cell reads beyond its words: the renderers add an icon or a badge, never colour alone. */
export type TMark = "ok" | "bad" | "warn" | "muted" | "unverified";
export type TCell = { text: string; mark?: TMark; href?: string };

export type TBlock =
  | { type: "heading"; id: string; text: string }
  | { type: "paragraph"; text: string; mark?: TMark }
  | { type: "facts"; items: { label: string; value: TCell; detail: string | null }[] }
  | { type: "table"; id: string; caption: string; columns: string[]; rows: TCell[][]; note?: string; empty: string }
  | { type: "list"; ordered: boolean; items: TCell[] }
  | { type: "checklist"; items: { text: string; done: boolean }[] }
  /** Where the page draws the readiness trend chart; text formats have the table that follows it. */
  | { type: "chart"; id: "readiness-trend" };

export type TSection = { id: string; title: string; blocks: TBlock[] };

export const UNVERIFIED = "unverified";

export const cell = (text: string, mark?: TMark): TCell => (mark ? { text, mark } : { text });

/** A figure in a table cell: its value, or "unverified" with the reason. */
export function figureCell(f: TFigure): TCell {
  return f.verified && f.value !== null ? cell(f.value) : cell(f.note ?? "", "unverified");
}

/** "window · source" for a verified figure; where it would have come from for an unverified one. */
export function figureDetail(f: TFigure): string | null {
  const parts = [f.window, f.source].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(" · ") : null;
}

export const VERDICT: Record<string, TMark> = {
  passed: "ok",
  pass: "ok",
  failed: "bad",
  fail: "bad",
  pending: "warn",
  "no data": "unverified",
  waived: "muted",
};
export const verdictCell = (v: string | null) => (v === null ? cell("—", "muted") : cell(v, VERDICT[v] ?? "muted"));
export const STATUS: Record<string, TMark> = { up: "ok", degraded: "warn", down: "bad", unknown: "unverified" };
export const SIGNOFF: Record<string, TMark> = {
  approved: "ok",
  ready: "warn",
  rejected: "bad",
  stale: "bad",
  expired: "bad",
  pending: "muted",
};
export const TASK: Record<string, TMark> = { done: "ok", in_progress: "warn", todo: "muted", blocked: "bad" };
export const evidenceCell = (url: string): TCell =>
  /^https?:\/\/\S+$/.test(url) ? { text: url, href: url } : cell(url);
export const day = (iso: string | null, zone?: string) => (iso ? formatDate(iso, zone) : "—");
