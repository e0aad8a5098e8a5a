import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./load";

const VALID = `version: 1
system:
  name: demo
components:
  - id: api
    name: API
    service: FastAPI
    probe:
      type: http
      url: http://127.0.0.1:8000/health
`;

const promqlCheck = (condition: string) =>
  `{ id: errors, name: Errors, kind: promql, prometheus: "http://prom:9090", query: up, condition: ${JSON.stringify(condition)} }`;

/** A file with one promql check, in a category or (`criteria`) as an approval criterion. */
const promql = (condition: string, where: "checks" | "criteria" = "checks") =>
  where === "checks"
    ? `${VALID}scorecard:\n  categories:\n    - id: ops\n      name: Ops\n      checks:\n        - ${promqlCheck(condition)}\n`
    : `${VALID}scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: a, name: A, kind: attestation, question: Q }] }\n` +
      `  criteria:\n    - ${promqlCheck(condition)}\n`;

const baseline = (source: string) =>
  `${VALID}baselines:\n  - id: api\n    name: API\n    source:\n${source}    targets: { p95Ms: 200 }\n`;

/** 1-based line and column of the first `needle` in `text` (after `after`, when given). */
function at(text: string, needle: string, after = ""): { line: number; column: number } {
  const index = text.indexOf(needle, after ? text.indexOf(after) : 0);
  const before = text.slice(0, index).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function errorsOf(text: string, env: Record<string, string> = {}): ConfigError {
  try {
    parseConfig(text, "/etc/preflight/preflight.config.yaml", env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("deprecated forms: accepted, rewritten, and warned about where they are written", () => {
  it.each([
    ["< 0.01", "[VALUE] < 0.01"],
    [">=2", "[VALUE] >= 2"],
    ["== -1.5", "[VALUE] == -1.5"],
    ["!= 0", "[VALUE] != 0"],
  ])("a promql condition %j becomes %j", (old, current) => {
    const text = promql(old);
    const loaded = parseConfig(text, "p.yaml", {});
    const check = loaded.config.scorecard?.categories[0]?.checks[0];
    expect(check).toMatchObject({ kind: "promql", condition: current });
    expect(loaded.warnings).toEqual([
      {
        path: "scorecard.categories[0].checks[0].condition",
        message: `${JSON.stringify(old)} is the old form: write ${JSON.stringify(current)} (the old form will stop being accepted)`,
        ...at(text, JSON.stringify(old)),
      },
    ]);
  });

  it("rewrites an approval criterion's condition too", () => {
    const loaded = parseConfig(promql("> 0", "criteria"), "p.yaml", {});
    expect(loaded.config.scorecard?.criteria[0]).toMatchObject({ condition: "[VALUE] > 0" });
    expect(loaded.warnings.map((w) => w.path)).toEqual(["scorecard.criteria[0].condition"]);
  });

  it("takes the current form without a warning, and refuses anything that is neither", () => {
    expect(parseConfig(promql("[VALUE] < 0.01"), "p.yaml", {}).warnings).toEqual([]);
    const text = promql("< 1%");
    const error = errorsOf(text);
    const { line, column } = at(text, '"< 1%"');
    expect(error.issues).toMatchObject([{ path: "scorecard.categories[0].checks[0].condition", line, column }]);
    expect(error.message).toContain(
      `preflight.config.yaml:${line}:${column} scorecard.categories[0].checks[0].condition: "< 1%", column 1: expected a condition such as [VALUE] < 0.01`,
    );
  });

  it("moves a baseline's prometheus { url, queries } to prometheus: URL with queries beside it", () => {
    const text = baseline(
      "      prometheus:\n        url: http://prom:9090\n        queries:\n          p95Ms: { query: q, scale: 1000 }\n",
    );
    const loaded = parseConfig(text, "p.yaml", {});
    expect(loaded.config.baselines[0]?.source).toEqual({
      prometheus: "http://prom:9090",
      queries: { p95Ms: { query: "q", scale: 1000 } },
    });
    // At the key that holds the old map.
    expect(loaded.warnings).toMatchObject([
      { path: "baselines[0].source.prometheus", ...at(text, "prometheus:", "baselines:") },
    ]);
    expect(loaded.warnings[0]?.message).toMatch(
      /^prometheus: \{ url, queries \} is the old form: write prometheus: <URL> and queries: .* \(the old form will stop being accepted\)$/,
    );
    const current = parseConfig(
      baseline("      prometheus: http://prom:9090\n      queries: { p95Ms: { query: q } }\n"),
      "p.yaml",
      {},
    );
    expect(current.warnings).toEqual([]);
    expect(current.config.baselines[0]?.source).toEqual({
      prometheus: "http://prom:9090",
      queries: { p95Ms: { query: "q", scale: 1 } },
    });
  });

  it("names and places an error inside the old form as it is written, not as it was rewritten", () => {
    const text = baseline(
      "      prometheus:\n        url: http://prom:0\n        queries:\n          p95Ms: { query: q, scale: -1 }\n        extra: 1\n",
    );
    const error = errorsOf(text);
    const byPath = Object.fromEntries(error.issues.map((i) => [i.path, i]));
    expect(byPath["baselines[0].source.prometheus.url"]).toMatchObject({
      message: "port 0 is outside 1-65535",
      ...at(text, "http://prom:0"),
    });
    expect(byPath["baselines[0].source.prometheus.queries.p95Ms.scale"]).toMatchObject(at(text, "-1"));
    expect(byPath["baselines[0].source.prometheus.extra"]).toMatchObject({
      message: 'unknown key "extra"',
      ...at(text, "extra"),
    });
    // The warning travels with the error, for a command that wants to show both.
    expect(error.warnings.map((w) => w.path)).toEqual(["baselines[0].source.prometheus"]);
  });

  it("leaves a mixed form alone for the schema to name", () => {
    const error = errorsOf(
      baseline("      prometheus: { url: http://prom:9090 }\n      queries: { p95Ms: { query: q } }\n"),
    );
    expect(error.warnings).toEqual([]);
    expect(error.message).toMatch(/baselines\[0\]\.source/);
  });

  it("never repeats a value from the environment in a warning or an error", () => {
    const secret = "< 0.0123456";
    const warned = parseConfig(promql("${ERROR_BUDGET}"), "p.yaml", { ERROR_BUDGET: secret });
    expect(warned.warnings[0]?.message).not.toContain("0.0123456");
    expect(warned.warnings[0]?.message).toContain("****");
    const refused = errorsOf(promql("${ERROR_BUDGET}"), { ERROR_BUDGET: "[VALUE] =< 0.0123456" });
    expect(refused.message).not.toContain("0.0123456");
    expect(refused.message).toMatch(
      /condition: "\*\*\*\*", column 9: unknown operator "=<" \(expected <, <=, >, >=, == or !=\)/,
    );
  });
});
