import { describe, expect, it } from "vitest";
import { evaluateCondition } from "./evaluate";
import { formatActual } from "./format";
import { parseCondition } from "./parse";
import type { ConditionValues } from "./types";

function check(source: string, values: ConditionValues) {
  const parsed = parseCondition(source);
  if (!parsed.ok) throw new Error(`${source}: column ${parsed.column}: ${parsed.error}`);
  return evaluateCondition(parsed.condition, values);
}

const passes = (source: string, values: ConditionValues) => check(source, values).pass;

describe("evaluateCondition: descriptions", () => {
  it("describes a failed comparison with what was measured", () => {
    expect(check("[STATUS] == 200", { STATUS: 503 })).toEqual({
      pass: false,
      actual: 503,
      description: "[STATUS] == 200 (got 503)",
    });
    expect(check("[BODY].status == UP", { BODY: { status: "DOWN" } })).toEqual({
      pass: false,
      actual: "DOWN",
      description: '[BODY].status == UP (got "DOWN")',
    });
  });

  it("describes a passed comparison the same way", () => {
    expect(check("[RESPONSE_TIME] < 300", { RESPONSE_TIME: 12.3456 })).toEqual({
      pass: true,
      actual: 12.3456,
      description: "[RESPONSE_TIME] < 300 (got 12.3)",
    });
  });

  it("says when a JSON path meets a body that is not JSON", () => {
    expect(check("[BODY].status == UP", { BODY: "<html>502 Bad Gateway</html>" })).toEqual({
      pass: false,
      actual: undefined,
      description: "[BODY].status: body is not JSON",
    });
    expect(check("[RESULT].ok == true", { RESULT: "plain" }).description).toBe("[RESULT].ok: result is not JSON");
  });

  it("reports a value that was not produced as nothing", () => {
    expect(check("[TLS_VERSION] >= TLSv1.2", {})).toMatchObject({
      pass: false,
      description: "[TLS_VERSION] >= TLSv1.2 (got nothing)",
    });
    expect(check("[BODY].missing == x", { BODY: { other: 1 } }).description).toBe("[BODY].missing == x (got nothing)");
  });

  it("keeps the source as written, trimmed", () => {
    expect(check("  [STATUS]==200  ", { STATUS: 200 }).description).toBe("[STATUS]==200 (got 200)");
  });
});

describe("evaluateCondition: equality", () => {
  it("compares numbers, and numeric text as numbers", () => {
    expect(passes("[STATUS] == 200", { STATUS: 200 })).toBe(true);
    expect(passes("[STATUS] != 200", { STATUS: 200 })).toBe(false);
    expect(passes("[RESULT] == 1", { RESULT: "1" })).toBe(true);
    expect(passes("[RESULT] == 1", { RESULT: " 1.0 " })).toBe(true);
    expect(passes("[RESULT] == 1", { RESULT: "one" })).toBe(false);
    expect(passes("[RESULT] == 1", { RESULT: true })).toBe(false);
    expect(passes("[VALUE] == 0.003", { VALUE: 0.003 })).toBe(true);
  });

  it("compares bare words and quoted text as text, case-sensitively", () => {
    expect(passes("[BODY].status == UP", { BODY: { status: "UP" } })).toBe(true);
    expect(passes("[BODY].status == UP", { BODY: { status: "up" } })).toBe(false);
    expect(passes("[BODY].status == 'Server available'", { BODY: { status: "Server available" } })).toBe(true);
    expect(passes("[BODY].version == 2.4.1", { BODY: { version: "2.4.1" } })).toBe(true);
    expect(passes("[BODY].code == '200'", { BODY: { code: 200 } })).toBe(true);
  });

  it("matches true, false and null against JSON values", () => {
    expect(passes("[BODY].ok == true", { BODY: { ok: true } })).toBe(true);
    expect(passes("[BODY].ok == true", { BODY: { ok: "true" } })).toBe(true);
    expect(passes("[BODY].ok == false", { BODY: { ok: true } })).toBe(false);
    expect(passes("[BODY].error == null", { BODY: { error: null } })).toBe(true);
    expect(passes("[BODY].error == null", { BODY: { error: "boom" } })).toBe(false);
    expect(passes("[BODY].error != null", { BODY: { error: "boom" } })).toBe(true);
    expect(passes("[MTLS_ENFORCED] == true", { MTLS_ENFORCED: true })).toBe(true);
    expect(passes("[CONNECTED] != false", { CONNECTED: false })).toBe(false);
  });

  it("fails every comparison on a missing value except == null", () => {
    expect(passes("[BODY].error == null", { BODY: {} })).toBe(true);
    expect(passes("[BODY].error != null", { BODY: {} })).toBe(false);
    expect(passes("[BODY].status != DOWN", { BODY: {} })).toBe(false);
    expect(passes("[BODY].status !contains DOWN", { BODY: {} })).toBe(false);
    expect(passes("[STATUS] != 200", {})).toBe(false);
  });

  it("never equates an object with a word, nor its negation", () => {
    expect(passes("[BODY] == ok", { BODY: { status: "ok" } })).toBe(false);
    expect(passes("[BODY] != ok", { BODY: { status: "ok" } })).toBe(false);
  });

  it("compares target health case-insensitively", () => {
    expect(passes("[TARGET_HEALTH] == up", { TARGET_HEALTH: "up" })).toBe(true);
    expect(passes("[TARGET_HEALTH] == UP", { TARGET_HEALTH: "up" })).toBe(true);
    expect(passes("[TARGET_HEALTH] != down", { TARGET_HEALTH: "unknown" })).toBe(true);
    expect(check("[TARGET_HEALTH] == up", { TARGET_HEALTH: "down" }).description).toBe(
      '[TARGET_HEALTH] == up (got "down")',
    );
  });
});

