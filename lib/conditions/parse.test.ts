import { describe, expect, it } from "vitest";
import { parseValueComparison, satisfiesComparison } from "./comparison";
import { parseCondition } from "./parse";
import { PLACEHOLDERS, type Placeholder } from "./types";

const HTTP: Placeholder[] = [
  "STATUS",
  "RESPONSE_TIME",
  "BODY",
  "HEADER",
  "TLS_VERSION",
  "CERT_EXPIRY_DAYS",
  "MTLS_ENFORCED",
  "CONNECTED",
];

function parsed(source: string, allowed: readonly Placeholder[] = PLACEHOLDERS) {
  const result = parseCondition(source, allowed);
  if (!result.ok) throw new Error(`expected ${source} to parse, got column ${result.column}: ${result.error}`);
  return result.condition;
}

describe("parseCondition: valid conditions", () => {
  it("parses placeholder, operator and number", () => {
    expect(parsed("[STATUS] == 200")).toMatchObject({
      source: "[STATUS] == 200",
      operandText: "[STATUS]",
      placeholder: "STATUS",
      path: [],
      length: false,
      operator: "==",
      literal: { kind: "number", value: 200, text: "200" },
      pattern: null,
    });
  });

  it("accepts every operator, with or without spaces", () => {
    for (const op of ["==", "!=", "<", "<=", ">", ">="]) {
      expect(parsed(`[RESPONSE_TIME]${op}300`).operator).toBe(op);
      expect(parsed(`  [RESPONSE_TIME]   ${op}   300  `).operator).toBe(op);
    }
    expect(parsed("[BODY] contains UP").operator).toBe("contains");
    expect(parsed("[BODY] !contains DOWN").operator).toBe("!contains");
    expect(parsed('[BODY] matches "^ok$"').operator).toBe("matches");
  });

  it("trims the source it keeps for descriptions", () => {
    expect(parsed("  [STATUS] == 200\t").source).toBe("[STATUS] == 200");
  });

  it("parses JSON paths with keys, dashed keys and indexes", () => {
    expect(parsed("[BODY].checks[0].status-code == 200").path).toEqual([
      { kind: "key", key: "checks" },
      { kind: "index", index: 0 },
      { kind: "key", key: "status-code" },
    ]);
    expect(parsed("[BODY][2] == x").path).toEqual([{ kind: "index", index: 2 }]);
    expect(parsed("[RESULT].ok == true").path).toEqual([{ kind: "key", key: "ok" }]);
  });

  it("parses header and INFO names", () => {
    expect(parsed("[HEADER].content-type contains json")).toMatchObject({
      placeholder: "HEADER",
      path: [{ kind: "key", key: "content-type" }],
    });
    expect(parsed("[INFO].role == master")).toMatchObject({
      placeholder: "INFO",
      path: [{ kind: "key", key: "role" }],
    });
  });

  it("parses len(...)", () => {
    const condition = parsed("len( [BODY].items ) > 0");
    expect(condition).toMatchObject({
      length: true,
      operandText: "len( [BODY].items )",
      path: [{ kind: "key", key: "items" }],
    });
  });

  it("parses numbers, quoted strings and bare words", () => {
    expect(parsed("[VALUE] < -0.5").literal).toEqual({ kind: "number", value: -0.5, text: "-0.5" });
    expect(parsed("[VALUE] < 1e-3").literal).toMatchObject({ kind: "number", value: 0.001 });
    expect(parsed("[BODY].status == 'Server available'").literal).toEqual({
      kind: "string",
      value: "Server available",
      text: "'Server available'",
    });
    expect(parsed('[BODY].s == "say \\"hi\\" \\\\ now"').literal).toMatchObject({
      kind: "string",
      value: 'say "hi" \\ now',
    });
    expect(parsed("[BODY].version == 2.4.1").literal).toEqual({ kind: "word", value: "2.4.1", text: "2.4.1" });
    expect(parsed("[BODY].status == UP").literal).toEqual({ kind: "word", value: "UP", text: "UP" });
    expect(parsed("[HEADER].content-type == application/json").literal).toMatchObject({
      kind: "word",
      value: "application/json",
    });
  });

  it("compiles a matches pattern once, with RE2, keeping backslashes that are not escapes", () => {
    const condition = parsed('[BODY] matches "^\\d+ ok$"');
    expect(condition.pattern?.pattern()).toBe("^\\d+ ok$");
    expect(condition.pattern?.test("42 ok")).toBe(true);
    expect(condition.pattern?.test("42 ok!")).toBe(false);
  });

  it("accepts the RE2 syntax people write: classes, groups, named groups, inline flags, escaped slashes", () => {
    for (const pattern of [
      "^2\\.\\d+",
      "(?i)^up$",
      "(?P<major>\\d+)\\.(?<minor>\\d+)",
      "^[a-f0-9]{40}$",
      "a\\/b",
      "\\bok\\b",
      "x{1,3}|y*?",
    ]) {
      expect(parseCondition(`[BODY] matches "${pattern}"`)).toMatchObject({ ok: true });
    }
  });

  it("accepts typed literals for typed placeholders", () => {
    expect(parsed("[TLS_VERSION] >= TLSv1.2").literal.text).toBe("TLSv1.2");
    expect(parsed("[TLS_VERSION] == 'TLSv1.3'").literal.kind).toBe("string");
    expect(parsed("[MTLS_ENFORCED] == true").literal.text).toBe("true");
    expect(parsed("[CONNECTED] != false").literal.text).toBe("false");
    expect(parsed("[TARGET_HEALTH] == up").literal.text).toBe("up");
    expect(parsed("[TARGET_HEALTH] != DOWN").literal.text).toBe("DOWN");
    expect(parsed("[STATUS] matches '^2'").operator).toBe("matches");
  });

  it("allows a placeholder that the probe type produces", () => {
    expect(parseCondition("[STATUS] == 200", HTTP).ok).toBe(true);
  });
});

