import { XMLParser } from "fast-xml-parser";
import { DEFAULT_MAX_BYTES } from "./input";
import { quoteText } from "./quote";
import { checkText } from "./screen";
import { screenXml } from "./xml-guard";
import { buildElements, findChild, listChildren, readAttribute, truncateText, type TXmlElement } from "./xml-tree";

// Code coverage as CI pushes it: Cobertura XML (coverage.py, Istanbul/vitest/jest, JaCoCo's Cobertura export, gcovr)
// and LCOV tracefiles (lcov, Istanbul, vitest, coverage.py `coverage lcov`). Pure: the text in, figures out.
//
// Like the JUnit reader, totals a producer writes (line-rate, lines-valid, LF/LH) are not trusted: the figures are
// counted from the lines themselves, so a report whose header disagrees with its body reads what its body says.
// A line is counted once per file, however many <class> or <method> elements repeat it.

export type TCoverageCounts = {
  lines: { valid: number; covered: number };
  branches: { valid: number; covered: number };
};
export type TCoveragePackage = { name: string } & TCoverageCounts;
export type TCoverageReport = TCoverageCounts & {
  format: "cobertura" | "lcov";
  files: number;
  /** Per package (Cobertura's <package>; for LCOV, each file's directory), largest first. */
  packages: TCoveragePackage[];
};

export type TParseCoverageResult =
  | { ok: true; report: TCoverageReport }
  | { ok: false; error: string; malformed: boolean };

/** Line → hits and line → [covered, valid] branches, for one file. */
type TFileCounts = { lines: Map<number, number>; branches: Map<number, [number, number]> };

/** `malformed`: the file is not a readable report of its format (400); otherwise a value in it is wrong (422). */
class CoverageInputError extends Error {
  readonly malformed: boolean;
  constructor(message: string, malformed: boolean) {
    super(message);
    this.malformed = malformed;
  }
}

const refuse = (where: string, problem: string, malformed = false): never => {
  throw new CoverageInputError(`${where}: ${problem}`, malformed);
};

const WHOLE = /^\d{1,12}$/;

/** A count that must be a whole number ≥ 0 (hits, a line number ≥ 1). */
function readWhole(value: string | null, where: string, what: string, min = 0): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (!WHOLE.test(text) || Number(text) < min)
    refuse(where, `${what} ${quoteText(truncateText(value, 40))} is not a whole number of at least ${min}`);
  return Number(text);
}

function keptText(value: string, where: string, what: string): string {
  const problem = checkText(value);
  if (problem) refuse(where, `${what}: ${problem}`);
  return value;
}

function summarise(
  format: TCoverageReport["format"],
  files: Map<string, { pkg: string; counts: TFileCounts }>,
): TCoverageReport {
  const packages = new Map<string, TCoveragePackage>();
  const total: TCoverageCounts = { lines: { valid: 0, covered: 0 }, branches: { valid: 0, covered: 0 } };
  for (const { pkg, counts } of files.values()) {
    const entry = packages.get(pkg) ?? {
      name: pkg,
      lines: { valid: 0, covered: 0 },
      branches: { valid: 0, covered: 0 },
    };
    for (const hits of counts.lines.values()) {
      entry.lines.valid += 1;
      if (hits > 0) entry.lines.covered += 1;
    }
    for (const [covered, valid] of counts.branches.values()) {
      entry.branches.valid += valid;
      entry.branches.covered += covered;
    }
    packages.set(pkg, entry);
  }
  for (const entry of packages.values()) {
    total.lines.valid += entry.lines.valid;
    total.lines.covered += entry.lines.covered;
    total.branches.valid += entry.branches.valid;
    total.branches.covered += entry.branches.covered;
  }
  const sorted = [...packages.values()].sort((a, b) => b.lines.valid - a.lines.valid || a.name.localeCompare(b.name));
  return { format, files: files.size, packages: sorted, ...total };
}

// --- Cobertura ---

function createParser(): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
}

const CONDITION_RE = /\((\d{1,9})\s*\/\s*(\d{1,9})\)/;

