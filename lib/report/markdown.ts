import { toDocument, UNVERIFIED, type TBlock, type TCell, type TMark } from "./document";
import type { TReport } from "./types";

// The report as a Markdown document (GitHub-flavoured tables), pure. Everything that came from data is escaped:
// a test name or a comment cannot open a link, raw HTML, a heading or a new table cell.

const ICON: Record<TMark, string> = { ok: "✓ ", bad: "✕ ", warn: "⚠ ", muted: "", unverified: "" };

/** Inline text: Markdown punctuation escaped, raw HTML impossible, one line. */
export function escapeInline(text: string): string {
  return (
    text
      .replace(/\r\n?|\n/g, " ")
      .replace(/[\\`*~[\]|]/g, (c) => `\\${c}`)
      // `_` only where it could open or close emphasis: snake_case names stay readable.
      .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_")
      // An `&` that would read as an entity, then a `<` that could start a tag, an autolink or a comment
      // ("P95 < 500 ms" stays as it is).
      .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
      .replace(/<(?=[A-Za-z/!?])/g, "&lt;")
  );
}

/** Text that starts a line of its own (a paragraph, a list item): it must not turn into a heading, quote or list. */
function escapeLine(text: string): string {
  return escapeInline(text).replace(/^(\s*)([#>+=-]|\d+[.)])/, "$1\\$2");
}

/** A table cell: like inline text, trimmed, never empty (an empty cell can shift columns in some renderers). */
export function escapeCell(text: string): string {
  const escaped = escapeInline(text.trim());
  return escaped === "" ? " " : escaped;
}

const autolink = (url: string) => `<${url.replace(/[<>|\s\\]/g, (c) => encodeURIComponent(c))}>`;

function inline(c: TCell, escape: (text: string) => string = escapeInline): string {
  if (c.mark === "unverified")
    return c.text.trim() ? `**${UNVERIFIED}** (${escapeInline(c.text.trim())})` : `**${UNVERIFIED}**`;
  const icon = ICON[c.mark ?? "muted"];
  if (c.href && /^https?:\/\/\S+$/.test(c.href)) return `${icon}${autolink(c.href)}`;
  return `${icon}${escape(c.text)}`;
}

function table(b: Extract<TBlock, { type: "table" }>): string[] {
  const out = [`*${escapeInline(b.caption)}*`, ""];
  if (b.rows.length === 0) {
    const empty = b.empty.startsWith(`${UNVERIFIED}: `)
      ? inline({ text: b.empty.slice(UNVERIFIED.length + 2), mark: "unverified" })
      : escapeLine(b.empty || "—");
    return [...out, empty, ""];
  }
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  out.push(row(b.columns.map(escapeCell)), row(b.columns.map(() => "---")));
  for (const r of b.rows) out.push(row(r.map((c) => inline(c, escapeCell))));
  out.push("");
  if (b.note) out.push(escapeLine(b.note), "");
  return out;
}

function block(b: TBlock): string[] {
  switch (b.type) {
    case "heading":
      return [`### ${escapeInline(b.text)}`, ""];
    case "paragraph":
      return [inline({ text: b.text, mark: b.mark }, escapeLine), ""];
    case "facts":
      return [
        ...b.items.map(
          (i) => `- **${escapeInline(i.label)}:** ${inline(i.value)}${i.detail ? ` (${escapeInline(i.detail)})` : ""}`,
        ),
        "",
      ];
    case "table":
      return table(b);
    case "list":
      return [...b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : "-"} ${inline(item, escapeLine)}`), ""];
    case "checklist":
      return [...b.items.map((item) => `- [${item.done ? "x" : " "}] ${escapeLine(item.text)}`), ""];
    case "chart":
      return [];
  }
}

export function renderMarkdown(report: TReport): string {
  const doc = toDocument(report);
  const lines = [`# ${escapeInline(doc.title)}`, "", ...doc.subtitle.flatMap((s) => [escapeInline(s), ""]), "---", ""];
  for (const section of doc.sections) {
    lines.push(`## ${escapeInline(section.title)}`, "");
    for (const b of section.blocks) lines.push(...block(b));
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