describe("evaluateCondition: ordering", () => {
  it("orders numbers and numeric text", () => {
    expect(passes("[RESPONSE_TIME] < 300", { RESPONSE_TIME: 299.9 })).toBe(true);
    expect(passes("[RESPONSE_TIME] < 300", { RESPONSE_TIME: 300 })).toBe(false);
    expect(passes("[RESPONSE_TIME] <= 300", { RESPONSE_TIME: 300 })).toBe(true);
    expect(passes("[CERT_EXPIRY_DAYS] > 14", { CERT_EXPIRY_DAYS: 9.5 })).toBe(false);
    expect(passes("[CERT_EXPIRY_DAYS] >= 9.5", { CERT_EXPIRY_DAYS: 9.5 })).toBe(true);
    expect(passes("[INFO].connected_clients > 0", { INFO: { connected_clients: "3" } })).toBe(true);
    expect(passes("[VALUE] < 0", { VALUE: -1e-9 })).toBe(true);
  });

  it("fails when the value is not a number, both ways", () => {
    expect(check("[BODY].count > 1", { BODY: { count: "many" } })).toMatchObject({
      pass: false,
      description: '[BODY].count > 1 (got "many")',
    });
    expect(passes("[BODY].count <= 1", { BODY: { count: "many" } })).toBe(false);
    expect(passes("[VALUE] < 1", { VALUE: Number.NaN })).toBe(false);
    expect(passes("[VALUE] > 1", { VALUE: Number.NaN })).toBe(false);
  });

  it("orders TLS versions by protocol age, not as text", () => {
    expect(passes("[TLS_VERSION] >= TLSv1.2", { TLS_VERSION: "TLSv1.3" })).toBe(true);
    expect(passes("[TLS_VERSION] >= TLSv1.2", { TLS_VERSION: "TLSv1.2" })).toBe(true);
    expect(passes("[TLS_VERSION] >= TLSv1.2", { TLS_VERSION: "TLSv1.1" })).toBe(false);
    expect(passes("[TLS_VERSION] > TLSv1", { TLS_VERSION: "TLSv1.1" })).toBe(true);
    expect(passes("[TLS_VERSION] < TLSv1.1", { TLS_VERSION: "TLSv1" })).toBe(true);
    expect(passes("[TLS_VERSION] == TLSv1.3", { TLS_VERSION: "TLSv1.3" })).toBe(true);
    expect(passes("[TLS_VERSION] != TLSv1.3", { TLS_VERSION: "TLSv1.2" })).toBe(true);
    expect(passes("[TLS_VERSION] >= TLSv1", { TLS_VERSION: "SSLv3" })).toBe(false);
    expect(passes("[TLS_VERSION] != TLSv1", { TLS_VERSION: "unknown" })).toBe(true);
  });
});

