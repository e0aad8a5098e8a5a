import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSarif, type TSarifReport } from "./sarif";

// parseSarif on the SARIF of tools that cannot run here, written after their output shapes (fixtures/README) and
// valid against the SARIF 2.1.0 schema (schema-validation.test.ts): CodeQL as github/codeql-action uploads it
// (rules in the query pack's tool extension, no level on results), Semgrep (rules carry the level, nosemgrep
// kept as an inSource suppression, baselineState from a baseline-matching step), Trivy (a level on every result).

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as unknown;

function read(name: string): TSarifReport {
  const result = parseSarif(fixture(name));
  if (!result.ok) throw new Error(result.error);
  return result.report;
}

describe("parseSarif on CodeQL", () => {
  it("reads each result's rule, file and line, and the one suppressed in source", () => {
    const report = read("sarif-codeql.sarif");
    expect(report.tools).toEqual(["CodeQL"]);
    expect(report.suppressed).toBe(1);
    expect(report.findings.map((f) => [f.ruleId, f.uri, f.line, f.suppressed])).toEqual([
      ["js/sql-injection", "src/db/users.js", 42, false],
      ["js/sql-injection", "src/db/orders.js", 17, true],
      ["js/xss-through-dom", "src/ui/render.js", 88, false],
      ["js/unused-local-variable", "src/util/date.js", 5, false],
      ["js/unused-local-variable", "src/util/date.js", 1, false],
    ]);
    expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(4);
  });

  // A result's rule.toolComponent (SARIF §3.52.7) names the tool extension whose rules ruleIndex / rule.index index;
  // CodeQL leaves tool.driver.rules empty, so reading only the driver would make every result a "warning".
  it("takes each level from the query pack's rule (tool.extensions[0]): 1 error, 1 warning, 2 notes", () => {
    const report = read("sarif-codeql.sarif");
    expect(report.counts).toEqual({ error: 1, warning: 1, note: 2, none: 0 });
  });
});

describe("parseSarif on Semgrep", () => {
  it("takes the levels from the driver's rules, keeps the nosemgrep one suppressed and leaves out the absent one", () => {
    const report = read("sarif-semgrep.sarif");
    expect(report.tools).toEqual(["Semgrep OSS"]);
    expect(report.counts).toEqual({ error: 1, warning: 1, note: 1, none: 0 });
    expect(report.suppressed).toBe(1);
    expect(report.findings.map((f) => [f.uri, f.line, f.level, f.suppressed, f.baselineState])).toEqual([
      ["app/util.py", 5, "error", false, "new"],
      ["app/jobs.py", 31, "error", true, "unchanged"],
      ["app/db.py", 40, "warning", false, "unchanged"],
      ["app/export.py", 12, "note", false, "new"],
    ]);
    expect(report.findings.some((f) => f.line === 77)).toBe(false);
  });
});

describe("parseSarif on Trivy", () => {
  it("reads the level on each result: critical and high error, medium warning, low note", () => {
    const report = read("sarif-trivy.sarif");
    expect(report.tools).toEqual(["Trivy"]);
    expect(report.counts).toEqual({ error: 3, warning: 1, note: 1, none: 0 });
    expect(report.suppressed).toBe(0);
    expect(report.findings.map((f) => [f.ruleId, f.level, f.line])).toEqual([
      ["CVE-2021-44906", "error", 2104],
      ["CVE-2022-24999", "error", 2388],
      ["CVE-2021-23337", "error", 1877],
      ["CVE-2020-28500", "warning", 1877],
      ["CVE-2017-16137", "note", 640],
    ]);
    expect(report.findings[0]).toMatchObject({
      uri: "package-lock.json",
      message: expect.stringMatching(/^Package: minimist\nInstalled Version: 1\.2\.5\n/),
    });
  });
});
