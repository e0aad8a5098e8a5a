import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfigFile, parseConfig } from "./load";
import { findInvalidUtf8 } from "./utf8";

// Input an attacker (or a broken editor) can put in the configuration file. Each must end as a ConfigError that
// names the problem and where it is: never another exception, never a stack trace, never a misleading message.

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
const withProbe = (type: string, url: string) =>
  VALID.replace("type: http", `type: ${type}`).replace("http://127.0.0.1:8000/health", url);
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((part) => (typeof part === "string" ? Buffer.from(part, "utf8") : Buffer.from(part))));

/** "Billion laughs": nine levels of nine aliases, 9^9 values once expanded. */
const ALIAS_BOMB = Array.from({ length: 9 }, (_, level) => {
  const name = String.fromCharCode(97 + level);
  const items = level === 0 ? Array(9).fill("x") : Array(9).fill(`*${String.fromCharCode(96 + level)}`);
  return `${name}: &${name} [${items.join(",")}]`;
}).join("\n");

const dir = mkdtempSync(join(tmpdir(), "pf-hostile-"));
let written = 0;
function fileWith(content: string | Uint8Array): string {
  written += 1;
  const file = join(dir, `c${written}`, "preflight.config.yaml");
  mkdirSync(join(dir, `c${written}`));
  writeFileSync(file, content);
  return file;
}

function refusal(load: () => unknown): ConfigError {
  let thrown: unknown;
  try {
    load();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, "expected the configuration to be refused").toBeDefined();
  // Not just any exception: a ConfigError, whose message is all a person sees.
  expect(thrown).toBeInstanceOf(ConfigError);
  const error = thrown as ConfigError;
  expect(error.message).not.toContain("    at ");
  return error;
}

