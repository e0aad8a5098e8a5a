import { formatDay, formatPercent, svgNumber } from "../format";
import { toDocument, UNVERIFIED, type TBlock, type TCell, type TMark } from "./document";
import { PAGE_MARGIN_CSS } from "./page";
import type { TReport } from "./types";

// The report as one self-contained HTML document with its own print stylesheet, for the PDF. Rendered from the same
// sections as the Markdown, straight from the data (not through a Markdown renderer, which would pass raw HTML in
// a test name or comment through to the browser), every text escaped, no script and nothing fetched.

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

const ICON: Record<TMark, string> = { ok: "✓ ", bad: "✕ ", warn: "! ", muted: "", unverified: "" };

/** A run of this many characters without a space is a code, a URL, a digest or a name that must be able to wrap. */
const LONG_TOKEN = 20;
const LONG_RUN = new RegExp(`(\\S{${LONG_TOKEN},})`);

/**
 * The text escaped, each long unbroken run (URL, digest, image reference, identifier) in a `.tok` span that may
 * break anywhere, with break opportunities after the separators a reader expects a URL or a path to wrap at.
 * Without it a table's narrowest width is its longest token, the table runs past the page, and Chromium shrinks
 * the whole document to fit it (then clips what still does not fit).
 */
export function breakable(text: string): string {
  return text
    .split(LONG_RUN)
    .map((part, i) =>
      i % 2 === 1
        ? `<span class="tok">${part
            .split(/(?<=[/?&=_.:@#;,|])/)
            .map(escapeHtml)
            .join("<wbr>")}</span>`
        : escapeHtml(part),
    )
    .join("");
}

function inline(c: TCell): string {
  if (c.mark === "unverified")
    return `<span class="unverified">${UNVERIFIED}</span>${c.text.trim() ? ` <span class="why">${breakable(c.text.trim())}</span>` : ""}`;
  const icon = ICON[c.mark ?? "muted"];
  const body =
    c.href && /^https?:\/\/\S+$/.test(c.href)
      ? `<a href="${escapeHtml(c.href)}">${breakable(c.text)}</a>`
      : breakable(c.text);
  return c.mark ? `<span class="m-${c.mark}">${escapeHtml(icon)}${body}</span>` : body;
}

/** Tables with this many columns print in a smaller size, to fit A4 portrait with their key columns readable. */
const WIDE_TABLE_COLUMNS = 9;
/** Tables of at most this many rows are kept on one page; longer ones break between rows. */
const SHORT_TABLE_ROWS = 4;

/** The trend as a small inline SVG step chart (no script, nothing fetched): score per day, the gate dashed. */
export function trendSvg(
  days: TReport["trend"]["days"],
  gateMinPct: number,
  windowDays: number,
  generatedAt: string,
): string {
  const scored = days.filter((d) => d.overallPct !== null);
  if (scored.length === 0) return "";
  const [w, h, left, bottom] = [640, 150, 34, 18];
  const end = Date.parse(generatedAt.slice(0, 10));
  const start = end - (windowDays - 1) * 86_400_000;
  const x = (day: string) => left + ((Date.parse(day) - start) / Math.max(1, end - start)) * (w - left - 8);
  const y = (pct: number) => 6 + (1 - pct / 100) * (h - bottom - 6);
  let path = "";
  scored.forEach((d, i) => {
    const px = svgNumber(x(d.day));
    const py = svgNumber(y(d.overallPct ?? 0));
    path += i === 0 ? `M${px},${py}` : `H${px}V${py}`;
  });
  const last = scored.at(-1);
  if (last) path += `H${svgNumber(x(generatedAt.slice(0, 10)))}`;
  const ticks = [0, 50, 100]
    .map(
      (t) =>
        `<text x="${left - 4}" y="${y(t) + 3}" text-anchor="end">${t} %</text><line x1="${left}" x2="${w - 8}" y1="${y(t)}" y2="${y(t)}" stroke="#ccc" stroke-width="0.5"/>`,
    )
    .join("");
  const label = `Readiness over the last ${windowDays} days, ${scored.length} days with a score; gate ${formatPercent(gateMinPct)}`;
  return [
    `<svg class="trend" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${w} ${h}" width="100%" font-size="9" font-family="sans-serif">`,
    ticks,
    `<line x1="${left}" x2="${w - 8}" y1="${y(gateMinPct)}" y2="${y(gateMinPct)}" stroke="#000" stroke-dasharray="5 3" stroke-width="0.8"/>`,
    `<text x="${w - 10}" y="${y(gateMinPct) - 3}" text-anchor="end">gate ${formatPercent(gateMinPct)}</text>`,
    `<path d="${path}" fill="none" stroke="#000" stroke-width="1.6"/>`,
    ...scored.map((d) => `<circle cx="${svgNumber(x(d.day))}" cy="${svgNumber(y(d.overallPct ?? 0))}" r="1.8"/>`),
    `<text x="${left}" y="${h - 4}">${escapeHtml(formatDay(new Date(start).toISOString()))}</text><text x="${w - 8}" y="${h - 4}" text-anchor="end">${escapeHtml(formatDay(generatedAt))}</text>`,
    "</svg>",
  ].join("");
}

