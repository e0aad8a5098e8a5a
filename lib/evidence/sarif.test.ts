import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSarif } from "./sarif";

// SARIF 2.1.0 as a real tool wrote it here (ESLint 9 with @microsoft/eslint-formatter-sarif 3.1, fixtures/README),
// and the rules of SARIF itself for level, suppressions and baseline state, on logs written after the standard.

const eslint = JSON.parse(readFileSync(new URL("./fixtures/sarif-eslint.sarif", import.meta.url), "utf8")) as unknown;

const log = (results: unknown[], rules: unknown[] = []) => ({
  version: "2.1.0",
  runs: [{ tool: { driver: { name: "Semgrep", rules } }, results }],
});
const at = { locations: [{ physicalLocation: { artifactLocation: { uri: "src/a.ts" }, region: { startLine: 7 } } }] };

describe("parseSarif", () => {
  it("reads ESLint's real SARIF: three results counted, the one disabled in source suppressed", () => {
    const result = parseSarif(eslint);
    if (!result.ok) throw new Error(result.error);
    expect(result.report.tools).toEqual(["ESLint"]);
    expect(result.report.counts).toEqual({ error: 2, warning: 1, note: 0, none: 0 });
    expect(result.report.suppressed).toBe(1);
    expect(result.report.findings.find((f) => f.ruleId === "no-var")).toMatchObject({
      level: "error",
      line: 3,
      suppressed: false,
      uri: expect.stringMatching(/sarif-sample-tmp\.ts$/),
    });
  });

  it("takes the level from the result, else none for a kind other than fail, else the rule's default, else warning", () => {
    const rules = [{ id: "sqli", defaultConfiguration: { level: "error" } }, { id: "style" }];
    const result = parseSarif(
      log(
        [
          { ruleId: "sqli", message: { text: "a" }, ...at },
          { ruleIndex: 1, message: { text: "b" }, ...at },
          { ruleId: "sqli", level: "note", message: { text: "c" } },
          { ruleId: "sqli", kind: "pass", message: { text: "d" } },
          { rule: { index: 0 }, message: { text: "e" } },
        ],
        rules,
      ),
    );
    expect(result.ok && result.report.findings.map((f) => [f.ruleId, f.level])).toEqual([
      ["sqli", "error"],
      ["style", "warning"],
      ["sqli", "note"],
      ["sqli", "none"],
      ["sqli", "error"],
    ]);
  });

  it("honours suppressions as SARIF defines them: absent or accepted status suppresses, underReview and rejected do not", () => {
    const s = (status?: string) => ({
      level: "error",
      message: { text: "x" },
      suppressions: [{ kind: "external", ...(status ? { status } : {}) }],
    });
    const result = parseSarif(
      log([
        s(),
        s("accepted"),
        s("underReview"),
        s("rejected"),
        { level: "error", message: { text: "y" }, suppressions: [] },
      ]),
    );
    expect(result.ok && { counts: result.report.counts, suppressed: result.report.suppressed }).toEqual({
      counts: { error: 3, warning: 0, note: 0, none: 0 },
      suppressed: 2,
    });
  });

  it("leaves out results whose baselineState is absent (fixed since the baseline), keeps new, unchanged and updated", () => {
    const r = (baselineState: string) => ({ level: "warning", message: { text: baselineState }, baselineState });
    const result = parseSarif(log([r("new"), r("unchanged"), r("updated"), r("absent")]));
    expect(result.ok && result.report.counts.warning).toBe(3);
  });

  it.each([
    ["another version", { version: "2.0.0", runs: [] }, 'version: expected SARIF version "2.1.0"'],
    ["no runs", { version: "2.1.0" }, "runs:"],
    [
      "an unknown level",
      log([{ level: "critical", message: { text: "x" } }]),
      'runs[0].results[0].level: expected "error", "warning", "note" or "none"',
    ],
    [
      "a line 0",
      log([
        { level: "error", message: { text: "x" }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] },
      ]),
      "startLine: Too small",
    ],
    [
      "a tool without a name",
      { version: "2.1.0", runs: [{ tool: { driver: {} }, results: [] }] },
      "runs[0].tool.driver.name",
    ],
    ["an array", [], "expected a SARIF log object, got an array"],
  ])("refuses %s, naming the field", (_name, input, error) => {
    expect(parseSarif(input)).toMatchObject({ ok: false, error: expect.stringContaining(error) });
  });
});
