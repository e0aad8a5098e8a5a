import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

// Every figure and time people read goes through lib/format.ts, so it reads the same on every page, in live
// updates, the report and the API. This walks the sources and fails on code that formats a number or a date by
// itself. A line that formats for a machine (a wire protocol, a file name) says so with `format-ok: <why>`.

const ROOT = join(import.meta.dirname, "..");
const SCANNED = ["app", "components", "lib", "scripts", "bin"];
const SKIPPED = [
  /\.test\.tsx?$/,
  /^lib\/format\.ts$/,
  /^lib\/generated\//,
  /^lib\/demo\//,
  /^lib\/testing\//,
  /\/fixtures\//,
];

const FORBIDDEN: [RegExp, string][] = [
  [/\.toFixed\(/, "toFixed"],
  [/\.toPrecision\(/, "toPrecision"],
  [/\.toLocale(?:Date|Time)?String\(/, "toLocale*String"],
  [/\bIntl\.(?:DateTimeFormat|NumberFormat|RelativeTimeFormat)\b/, "Intl formatter"],
  [/Math\.(?:floor|round)\([^)]*\*\s*10+\)\s*\/\s*10+/, "hand-rounded figure"],
  [/toISOString\(\)\.slice\(0,\s*1[69]\)/, "ISO time cut for display"],
  [/toUTCString\(\)/, "toUTCString"],
];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

export function findHandFormatting(files: { path: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { path, text } of files) {
    text.split("\n").forEach((line, i) => {
      if (line.includes("format-ok:")) return;
      for (const [pattern, what] of FORBIDDEN)
        if (pattern.test(line)) found.push(`${path}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
    });
  }
  return found;
}

describe("figures and times are formatted by lib/format.ts only", () => {
  it("finds no page, component or report that formats a number or a date itself", () => {
    const files = SCANNED.flatMap((d) => sources(join(ROOT, d)))
      .map((path) => relative(ROOT, path))
      .filter((path) => !SKIPPED.some((s) => s.test(path)))
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") }));
    expect(files.length).toBeGreaterThan(100);
    expect(findHandFormatting(files)).toEqual([]);
  });

  it("would catch each kind of hand formatting (the scan itself can fail)", () => {
    const bad = [
      "const a = `${pct.toFixed(1)} %`;",
      "const b = value.toPrecision(3);",
      "<td>{new Date(iso).toLocaleString()}</td>",
      "const f = new Intl.DateTimeFormat('en-US');",
      "const s = `${(Math.floor(pct * 10) / 10)} %`;",
      "const t = d.toISOString().slice(0, 16);",
    ];
    expect(findHandFormatting(bad.map((text, i) => ({ path: `x${i}.tsx`, text })))).toHaveLength(bad.length);
    expect(
      findHandFormatting([{ path: "ok.ts", text: "const v = n.toFixed(6); // format-ok: Prometheus exposition" }]),
    ).toEqual([]);
  });
});