export function parseCobertura(xml: string, options: { maxBytes?: number } = {}): TParseCoverageResult {
  const screened = screenXml(xml, "Cobertura XML", options.maxBytes ?? DEFAULT_MAX_BYTES, {
    externalDoctypeFor: "coverage",
  });
  if (!screened.ok) return screened;
  let ordered: unknown;
  try {
    ordered = createParser().parse(screened.xml);
  } catch (error) {
    return {
      ok: false,
      error: `could not read the XML: ${error instanceof Error ? error.message : String(error)}`,
      malformed: true,
    };
  }
  const [root, second] = buildElements(ordered);
  if (root === undefined) return { ok: false, error: "the document has no root element", malformed: true };
  if (second !== undefined)
    return { ok: false, error: `expected one root element, got <${root.tag}> and <${second.tag}>`, malformed: true };
  if (root.tag !== "coverage")
    return {
      ok: false,
      error: `expected <coverage> as the root element (Cobertura XML), got <${quoteText(root.tag).slice(1, -1)}>`,
      malformed: false,
    };
  try {
    const files = new Map<string, { pkg: string; counts: TFileCounts }>();
    const packagesEl = findChild(root, "packages");
    listChildren(packagesEl ?? root, "package").forEach((pkgEl, p) => {
      const pkgName = keptText(readAttribute(pkgEl, "name") ?? "", `package #${p + 1}`, "attribute name");
      const pkgWhere = `package ${quoteText(truncateText(pkgName, 80))}`;
      const classesEl = findChild(pkgEl, "classes");
      listChildren(classesEl ?? pkgEl, "class").forEach((classEl, c) => {
        const filename = keptText(
          readAttribute(classEl, "filename") ?? readAttribute(classEl, "name") ?? `class #${c + 1}`,
          pkgWhere,
          "attribute filename",
        );
        const where = `${pkgWhere} > class ${quoteText(truncateText(filename, 120))}`;
        const entry = files.get(filename) ?? { pkg: pkgName || ".", counts: { lines: new Map(), branches: new Map() } };
        files.set(filename, entry);
        // Only the class's own <lines>: <methods><method><lines> repeat the same lines.
        for (const line of listChildren(
          findChild(classEl, "lines") ?? { tag: "", attributes: new Map(), children: [], text: "" },
          "line",
        ))
          readCoberturaLine(line, where, entry.counts);
      });
    });
    if (files.size === 0)
      return { ok: false, error: "the report has no <class> elements: nothing to count", malformed: false };
    return { ok: true, report: summarise("cobertura", files) };
  } catch (error) {
    if (error instanceof CoverageInputError) return { ok: false, error: error.message, malformed: error.malformed };
    throw error;
  }
}

function readCoberturaLine(line: TXmlElement, where: string, counts: TFileCounts): void {
  const number = readWhole(readAttribute(line, "number"), where, "line number", 1);
  if (number === null) refuse(where, "a <line> has no number attribute");
  const at = `${where} > line ${number}`;
  const hits = readWhole(readAttribute(line, "hits"), at, "hits") ?? 0;
  counts.lines.set(number as number, Math.max(counts.lines.get(number as number) ?? 0, hits));
  const condition = readAttribute(line, "condition-coverage");
  if (readAttribute(line, "branch") === "true" && condition !== null) {
    const match = CONDITION_RE.exec(keptText(condition, at, "attribute condition-coverage"));
    if (!match) refuse(at, `condition-coverage ${quoteText(truncateText(condition, 40))} is not "P% (covered/valid)"`);
    const covered = Number(match?.[1]);
    const valid = Number(match?.[2]);
    if (covered > valid) refuse(at, `condition-coverage ${quoteText(condition)} covers more branches than there are`);
    const seen = counts.branches.get(number as number);
    counts.branches.set(
      number as number,
      seen ? [Math.max(seen[0], covered), Math.max(seen[1], valid)] : [covered, valid],
    );
  }
}

// --- LCOV ---

