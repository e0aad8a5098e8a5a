import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCobertura, parseLcov, ratePct, type TParseCoverageResult } from "./coverage";

// Coverage reports as real tools wrote them on this machine (fixtures/README: how each was made), counted from their
// lines; and what a careless or hostile producer sends instead.

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const report = (result: TParseCoverageResult) => {
  if (!result.ok) throw new Error(result.error);
  return result.report;
};

describe("real tool output", () => {
  it("vitest 4.1 (v8, istanbul's cobertura reporter), with its external DOCTYPE: accepted, never fetched", () => {
    const xml = fixture("coverage-vitest-cobertura.xml");
    expect(xml).toContain('<!DOCTYPE coverage SYSTEM "http://cobertura.sourceforge.net/xml/coverage-04.dtd">');
    const r = report(parseCobertura(xml));
    // The header says lines-valid="86" lines-covered="72": the lines agree. Its branch totals (130/100) count branches
    // istanbul maps to no line; per line, the report covers 93 of 123.
    expect({ format: r.format, files: r.files, lines: r.lines, branches: r.branches }).toEqual({
      format: "cobertura",
      files: 2,
      lines: { valid: 86, covered: 72 },
      branches: { valid: 123, covered: 93 },
    });
    expect(r.packages.map((p) => p.name)).toEqual(["lib", "lib.evidence"]);
  });

  it("vitest 4.1 LCOV of the same run: the same lines, and every BRDA branch", () => {
    const r = report(parseLcov(fixture("coverage-vitest.lcov")));
    expect({ format: r.format, files: r.files, lines: r.lines, branches: r.branches }).toEqual({
      format: "lcov",
      files: 2,
      lines: { valid: 86, covered: 72 },
      branches: { valid: 130, covered: 100 },
    });
    expect(r.packages.map((p) => p.name)).toEqual(["lib", "lib/evidence"]);
  });

  it("coverage.py 6.5 (Debian's python3-coverage) Cobertura XML and LCOV, branch coverage on", () => {
    const xml = report(parseCobertura(fixture("coverage-py-cobertura.xml")));
    const lcov = report(parseLcov(fixture("coverage-py.lcov")));
    for (const r of [xml, lcov])
      expect({ lines: r.lines, branches: r.branches, files: r.files }).toEqual({
        lines: { valid: 15, covered: 13 },
        branches: { valid: 6, covered: 4 },
        files: 2,
      });
    expect(ratePct(xml.lines)).toBeCloseTo(86.6667, 3);
  });
});

const cobertura = (lines: string, head = "") =>
  `<?xml version="1.0"?>${head}<coverage line-rate="1" lines-valid="999"><packages><package name="app"><classes><class name="a" filename="src/a.ts"><methods><method name="f"><lines><line number="1" hits="3"/></lines></method></methods><lines>${lines}</lines></class></classes></package></packages></coverage>`;