/** [description, source, column, error text] */
const BAD: [string, string, number, string][] = [
  ["empty", "   ", 4, "empty condition; expected something like [STATUS] == 200"],
  ["no placeholder", "STATUS == 200", 1, "expected a placeholder such as [STATUS] or len([BODY])"],
  [
    "unknown placeholder",
    "[STATUSCODE] == 200",
    1,
    "unknown placeholder [STATUSCODE] (known: [STATUS], [RESPONSE_TIME], [BODY], [HEADER], [TLS_VERSION], [CERT_EXPIRY_DAYS], [MTLS_ENFORCED], [CONNECTED], [RESULT], [ROWS], [INFO], [VALUE], [TARGET_HEALTH])",
  ],
  ["lowercase placeholder", "  [status] == 200", 3, "unknown placeholder [status] (did you mean [STATUS]?)"],
  ["empty brackets", "[] == 1", 2, "expected a placeholder name after ["],
  ["unclosed placeholder", "[STATUS == 200", 8, "expected ] to close [STATUS"],
  [
    "missing operator",
    "[STATUS]",
    9,
    "expected an operator after [STATUS] (==, !=, <, <=, >, >=, contains, !contains or matches)",
  ],
  [
    "no operator before value",
    "[STATUS] 200",
    10,
    "expected an operator after [STATUS] (==, !=, <, <=, >, >=, contains, !contains or matches)",
  ],
  [
    "single equals",
    "[STATUS] = 200",
    10,
    'unknown operator "=" (expected ==, !=, <, <=, >, >=, contains, !contains or matches)',
  ],
  [
    "triple equals",
    "[STATUS] === 200",
    10,
    'unknown operator "===" (expected ==, !=, <, <=, >, >=, contains, !contains or matches)',
  ],
  [
    "word operator",
    "[BODY] equals UP",
    8,
    'unknown operator "equals" (expected ==, !=, <, <=, >, >=, contains, !contains or matches)',
  ],
  ["missing value", "[STATUS] ==", 12, "expected a value after =="],
  ["missing value after spaces", "[STATUS] ==   ", 15, "expected a value after =="],
  ["unterminated double quote", '[BODY].status == "UP', 18, 'unterminated string: missing closing "'],
  ["unterminated single quote", "[BODY].status == 'Server available", 18, "unterminated string: missing closing '"],
  ["escaped closing quote", '[BODY] == "a\\"', 11, 'unterminated string: missing closing "'],
  ["trailing garbage", "[STATUS] == 200 OK", 17, 'unexpected "OK" after the value; quote a value that contains spaces'],
  [
    "unquoted spaces",
    "[BODY].status == Server available",
    25,
    'unexpected "available" after the value; quote a value that contains spaces',
  ],
  ["garbage after string", "[BODY] == 'a' b", 15, 'unexpected "b" after the value; quote a value that contains spaces'],
  [
    "bad regex",
    '[BODY] matches "(unclosed"',
    16,
    "invalid regular expression (RE2 syntax): missing closing ): `(unclosed`",
  ],
  [
    "bad repeat",
    "  [BODY] matches 'a{2,1}'",
    18,
    "invalid regular expression (RE2 syntax): invalid repeat count: `{2,1}`",
  ],
  [
    "nested repeat",
    '[BODY] matches "a**"',
    16,
    "invalid regular expression (RE2 syntax): invalid nested repetition operator: `**`",
  ],
  [
    "backreference",
    '[BODY] matches "(a)\\1"',
    16,
    "invalid regular expression (RE2 syntax): invalid escape sequence: `\\1`; RE2 has no backreferences",
  ],
  [
    "named backreference",
    '[BODY] matches "(?<x>a)\\k<x>"',
    16,
    "invalid regular expression (RE2 syntax): invalid escape sequence: `\\k`; RE2 has no backreferences",
  ],
  [
    "lookahead",
    '[BODY].v matches "^(?=x)"',
    18,
    "invalid regular expression (RE2 syntax): invalid or unsupported Perl syntax: `(?=`; RE2 has no lookahead or lookbehind",
  ],
  [
    "negative lookahead",
    '[BODY] matches "^(?!down)"',
    16,
    "invalid regular expression (RE2 syntax): invalid or unsupported Perl syntax: `(?!`; RE2 has no lookahead or lookbehind",
  ],
  [
    "lookbehind",
    '[BODY] matches "(?<=v)2"',
    16,
    "invalid regular expression (RE2 syntax): invalid named capture: `(?<=v)2`; RE2 has no lookahead or lookbehind",
  ],
  ["unquoted regex", "[BODY] matches ^ok$", 16, 'matches needs a quoted regular expression, as in matches "^2\\d\\d$"'],
  [
    "path on a scalar placeholder",
    "[STATUS].code == 200",
    9,
    "[STATUS] has no fields; use it alone, as in [STATUS] == 200",
  ],
  ["empty key", "[BODY]. == 1", 8, "expected a field name after ."],
  ["non-numeric index", "[BODY][first] == 1", 8, "expected an index such as [0]"],
  ["unclosed index", "[BODY][0 == 1", 9, "expected ] to close the index"],
  ["header without a name", "[HEADER] == x", 9, "[HEADER] needs a name, as in [HEADER].content-type contains json"],
  [
    "header with two names",
    "[HEADER].a.b == x",
    11,
    "[HEADER] takes exactly one name, as in [HEADER].content-type contains json",
  ],
  ["INFO with an index", "[INFO][0] == x", 7, "[INFO] takes a name, not an index, as in [INFO].role == master"],
  ["len without closing paren", "len([BODY] > 1", 12, "expected ) to close len("],
  ["len without placeholder", "len(BODY) > 1", 5, "expected a placeholder inside len(), as in len([BODY].items)"],
  ["len of a number", "len([STATUS]) > 1", 5, "len() applies to text, lists and objects, not [STATUS]"],
  ["word for a number", "[STATUS] == OK", 13, "expected a number after ==, got OK"],
  ["quoted number for a number", '[STATUS] == "200"', 13, 'expected a number after ==, got "200"'],
  ["ordering a word", "[BODY].count > many", 16, "> compares numbers; expected a number, got many"],
  ["ordering a boolean", "[CONNECTED] < true", 13, "[CONNECTED] is true or false; compare it with == or !="],
  ["boolean with a word", "[MTLS_ENFORCED] == yes", 20, "expected true or false after ==, got yes"],
  ["boolean with a number", "[CONNECTED] == 1", 16, "expected true or false after ==, got 1"],
  ["matches on a boolean", '[CONNECTED] matches "t"', 13, "[CONNECTED] is true or false; compare it with == or !="],
  [
    "contains on a number",
    "[STATUS] contains 2",
    10,
    "contains applies to text and lists such as [BODY] or [HEADER].name, not [STATUS]",
  ],
  [
    "unknown TLS version",
    "[TLS_VERSION] >= TLSv1.4",
    18,
    "expected a TLS version (TLSv1, TLSv1.1, TLSv1.2, TLSv1.3) after >=, got TLSv1.4",
  ],
  [
    "TLS version as a number",
    "[TLS_VERSION] >= 1.2",
    18,
    "expected a TLS version (TLSv1, TLSv1.1, TLSv1.2, TLSv1.3) after >=, got 1.2",
  ],
  ["bad target health", "[TARGET_HEALTH] == green", 20, "expected up, down or unknown after ==, got green"],
  [
    "ordering target health",
    "[TARGET_HEALTH] > up",
    17,
    "[TARGET_HEALTH] is up, down or unknown; compare it with == or !=",
  ],
];