describe("evaluateCondition: contains, matches, len", () => {
  it("finds text in text and items in lists", () => {
    expect(
      passes("[HEADER].content-type contains json", { HEADER: { "content-type": "application/json; charset=utf-8" } }),
    ).toBe(true);
    expect(passes("[BODY] contains Healthy", { BODY: "Prometheus Server is Healthy.\n" })).toBe(true);
    expect(passes("[BODY] !contains error", { BODY: "all good" })).toBe(true);
    expect(passes("[BODY].roles contains admin", { BODY: { roles: ["user", "admin"] } })).toBe(true);
    expect(passes("[BODY].ids contains 3", { BODY: { ids: [1, 2, 3] } })).toBe(true);
    expect(passes("[BODY].ids !contains 4", { BODY: { ids: [1, 2, 3] } })).toBe(true);
  });

  it("does not pass !contains on something that cannot contain", () => {
    expect(passes("[BODY] !contains x", { BODY: { a: 1 } })).toBe(false);
    expect(passes("[BODY].n !contains x", { BODY: { n: null } })).toBe(false);
  });

  it("tests regular expressions against text and numbers", () => {
    expect(passes('[BODY].version matches "^2\\.\\d+"', { BODY: { version: "2.54.1" } })).toBe(true);
    expect(passes('[STATUS] matches "^2"', { STATUS: 204 })).toBe(true);
    expect(passes('[STATUS] matches "^2"', { STATUS: 503 })).toBe(false);
    expect(passes("[BODY] matches '.*'", { BODY: { a: 1 } })).toBe(false);
  });

  it("searches unless the pattern anchors itself, as before", () => {
    expect(passes('[BODY] matches "Healthy"', { BODY: "Prometheus Server is Healthy.\n" })).toBe(true);
    expect(passes('[BODY] matches "^Healthy"', { BODY: "Prometheus Server is Healthy.\n" })).toBe(false);
    expect(passes('[BODY] matches "Healthy\\.$"', { BODY: "Healthy.\n" })).toBe(false);
    expect(passes('[BODY] matches "(?m)Healthy\\.$"', { BODY: "Healthy.\n" })).toBe(true);
    expect(passes('[BODY].version matches "^v?(\\d+)\\.(\\d+)"', { BODY: { version: "v12.4" } })).toBe(true);
    expect(passes('[HEADER].server matches "(?i)^nginx"', { HEADER: { server: "NGINX/1.27" } })).toBe(true);
  });

  it("matches in linear time: a pathological pattern on a hostile body answers at once", () => {
    const parsed = parseCondition('[BODY] matches "^(a+)+$"');
    if (!parsed.ok) throw new Error(parsed.error);
    for (const body of ["aaaaaaaaaaaaaaaaaaaaaaaaa!", `${"a".repeat(10_000)}!`, `${"a".repeat(65_536)}!`]) {
      const started = performance.now();
      const evaluation = evaluateCondition(parsed.condition, { BODY: body });
      const elapsed = performance.now() - started;
      expect(evaluation.pass).toBe(false);
      expect(elapsed).toBeLessThan(50);
    }
    expect(evaluateCondition(parsed.condition, { BODY: "a".repeat(10_000) }).pass).toBe(true);
  });

  it("looks headers up case-insensitively", () => {
    expect(passes("[HEADER].Content-Type contains json", { HEADER: { "content-type": "application/json" } })).toBe(
      true,
    );
    expect(check("[HEADER].x-missing == a", { HEADER: {} }).description).toBe("[HEADER].x-missing == a (got nothing)");
  });

  it("measures text, lists and objects with len()", () => {
    expect(check("len([BODY].items) > 0", { BODY: { items: [] } })).toEqual({
      pass: false,
      actual: 0,
      description: "len([BODY].items) > 0 (got 0)",
    });
    expect(passes("len([BODY].items) == 2", { BODY: { items: [1, 2] } })).toBe(true);
    expect(passes("len([BODY]) < 10", { BODY: "short" })).toBe(true);
    expect(passes("len([BODY].checks) == 2", { BODY: { checks: { a: 1, b: 2 } } })).toBe(true);
    expect(check("len([BODY].n) > 0", { BODY: { n: 5 } }).description).toBe(
      "len([BODY].n): len() needs text, a list or an object, got 5",
    );
    expect(passes("len([BODY].missing) > 0", { BODY: {} })).toBe(false);
  });

  it("walks indexes and ignores a key on a list or an index on an object", () => {
    expect(passes("[BODY].checks[1].status == ok", { BODY: { checks: [{ status: "bad" }, { status: "ok" }] } })).toBe(
      true,
    );
    expect(passes("[BODY][0] == a", { BODY: ["a"] })).toBe(true);
    expect(passes("[BODY].a[0] == x", { BODY: { a: { 0: "x" } } })).toBe(false);
    expect(passes("[BODY].length == 1", { BODY: ["a"] })).toBe(false);
    expect(passes("[BODY].constructor == null", { BODY: {} })).toBe(true);
  });
});

describe("formatActual", () => {
  it("quotes text, rounds numbers and cuts long values", () => {
    expect(formatActual("DOWN")).toBe('"DOWN"');
    expect(formatActual(503)).toBe("503");
    expect(formatActual(9.998263888)).toBe("10"); // one formatter (lib/format.ts) for conditions and pages
    expect(formatActual(87.4321)).toBe("87.4");
    expect(formatActual(0.0031234)).toBe("0.00312");
    expect(formatActual(null)).toBe("null");
    expect(formatActual(undefined)).toBe("nothing");
    expect(formatActual({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatActual("x".repeat(200))).toHaveLength(80);
  });
});