describe("Cobertura, counted from the lines", () => {
  it("counts each line once, whatever <method> repeats and whatever the header claims", () => {
    const r = report(
      parseCobertura(
        cobertura(
          '<line number="1" hits="3"/><line number="2" hits="0"/><line number="3" hits="1" branch="true" condition-coverage="50% (1/2)"/>',
        ),
      ),
    );
    expect({ lines: r.lines, branches: r.branches }).toEqual({
      lines: { valid: 3, covered: 2 },
      branches: { valid: 2, covered: 1 },
    });
  });

  it("merges a file listed in two <class> elements (JaCoCo's inner classes) line by line", () => {
    const xml = `<coverage><packages><package name="p"><classes><class name="A" filename="A.java"><lines><line number="1" hits="0"/><line number="2" hits="1"/></lines></class><class name="A$1" filename="A.java"><lines><line number="1" hits="2"/></lines></class></classes></package></packages></coverage>`;
    expect(report(parseCobertura(xml)).lines).toEqual({ valid: 2, covered: 2 });
  });

  it.each([
    ["an internal DTD subset", '<!DOCTYPE coverage [<!ENTITY x "y">]>', "DOCTYPE and entities are not accepted"],
    [
      "an entity declaration after an external DOCTYPE",
      '<!DOCTYPE coverage SYSTEM "http://x/coverage-04.dtd"><!ENTITY x SYSTEM "file:///etc/passwd">',
      "DOCTYPE and entities are not accepted",
    ],
    [
      "an external DOCTYPE for another root",
      '<!DOCTYPE testsuite SYSTEM "http://x/junit.dtd">',
      "DOCTYPE and entities are not accepted",
    ],
  ])("refuses %s (422), fetching nothing", (_name, head, error) => {
    expect(parseCobertura(cobertura('<line number="1" hits="1"/>', head))).toEqual({
      ok: false,
      error,
      malformed: false,
    });
  });

  it.each([
    ["negative hits", '<line number="1" hits="-1"/>', 'line 1: hits "-1" is not a whole number of at least 0'],
    ["infinite hits", '<line number="1" hits="1e999"/>', 'hits "1e999" is not a whole number'],
    ["NaN hits", '<line number="1" hits="NaN"/>', 'hits "NaN" is not a whole number'],
    ["line 0", '<line number="0" hits="1"/>', 'line number "0" is not a whole number of at least 1'],
    ["a line without a number", '<line hits="1"/>', "a <line> has no number attribute"],
    [
      "condition coverage that is not P% (a/b)",
      '<line number="1" hits="1" branch="true" condition-coverage="most"/>',
      'condition-coverage "most" is not "P% (covered/valid)"',
    ],
    [
      "more branches covered than exist",
      '<line number="1" hits="1" branch="true" condition-coverage="300% (3/1)"/>',
      "covers more branches than there are",
    ],
  ])("refuses %s, naming the class and line (422)", (_name, lines, error) => {
    const result = parseCobertura(cobertura(lines));
    expect(result).toMatchObject({ ok: false, malformed: false, error: expect.stringContaining(error) });
    expect(!result.ok && result.error).toContain('package "app" > class "src/a.ts"');
  });

  it("refuses a control character in a file name or package name (422), escaped in the message", () => {
    const xml = cobertura('<line number="1" hits="1"/>').replace('filename="src/a.ts"', 'filename="src/a&#27;.ts"');
    expect(parseCobertura(xml)).toMatchObject({
      ok: false,
      malformed: false,
      error: expect.stringContaining("attribute filename: control character U+001B (ESC)"),
    });
    expect(parseCobertura(cobertura("").replace('name="app"', 'name="a&#0;pp"'))).toMatchObject({
      ok: false,
      error: expect.stringContaining("package #1: attribute name: control character U+0000 (NUL)"),
    });
  });

  it("refuses what is not Cobertura: another root (422), truncated XML and JSON (400), no classes (422)", () => {
    expect(parseCobertura('<testsuites><testsuite name="x"/></testsuites>')).toMatchObject({
      ok: false,
      malformed: false,
      error: expect.stringContaining("expected <coverage> as the root element"),
    });
    expect(parseCobertura(cobertura('<line number="1" hits="1"/>').slice(0, 120))).toMatchObject({
      ok: false,
      malformed: true,
    });
    expect(parseCobertura('{"total":{}}')).toMatchObject({
      ok: false,
      malformed: true,
      error: "expected Cobertura XML, got JSON",
    });
    expect(parseCobertura("<coverage><packages/></coverage>")).toMatchObject({
      ok: false,
      malformed: false,
      error: "the report has no <class> elements: nothing to count",
    });
  });
});

describe("LCOV, counted from DA and BRDA", () => {
  it("reads DA with or without a checksum, BRDA with '-' for a branch never reached, CRLF line ends", () => {
    const r = report(
      parseLcov(
        "TN:\r\nSF:src/a.ts\r\nDA:1,2,abc\r\nDA:2,0\r\nBRDA:1,0,0,-\r\nBRDA:1,0,1,4\r\nLF:99\r\nend_of_record\r\n",
      ),
    );
    expect({ lines: r.lines, branches: r.branches, packages: r.packages.map((p) => p.name) }).toEqual({
      lines: { valid: 2, covered: 1 },
      branches: { valid: 2, covered: 1 },
      packages: ["src"],
    });
  });

  it.each([
    ["negative hits", "SF:a.ts\nDA:1,-3\nend_of_record\n", 'DA hits "-3" is not a whole number', false],
    ["a line 0", "SF:a.ts\nDA:0,1\nend_of_record\n", 'DA line number "0" is not a whole number of at least 1', false],
    ["an ESC in a file name", "SF:a\u001b[2J.ts\nDA:1,1\nend_of_record\n", "SF: control character U+001B (ESC)", false],
    ["a NUL in a file name", "SF:a\u0000.ts\nDA:1,1\nend_of_record\n", "control character U+0000 (NUL)", false],
    ["DA before any SF", "DA:1,1\n", "DA outside a file's record", true],
    ["a file left open (truncated)", "SF:a.ts\nDA:1,1\n", "no end_of_record: truncated?", true],
    ["something that is not LCOV", "hello world\n", '"hello world" is not an LCOV record', true],
    ["XML sent as LCOV", "<coverage/>", "got XML", true],
  ])("refuses %s", (_name, text, error, malformed) => {
    expect(parseLcov(text)).toMatchObject({ ok: false, malformed, error: expect.stringContaining(error) });
  });
});