describe("parseCondition: bad input", () => {
  it.each(BAD)("%s", (_name, source, column, error) => {
    expect(parseCondition(source)).toEqual({ ok: false, error, column });
  });

  it("rejects a placeholder the probe type cannot produce, naming what it can", () => {
    expect(parseCondition("  [RESULT] == 1", HTTP, { subject: "http probes" })).toEqual({
      ok: false,
      column: 3,
      error:
        "[RESULT] is not available for http probes (available: [STATUS], [RESPONSE_TIME], [BODY], [HEADER], [TLS_VERSION], [CERT_EXPIRY_DAYS], [MTLS_ENFORCED], [CONNECTED])",
    });
    expect(parseCondition("len([INFO].x) > 1", ["STATUS"])).toEqual({
      ok: false,
      column: 5,
      error: "[INFO] is not available here (available: [STATUS])",
    });
  });
});

describe("parseValueComparison: a PromQL check's condition in the probe grammar", () => {
  it.each([
    ["[VALUE] < 0.01", "<", 0.01],
    ["[VALUE]>=2", ">=", 2],
    ["  [VALUE] != -1.5 ", "!=", -1.5],
    ["[VALUE] <= 1e-3", "<=", 0.001],
  ])("%j", (source, operator, limit) => {
    expect(parseValueComparison(source)).toMatchObject({ ok: true, operator, limit });
  });

  it.each([
    ["< 0.01", 1, "expected a condition such as [VALUE] < 0.01"],
    ["", 1, "empty condition; expected something like [VALUE] < 0.01"],
    ["[VALUE] =< 0.01", 9, 'unknown operator "=<" (expected <, <=, >, >=, == or !=)'],
    [
      "[VALUE] contains 1",
      9,
      'operator "contains" is not available for promql checks (expected <, <=, >, >=, == or !=)',
    ],
    [
      '[VALUE] matches "^1"',
      9,
      'operator "matches" is not available for promql checks (expected <, <=, >, >=, == or !=)',
    ],
    ["[VALUE] < low", 11, "expected a number after <, got low"],
    ["[STATUS] < 1", 1, "[STATUS] is not available for promql checks (available: [VALUE])"],
    ["[VALUE] < 0.01 %", 16, 'unexpected "%" after the value; quote a value that contains spaces'],
  ])("refuses %j at column %i", (source, column, error) => {
    expect(parseValueComparison(source)).toEqual({ ok: false, column, error });
  });

  it("judges a value with the probe evaluator", () => {
    const parsedComparison = parseValueComparison("[VALUE] < 0.01");
    if (!parsedComparison.ok) throw new Error(parsedComparison.error);
    expect(satisfiesComparison(parsedComparison, 0.009)).toBe(true);
    expect(satisfiesComparison(parsedComparison, 0.01)).toBe(false);
    expect(satisfiesComparison(parsedComparison, Number.NaN)).toBe(false);
  });
});