/** LCOV tracefile records: SF opens a file, DA a line, BRDA a branch, end_of_record closes it; the rest is ignored. */
export function parseLcov(text: string, options: { maxBytes?: number } = {}): TParseCoverageResult {
  const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (text.length > limit) return { ok: false, error: `the report is over the ${limit}-byte limit`, malformed: true };
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (body.trim() === "") return { ok: false, error: "the report is empty", malformed: true };
  const start = body.trimStart();
  if (start.startsWith("<"))
    return {
      ok: false,
      error: "expected an LCOV tracefile, got XML (send Cobertura XML as application/xml)",
      malformed: true,
    };
  if (start.startsWith("{") || start.startsWith("["))
    return { ok: false, error: "expected an LCOV tracefile, got JSON", malformed: true };
  const files = new Map<string, { pkg: string; counts: TFileCounts }>();
  let current: { name: string; counts: TFileCounts } | null = null;
  const lines = body.split(/\r?\n/);
  try {
    lines.forEach((raw, i) => {
      const line = raw.trim();
      const where = `line ${i + 1}`;
      if (line === "") return;
      const colon = line.indexOf(":");
      const tag = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1);
      if (tag === "end_of_record") {
        if (!current) refuse(where, "end_of_record without an SF record before it", true);
        current = null;
        return;
      }
      if (tag === "SF") {
        if (current) refuse(where, `SF without end_of_record for ${quoteText(truncateText(current.name, 120))}`, true);
        const name = keptText(value, where, "SF");
        if (name === "") refuse(where, "SF names no file");
        const existing = files.get(name);
        const counts = existing?.counts ?? { lines: new Map(), branches: new Map() };
        const slash = name.lastIndexOf("/");
        files.set(name, { pkg: slash > 0 ? name.slice(0, slash) : ".", counts });
        current = { name, counts };
        return;
      }
      if (tag === "DA" || tag === "BRDA") {
        if (!current) refuse(where, `${tag} outside a file's record (no SF before it)`, true);
        const file = current as unknown as { name: string; counts: TFileCounts };
        const fields = value.split(",");
        const at = `${where} (${quoteText(truncateText(file.name, 120))})`;
        if (tag === "DA") {
          const number = readWhole(fields[0] ?? null, at, "DA line number", 1) as number;
          const hits = readWhole(fields[1] ?? null, at, "DA hits");
          if (hits === null) refuse(at, "DA has no hit count");
          file.counts.lines.set(number, Math.max(file.counts.lines.get(number) ?? 0, hits as number));
        } else {
          if (fields.length < 4) refuse(at, "BRDA needs line,block,branch,taken", true);
          const number = readWhole(fields[0] ?? null, at, "BRDA line number", 1) as number;
          const taken = fields[3] === "-" ? 0 : readWhole(fields[3] ?? null, at, "BRDA taken");
          const seen = file.counts.branches.get(number) ?? [0, 0];
          file.counts.branches.set(number, [seen[0] + ((taken ?? 0) > 0 ? 1 : 0), seen[1] + 1]);
        }
        return;
      }
      // TN, FN, FNDA, FNF, FNH, LF, LH, BRF, BRH, VER: summaries or function data, not counted.
      if (!/^[A-Z]{2,4}$/.test(tag)) refuse(where, `${quoteText(truncateText(tag, 40))} is not an LCOV record`, true);
    });
  } catch (error) {
    if (error instanceof CoverageInputError) return { ok: false, error: error.message, malformed: error.malformed };
    throw error;
  }
  if (current)
    return {
      ok: false,
      error: `the tracefile ends inside the record of ${quoteText(truncateText((current as { name: string }).name, 120))} (no end_of_record: truncated?)`,
      malformed: true,
    };
  if (files.size === 0)
    return { ok: false, error: "the tracefile has no SF records: nothing to count", malformed: false };
  return { ok: true, report: summarise("lcov", files) };
}

/** Percent of `covered` in `valid`, or null when there is nothing to cover. */
export function ratePct(counts: { valid: number; covered: number }): number | null {
  return counts.valid === 0 ? null : (counts.covered / counts.valid) * 100;
}
