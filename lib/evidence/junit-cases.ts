import { quoteText } from "./quote";
import { checkText } from "./screen";
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

/**
 * A part of the report that Preflight reads but cannot take: a control character in a name or message, a time
 * that is not a duration. `where` names the element as a person finds it in the file.
 */
export class JUnitInputError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = "JUnitInputError";
  }
}

/** Every element that carries a failure, an error, a skip or a flaky rerun, and so a message Preflight keeps. */
export const DETAIL_TAGS = [
  "failure",
  "error",
  "rerunFailure",
  "rerunError",
  "skipped",
  "flakyFailure",
  "flakyError",
] as const;

/** Every <testcase> under the root, in document order, descending into nested suites. Throws JUnitInputError. */
export function collectCases(root: TXmlElement): TJUnitCase[] {
  const cases: TJUnitCase[] = [];
  walkSuite(
    root,
    root.tag === "testsuite" ? (readText(root, "name", label(root, null)) ?? "") : null,
    label(root, null),
    cases,
  );
  return cases;
}

/** `testsuite "api"`, or `testcase #3` when it has no usable name; the name escaped, so a label never carries a control character. */
function label(element: TXmlElement, index: number | null): string {
  const name = readAttribute(element, "name");
  if (name !== null && name !== "") return `${element.tag} ${quoteText(truncateText(name, 80))}`;
  return index === null ? element.tag : `${element.tag} #${index + 1}`;
}

/** An attribute Preflight reads: absent is null; present, it must be text Preflight can keep. */
function readText(element: TXmlElement, name: string, where: string): string | null {
  const value = readAttribute(element, name);
  if (value === null) return null;
  const problem = checkText(value);
  if (problem) throw new JUnitInputError(where, `attribute ${name}: ${problem}`);
  return value;
}

function checkBody(text: string, where: string): void {
  const problem = checkText(text);
  if (problem) throw new JUnitInputError(where, `text: ${problem}`);
}

function walkSuite(suite: TXmlElement, suiteName: string | null, where: string, out: TJUnitCase[]): void {
  readSeconds(suite, where);
  let index = 0;
  for (const child of suite.children) {
    if (child.tag === "testcase") out.push(readCase(child, suiteName, `${where} > ${label(child, index)}`));
    else if (child.tag === "testsuite") {
      const childWhere = `${where} > ${label(child, index)}`;
      walkSuite(child, readText(child, "name", childWhere) ?? "", childWhere, out);
    }
    if (child.tag === "testcase" || child.tag === "testsuite") index += 1;
  }
}

/**
 * The status precedence follows Maven Surefire's report: a <failure> or <error> is the first run's outcome; with
 * reruns enabled, <rerunFailure>/<rerunError> beside it (or alone, from looser producers) mean every rerun failed
 * too, and <flakyFailure>/<flakyError> without either mean a rerun passed.
 */
function readCase(element: TXmlElement, suite: string | null, where: string): TJUnitCase {
  // Every detail element is screened, not only the one that decides the status: all of them are the report's text.
  for (const child of element.children) {
    if (!(DETAIL_TAGS as readonly string[]).includes(child.tag)) continue;
    const at = `${where} > ${child.tag}`;
    readText(child, "message", at);
    readText(child, "type", at);
    checkBody(child.text, at);
    const trace = findChild(child, "stackTrace");
    if (trace) checkBody(trace.text, `${at} > stackTrace`);
  }
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
    name: readText(element, "name", where) ?? "",
    classname: readText(element, "classname", where) ?? "",
    suite,
    timeS: readSeconds(element, where),
    status,
    file: readText(element, "file", where),
    line: readLine(element, where),
    message: detail ? readMessage(detail) : null,
    type: detail ? nonEmpty(readAttribute(detail, "type")) : null,
  };
}

/** A time attribute: absent or empty is "not measured"; anything else must be a duration in seconds. */
function readSeconds(element: TXmlElement, where: string): number | null {
  const value = readText(element, "time", where);
  if (value === null || value.trim() === "") return null;
  const seconds = parseSeconds(value);
  if (seconds === null)
    throw new JUnitInputError(
      where,
      `time ${quoteText(truncateText(value, 40))} is not a duration: expected seconds, a number of at least 0`,
    );
  return seconds;
}

function readLine(element: TXmlElement, where: string): number | null {
  const value = readText(element, "line", where);
  if (value === null || value.trim() === "") return null;
  const line = parseLine(value);
  if (line === null)
    throw new JUnitInputError(
      where,
      `line ${quoteText(truncateText(value, 40))} is not a line number: expected a whole number of at least 0`,
    );
  return line;
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
    const seconds =
      child.tag === "testsuite"
        ? measureSuiteSeconds(child)
        : child.tag === "testcase"
          ? parseSeconds(readAttribute(child, "time"))
          : null;
    if (seconds !== null) total = (total ?? 0) + seconds;
  }
  return total;
}