function block(b: TBlock, report: TReport): string {
  switch (b.type) {
    case "heading":
      return `<h3 id="${escapeHtml(b.id)}">${escapeHtml(b.text)}</h3>`;
    case "paragraph":
      return `<p>${inline({ text: b.text, mark: b.mark })}</p>`;
    case "facts":
      return `<dl class="facts">${b.items.map((i) => `<div><dt>${escapeHtml(i.label)}</dt><dd>${inline(i.value)}${i.detail ? ` <span class="detail">${breakable(i.detail)}</span>` : ""}</dd></div>`).join("")}</dl>`;
    case "table":
      if (b.rows.length === 0) {
        const empty = b.empty.startsWith(`${UNVERIFIED}: `)
          ? inline({ text: b.empty.slice(UNVERIFIED.length + 2), mark: "unverified" })
          : escapeHtml(b.empty || "—");
        return `<p class="caption">${escapeHtml(b.caption)}</p><p>${empty}</p>`;
      }
      return [
        `<div class="tbl${b.rows.length <= SHORT_TABLE_ROWS ? " short" : ""}"><table id="${escapeHtml(b.id)}"${b.columns.length >= WIDE_TABLE_COLUMNS ? ' class="wide"' : ""}><caption>${escapeHtml(b.caption)}</caption>`,
        `<thead><tr>${b.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("")}</tr></thead>`,
        `<tbody>${b.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join("")}</tr>`).join("")}</tbody></table></div>`,
        b.note ? `<p class="note">${escapeHtml(b.note)}</p>` : "",
      ].join("");
    case "list": {
      const tag = b.ordered ? "ol" : "ul";
      return `<${tag}>${b.items.map((i) => `<li>${inline(i)}</li>`).join("")}</${tag}>`;
    }
    case "checklist":
      return `<ul class="checklist">${b.items.map((i) => `<li><span aria-hidden="true">${i.done ? "☑" : "☐"}</span> ${breakable(i.text)}</li>`).join("")}</ul>`;
    case "chart":
      return trendSvg(report.trend.days, report.scorecard.gateMinPct, report.trend.windowDays, report.generatedAt);
  }
}

/**
 * Print styles: A4 portrait, black on white. Every table fits the page's width: it is as wide as the text, its
 * cells wrap, long codes, URLs and digests break (`.tok`), and wide tables print smaller. Tables break between
 * rows (never inside one) with their header repeated on the next page; only short ones are kept whole, so no table
 * pushes a page's remaining space, or page 1's, to the next page. Headings stay with what follows them.
 */
export const REPORT_PRINT_CSS = `
@page { size: A4; margin: ${PAGE_MARGIN_CSS}; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body { font: 9.5pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0; overflow-wrap: break-word; }
h1 { font-size: 17pt; margin: 0 0 4pt; }
h2 { font-size: 13pt; margin: 16pt 0 6pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #000; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: 10pt 0 4pt; break-after: avoid; page-break-after: avoid; }
p { margin: 3pt 0 6pt; }
.subtitle { color: #333; margin: 0 0 2pt; }
table { width: 100%; max-width: 100%; border-collapse: collapse; margin: 2pt 0 6pt; font-size: 7.5pt; break-inside: auto; }
table.wide { font-size: 6.5pt; }
caption, .caption { caption-side: top; text-align: left; font-style: italic; color: #333; padding-bottom: 2pt; break-after: avoid; page-break-after: avoid; }
th, td { border: 0.5pt solid #777; padding: 2pt 3pt; text-align: left; vertical-align: top; overflow-wrap: break-word; hyphens: manual; }
table.wide th, table.wide td { padding: 1.5pt 2pt; }
.tok { overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.tbl.short { break-inside: avoid; page-break-inside: avoid; }
th { background: #eee; font-weight: 600; }
.note, .detail { color: #333; font-size: 8pt; }
dl.facts { margin: 0 0 6pt; }
dl.facts div { display: flex; gap: 6pt; padding: 1pt 0; break-inside: avoid; }
dl.facts dt { font-weight: 600; min-width: 42mm; max-width: 50%; flex: 0 0 auto; }
dl.facts dd { margin: 0; min-width: 0; flex: 1 1 auto; }
.unverified { display: inline-block; white-space: nowrap; border: 1pt dashed #000; padding: 0 3pt; font-weight: 700; text-transform: uppercase; font-size: 7pt; letter-spacing: 0.04em; }
td .unverified { text-transform: none; letter-spacing: 0; font-size: 6pt; padding: 0 1pt; border-width: 0.75pt; }
.why { color: #333; }
.m-ok { font-weight: 600; }
.m-bad { font-weight: 700; text-decoration: underline; }
.m-warn { font-style: italic; }
.m-muted { color: #555; }
ul.checklist { list-style: none; padding-left: 0; }
a { color: #000; }
svg.trend { display: block; max-width: 170mm; margin: 2pt 0 4pt; break-inside: avoid; }
section { break-inside: auto; }
`;

/** The full HTML document of the report, for headless Chromium to print. */
export function renderHtml(report: TReport): string {
  const doc = toDocument(report);
  const sections = doc.sections
    .map(
      (s) =>
        `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${s.blocks.map((b) => block(b, report)).join("")}</section>`,
    )
    .join("\n");
  return [
    "<!doctype html>",
    `<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(doc.title)}</title><style>${REPORT_PRINT_CSS}</style></head><body>`,
    `<header><h1>${escapeHtml(doc.title)}</h1>${doc.subtitle.map((s) => `<p class="subtitle">${escapeHtml(s)}</p>`).join("")}</header>`,
    sections,
    "</body></html>",
  ].join("\n");
}