/** [class of input, file content, message fragment, line, column] */
const HOSTILE: [string, string | Uint8Array, RegExp, number | undefined, number | undefined][] = [
  // Aliases
  ["an alias bomb", `${ALIAS_BOMB}\n`, /aliases expand too far: with \*d they add more than 10000 values/, 5, 8],
  [
    "more than 100 alias uses",
    `x: &x 1\ny: [${Array(101).fill("*x").join(", ")}]\n`,
    /more than 100 aliases in one file/,
    2,
    405,
  ],
  [
    "yaml's own alias limit",
    `a: &a [x]\nb: &b [${Array(10).fill("*a").join(",")}]\nc: [${Array(11).fill("*b").join(",")}]\n`,
    /aliases expand too far \(Excessive alias count/,
    2,
    8,
  ],
  ["an alias inside its own anchor", "a: &a [*a]\n", /alias \*a is inside its anchor &a \(a cycle\)/, 1, 8],
  ["an alias without an anchor", "a: *zz\n", /alias \*zz has no anchor &zz before it/, 1, 4],
  // Tags
  [
    "a !!js/function tag",
    VALID.replace("name: demo", 'name: !!js/function "function(){}"'),
    /tag !!js\/function is not allowed/,
    3,
    9,
  ],
  [
    "a !!python/object/apply tag",
    VALID.replace("name: demo", 'name: !!python/object/apply:os.system ["ls"]'),
    /tag !!python\/object\/apply:os.system is not allowed/,
    3,
    9,
  ],
  ["a local !foo tag", VALID.replace("name: demo", "name: !foo bar"), /tag !foo is not allowed/, 3, 9],
  ["a tag after an anchor", VALID.replace("name: demo", "name: &n !foo bar"), /tag !foo is not allowed/, 3, 12],
  [
    "a tag on a map",
    VALID.replace("system:\n", "system: !ruby/hash:Exploit\n"),
    /tag !ruby\/hash:Exploit is not allowed/,
    2,
    9,
  ],
  [
    "a YAML 1.1 tag outside the core schema",
    VALID.replace("name: demo", "name: !!binary ZGVtbw=="),
    /tag !!binary is not allowed/,
    3,
    9,
  ],
  [
    "!! redefined by a %TAG directive",
    `%TAG !! tag:example.com,2000:\n---\n${VALID.replace("name: demo", "name: !!str demo")}`,
    /tag !!str is not allowed/,
    5,
    9,
  ],
  // Encoding and characters
  [
    "a Latin-1 é",
    bytes(VALID.slice(0, VALID.indexOf("demo")), "caf", [0xe9], "\n"),
    /not valid UTF-8: byte 0xE9 at byte offset 30/,
    3,
    12,
  ],
  [
    "invalid UTF-8 after multi-byte characters",
    bytes("version: 1\n# héllo wörld ", [0xc0, 0xaf], "\n"),
    /not valid UTF-8: byte 0xC0 at byte offset 27/,
    2,
    15,
  ],
  [
    "an encoded surrogate",
    bytes(VALID, "# ", [0xed, 0xa0, 0x80], "\n"),
    /not valid UTF-8: byte 0xED at byte offset 161/,
    11,
    3,
  ],
  [
    "a sequence cut off at the end of the file",
    bytes(VALID, "# ", [0xe2, 0x82]),
    /not valid UTF-8: byte 0xE2 at byte offset 161/,
    11,
    3,
  ],
  [
    "a NUL byte",
    VALID.replace("name: demo", "name: de\0mo"),
    /control character U\+0000 \(NUL\) is not allowed/,
    3,
    11,
  ],
  ["an escape character in a comment", `${VALID}# \u001b[2J\n`, /control character U\+001B is not allowed/, 11, 3],
  [
    "a C1 control character",
    VALID.replace("name: demo", "name: de\u0085mo"),
    /control character U\+0085 is not allowed/,
    3,
    11,
  ],
  // URL-shaped fields
  [
    "port 0 in a postgres URL",
    withProbe("postgres", "postgresql://u:p@127.0.0.1:0/db"),
    /components\[0\]\.probe\.url: port 0 is outside 1-65535/,
    10,
    12,
  ],
  [
    "port 70000 in a redis URL",
    withProbe("redis", "redis://h:70000"),
    /components\[0\]\.probe\.url: port 70000 is outside 1-65535/,
    10,
    12,
  ],
  [
    "a port that is not a number",
    withProbe("redis", "redis://h:63x9"),
    /not a valid URL: the port is not a number/,
    10,
    12,
  ],
  ["a redis URL without a host", withProbe("redis", "redis://"), /not a valid URL: no host after redis:\/\//, 10, 12],
  [
    "a host the URL parser refuses",
    withProbe("http", "http://exa<mple/health"),
    /not a valid URL: the host is not a valid name or address/,
    10,
    12,
  ],
  [
    "a URL with a space in it",
    withProbe("http", "http://h /health"),
    /not a valid URL: whitespace at character 9/,
    10,
    12,
  ],
  [
    "an http URL on a redis probe",
    withProbe("redis", "http://h:6379"),
    /expected a URL starting with redis:\/\/ or rediss:\/\/ \(got http:\)/,
    10,
    12,
  ],
  [
    "port 99999 on a prometheus probe",
    withProbe("prometheus", "http://p:99999"),
    /components\[0\]\.probe\.url: port 99999 is outside 1-65535/,
    10,
    12,
  ],
  [
    "port 0 in jaeger's adminUrl",
    VALID.replace("type: http", "type: jaeger").replace("health\n", "health\n      adminUrl: http://j:0\n"),
    /adminUrl: port 0 is outside/,
    11,
    17,
  ],
  [
    "port 0 in a baseline's prometheus",
    `${VALID}baselines:\n  - { id: b, name: B, source: { prometheus: "http://p:0", queries: {} }, targets: { p95Ms: 1 } }\n`,
    /baselines\[0\]\.source\.prometheus: port 0 is outside 1-65535/,
    12,
    45,
  ],
  // The old nested form is still read (with a warning); its errors name the field as written.
  [
    "port 0 in a baseline's prometheus, old form",
    `${VALID}baselines:\n  - { id: b, name: B, source: { prometheus: { url: "http://p:0", queries: {} } }, targets: { p95Ms: 1 } }\n`,
    /baselines\[0\]\.source\.prometheus\.url: port 0 is outside 1-65535/,
    12,
    52,
  ],
  [
    "port 99999 in resources",
    `${VALID}resources:\n  prometheus: "http://p:99999"\n`,
    /resources\.prometheus: port 99999 is outside 1-65535/,
    12,
    15,
  ],
  [
    "port 65536 in a webhook",
    `${VALID}notifications:\n  webhooks:\n    - { name: ops, url: 'https://h:65536/x' }\n`,
    /notifications\.webhooks\[0\]\.url: port 65536 is outside 1-65535/,
    13,
    25,
  ],
  [
    "port 0 in a promql check",
    `${VALID}scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: q, name: Q, kind: promql, prometheus: "http://p:0", query: up, condition: "[VALUE] > 0" }] }\n`,
    /checks\[0\]\.prometheus: port 0 is outside 1-65535/,
    13,
    82,
  ],
  [
    "a javascript: URL in a promql check",
    `${VALID}scorecard:\n  categories:\n    - { id: ops, name: Ops, checks: [{ id: q, name: Q, kind: promql, prometheus: "javascript:alert(1)", query: up, condition: "[VALUE] > 0" }] }\n`,
    /expected a URL starting with http:\/\/ or https:\/\/ \(got javascript:\)/,
    13,
    82,
  ],
  // Shape of the document
  ["an empty file", "", /the file is empty/, undefined, undefined],
  ["a file of comments only", "# nothing here\n", /the file is empty/, undefined, undefined],
  [
    "a list instead of a map",
    "- version: 1\n- system: x\n",
    /expected a map \(version, system, components\) at the top level, got a list/,
    1,
    1,
  ],
  ["a single value instead of a map", "preflight\n", /at the top level, got a single value/, 1, 1],
  ["two documents in one file", `${VALID}---\n${VALID}`, /YAML syntax: Source contains multiple documents/, 11, 1],
  ["lists nested 65 deep", `a: ${"[".repeat(65)}${"]".repeat(65)}\n`, /nested more than 64 levels deep/, 1, 67],
  ["lists nested 20000 deep", `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`, /nested too deeply/, 1, undefined],
  [
    "a __proto__ key",
    VALID.replace("system:\n  name: demo\n", "system:\n  __proto__: { name: demo }\n"),
    /system\.__proto__: unknown key "__proto__"/,
    3,
    3,
  ],
];

describe("loadConfigFile and parseConfig: hostile input", () => {
  it.each(HOSTILE)("refuses %s", (_name, content, message, line, column) => {
    const error = refusal(() => loadConfigFile(fileWith(content), {}));
    const issue = error.issues.find((i) => message.test(`${i.path ? `${i.path}: ` : ""}${i.message}`));
    expect(issue, `issues were:\n${error.message}`).toBeDefined();
    expect(issue?.line).toBe(line);
    if (column !== undefined) expect(issue?.column).toBe(column);
    if (line !== undefined)
      expect(error.message).toMatch(new RegExp(`preflight\\.config\\.yaml:${line}:${column ?? "\\d+"} `));
    // Text goes through the same checks when it does not come from a file (bytes can only come from one). Only
    // the column of a stack overflow may differ: where yaml runs out of stack depends on how deep the caller was.
    if (typeof content === "string") {
      const again = refusal(() => parseConfig(content, "preflight.config.yaml", {}));
      expect(again.issues.map((i) => [i.path, i.message, i.line])).toEqual(
        error.issues.map((i) => [i.path, i.message, i.line]),
      );
      if (column !== undefined) expect(again.issues.map((i) => i.column)).toEqual(error.issues.map((i) => i.column));
    }
  });

  it.each([
    [
      "a missing file",
      () => join(dir, "nope", "preflight.yaml"),
      /nope\/preflight\.yaml.*cannot read configuration: file not found/s,
    ],
    ["a directory", () => dir, /cannot read configuration: it is a directory, not a file/],
    ["a device", () => "/dev/null", /cannot read configuration: not a regular file/],
    [
      "a file over 1 MiB",
      () => fileWith(`${VALID}#${"x".repeat(1024 * 1024)}\n`),
      /the file is larger than 1 MiB \(1048737 bytes\)/,
    ],
  ])("refuses %s", (_name, path, message) => {
    expect(refusal(() => loadConfigFile(path(), {})).message).toMatch(message);
  });

  it("refuses text over 1 MiB given to parseConfig", () => {
    expect(refusal(() => parseConfig(`${VALID}#${"é".repeat(600_000)}\n`, "x.yaml", {})).message).toMatch(
      /larger than 1 MiB/,
    );
  });

  it("still loads what is fine: core tags, a few aliases, default ports, CRLF, tabs in values, a UTF-8 BOM", () => {
    const text = `\uFEFF${withProbe("redis", "redis://:pw@[::1]/0")}defaults: &d { interval: !!str 10s }\n`.replace(
      "name: demo",
      'name: "de\tmo"',
    );
    const { config } = loadConfigFile(fileWith(text.replaceAll("\n", "\r\n")), {});
    expect(config.system.name).toBe("de\tmo");
    expect(config.components[0]?.probe).toMatchObject({ type: "redis", url: "redis://:pw@[::1]/0" });
    expect(config.defaults.interval).toBe(10_000);
    const aliased = `${VALID}maintenance:\n  - &w { name: a, weekly: { day: sunday, at: "02:00", duration: 1h } }\n  - *w\n`;
    expect(parseConfig(aliased, "x.yaml", {}).config.maintenance).toHaveLength(2);
  });
});

describe("findInvalidUtf8", () => {
  it.each([
    ["ASCII", [0x61, 0x0a], null],
    ["two, three and four byte characters", [0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], null],
    ["the largest code point, U+10FFFF", [0xf4, 0x8f, 0xbf, 0xbf], null],
    ["a lone continuation byte", [0x61, 0x80], 1],
    ["an overlong two-byte form", [0xc0, 0xaf], 0],
    ["an overlong three-byte form", [0x61, 0xe0, 0x80, 0xaf], 1],
    ["a surrogate", [0xed, 0xa0, 0x80], 0],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a byte never used in UTF-8", [0x61, 0x62, 0xff], 2],
    ["a sequence cut off", [0x61, 0xf0, 0x9f, 0x98], 1],
    ["a lead byte followed by ASCII", [0xe9, 0x74, 0xe9], 0],
  ])("%s", (_name, input, offset) => {
    expect(findInvalidUtf8(Uint8Array.from(input))).toBe(offset);
  });

  it("agrees with a strict TextDecoder on random bytes, and everything before the offset decodes", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const decodes = (input: Uint8Array) => {
      try {
        decoder.decode(input);
        return true;
      } catch {
        return false;
      }
    };
    let seed = 42;
    // A fixed-seed LCG biased towards the bytes that start and continue sequences, so most inputs are near-UTF-8.
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let round = 0; round < 5_000; round += 1) {
      const input = Uint8Array.from(
        { length: next() % 12 },
        () => [0x41, 0x80, 0xbf, 0xc3, 0xe0, 0xed, 0xf0, 0xf4, 0xa0, 0x90, next() % 256][next() % 11] ?? 0,
      );
      const offset = findInvalidUtf8(input);
      expect(offset === null, `bytes ${[...input].map((b) => b.toString(16))}`).toBe(decodes(input));
      if (offset !== null) expect(decodes(input.subarray(0, offset))).toBe(true);
    }
  });
});
