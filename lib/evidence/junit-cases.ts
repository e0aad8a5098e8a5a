import { findChild, readAttribute, truncateText, type TXmlElement } from "./xml-tree";

// Turns the JUnit element tree into one record per <testcase>. Producers disagree on everything around the test
// cases (suite totals, nesting, where durations go), so the cases themselves are the only thing counted.

export type TJUnitStatus = "passed" | "failed" | "error" | "skipped" | "flaky";

export type TJUnitCase = {
  name: string;
  classname: string;
  /** The nearest enclosing <testsuite>'s name; null for node's top-level tests, which sit under <testsuites>. */
  suite: string | null;
  timeS: number | null;
  status: TJUnitStatus;
  /** pytest xunit1 only. */
  file: string | null;
  line: number | null;
  /** Why it failed, errored, was skipped or was flaky (first 500 characters); null for a clean pass. */
  message: string | null;
  type: string | null;
};

export const MESSAGE_MAX = 500;

/** Every <testcase> under the root, in document order, descending into nested suites. */
export function collectCases(root: TXmlElement): TJUnitCase[] {
  const cases: TJUnitCase[] = [];
  walkSuite(root, root.tag === "testsuite" ? (readAttribute(root, "name") ?? "") : null, cases);
  return cases;
}

function walkSuite(suite: TXmlElement, suiteName: string | null, out: TJUnitCase[]): void {
  for (const child of suite.children) {
    if (child.tag === "testcase") out.push(readCase(child, suiteName));
    else if (child.tag === "testsuite") walkSuite(child, readAttribute(child, "name") ?? "", out);
  }
}

/**
 * The status precedence follows Maven Surefire's report: a <failure> or <error> is the first run's outcome; with
 * reruns enabled, <rerunFailure>/<rerunError> beside it (or alone, from looser producers) mean every rerun failed
 * too, and <flakyFailure>/<flakyError> without either mean a rerun passed.
 */
function readCase(element: TXmlElement, suite: string | null): TJUnitCase {
  const failure = findChild(element, "failure");
  const error = findChild(element, "error");
  const rerun = findChild(element, "rerunFailure") ?? findChild(element, "rerunError");
  const skipped = findChild(element, "skipped");
  const flaky = findChild(element, "flakyFailure") ?? findChild(element, "flakyError");
  const [status, detail]: [TJUnitStatus, TXmlElement | null] = failure
    ? ["failed", failure]
    : error
      ? ["error", error]
      : rerun
        ? ["failed", rerun]
        : skipped
          ? ["skipped", skipped]
          : flaky
            ? ["flaky", flaky]
            : ["passed", null];
  return {
    name: readAttribute(element, "name") ?? "",
    classname: readAttribute(element, "classname") ?? "",
    suite,
    timeS: parseSeconds(readAttribute(element, "time")),
    status,
    file: readAttribute(element, "file"),
    line: parseLine(readAttribute(element, "line")),
    message: detail ? readMessage(detail) : null,
    type: detail ? nonEmpty(readAttribute(detail, "type")) : null,
  };
}

/** The message attribute, else the first non-empty line of the body (Surefire puts rerun traces in <stackTrace>). */
function readMessage(detail: TXmlElement): string | null {
  const attribute = nonEmpty(readAttribute(detail, "message"));
  if (attribute !== null) return truncateText(attribute, MESSAGE_MAX);
  const body = detail.text.trim() || (findChild(detail, "stackTrace")?.text.trim() ?? "");
  const firstLine = body.split("\n").find((line) => line.trim() !== "");
  return firstLine === undefined ? null : truncateText(firstLine.trim(), MESSAGE_MAX);
}

const SECONDS_RE = /^\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// Old Ant-based producers format times in the JVM's locale: "1,234.567".
const GROUPED_RE = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

export function parseSeconds(value: string | null): number | null {
  if (value === null) return null;
  const text = value.trim();
  if (GROUPED_RE.test(text)) return Number(text.replaceAll(",", ""));
  if (!SECONDS_RE.test(text)) return null;
  const seconds = Number(text);
  return Number.isFinite(seconds) ? seconds : null;
}

function parseLine(value: string | null): number | null {
  if (value === null || !/^\d{1,9}$/.test(value.trim())) return null;
  return Number(value.trim());
}

function nonEmpty(value: string | null): string | null {
  return value === null || value.trim() === "" ? null : value;
}

/**
 * A suite's wall time: its own time attribute, else what its nested suites and direct cases add up to (node's
 * runner writes no time on <testsuites>). Null when no element carries a time at all.
 */
export function measureSuiteSeconds(suite: TXmlElement): number | null {
  const own = parseSeconds(readAttribute(suite, "time"));
  if (own !== null) return own;
  let total: number | null = null;
  for (const child of suite.children) {
    const seconds = child.tag === "testsuite" ? measureSuiteSeconds(child) : child.tag === "testcase" ? parseSeconds(readAttribute(child, "time")) : null;
    if (seconds !== null) total = (total ?? 0) + seconds;
  }
  return total;
}
