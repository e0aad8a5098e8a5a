import { XMLParser } from "fast-xml-parser";
import { collectCases, JUnitInputError, measureSuiteSeconds, type TJUnitCase } from "./junit-cases";
import { DEFAULT_MAX_BYTES } from "./input";
import { quoteText } from "./quote";
import { screenXml } from "./xml-guard";
import { buildElements } from "./xml-tree";

export type { TJUnitCase, TJUnitStatus } from "./junit-cases";

// JUnit XML as CI pushes it: pytest (xunit1 and xunit2), node's test runner, vitest, Maven Surefire, and anything
// else that writes <testsuites>/<testsuite>/<testcase>. Pure: the text in, figures out, nothing stored.

export type TJUnitRun = {
  /** Every <testcase>: passed + flaky + failed + errors + skipped. */
  tests: number;
  /** Passed at the first attempt. */
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** Passed on a rerun after failing (Surefire's flakyFailure/flakyError). */
  flaky: number;
  durationS: number | null;
  /** (passed + flaky) / (tests - skipped) in percent; null when nothing ran. */
  passRatePct: number | null;
  cases: TJUnitCase[];
  flakyTests: string[];
  failures: { name: string; message: string | null }[];
};

/** `malformed`: not readable XML (answered 400); otherwise readable but refused (422). */
export type TParseJUnitResult = { ok: true; run: TJUnitRun } | { ok: false; error: string; malformed: boolean };

export type TParseJUnitOptions = { maxBytes?: number };

const ROOTS = ["testsuites", "testsuite"] as const;

function createParser(): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    // No entity is ever expanded: not DOCTYPE ones (refused before this point anyway), not even &lt;, which
    // xml-tree.ts decodes by hand in one non-recursive pass.
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    // Whitespace is the producer's: a message's text around a CDATA section keeps its spaces.
    trimValues: false,
    cdataPropName: "#cdata",
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
}

export function parseJUnit(xml: string, options: TParseJUnitOptions = {}): TParseJUnitResult {
  const screened = screenXml(xml, "JUnit XML", options.maxBytes ?? DEFAULT_MAX_BYTES);
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
  const roots = buildElements(ordered);
  const root = roots[0];
  if (root === undefined) return { ok: false, error: "the document has no root element", malformed: true };
  const second = roots[1];
  if (second !== undefined)
    return { ok: false, error: `expected one root element, got <${root.tag}> and <${second.tag}>`, malformed: true };
  if (!ROOTS.some((tag) => tag === root.tag)) {
    return {
      ok: false,
      error: `expected <testsuites> or <testsuite> as the root element, got <${quoteText(root.tag).slice(1, -1)}>`,
      malformed: false,
    };
  }
  try {
    return { ok: true, run: summariseCases(collectCases(root), measureSuiteSeconds(root)) };
  } catch (error) {
    if (error instanceof JUnitInputError) return { ok: false, error: error.message, malformed: false };
    throw error;
  }
}

export function summariseCases(cases: TJUnitCase[], durationS: number | null): TJUnitRun {
  const count = (status: TJUnitCase["status"]) => cases.filter((c) => c.status === status).length;
  const passed = count("passed");
  const flaky = count("flaky");
  const skipped = count("skipped");
  const ran = cases.length - skipped;
  return {
    tests: cases.length,
    passed,
    failed: count("failed"),
    errors: count("error"),
    skipped,
    flaky,
    durationS,
    passRatePct: ran > 0 ? ((passed + flaky) / ran) * 100 : null,
    cases,
    flakyTests: cases.filter((c) => c.status === "flaky").map(formatCaseName),
    failures: cases
      .filter((c) => c.status === "failed" || c.status === "error")
      .map((c) => ({ name: formatCaseName(c), message: c.message })),
  };
}

/** "classname > name", Gradle's way of naming a test; the name alone when the producer gave no classname. */
export function formatCaseName(c: Pick<TJUnitCase, "classname" | "name">): string {
  return c.classname === "" ? c.name : `${c.classname} > ${c.name}`;
}
