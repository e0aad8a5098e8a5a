import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLE_ENV, positionOf, readConfigurationExample } from "../lib/testing/configuration-docs";

// `npm run config:check`, as a child process, on the complete example of docs/configuration.md and on broken
// variants of it: the exit status, and the file:line:column message a person reads.

const ROOT = join(import.meta.dirname, "..");
const SCRIPT = join(ROOT, "scripts", "config-check.ts");
const EXAMPLE = readConfigurationExample();
const DIR = mkdtempSync(join(tmpdir(), "pf-config-check-"));

type Run = { code: number | null; stdout: string; stderr: string };

function run(args: string[], env: Record<string, string> = EXAMPLE_ENV): Promise<Run> {
  // The caller's environment without anything the example or the loader reads, then exactly what the case sets.
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(clean)) {
    if (/^(PREFLIGHT_|SHOP_|SLACK_WEBHOOK_URL$|INIT_CWD$)/.test(key)) delete clean[key];
  }
  return new Promise((done) => {
    execFile(
      process.execPath,
      ["--import", "tsx", SCRIPT, ...args],
      { cwd: ROOT, env: { ...clean, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

let files = 0;
function write(text: string): string {
  const file = join(DIR, `case-${++files}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** Replaces `from` with `to` once, failing loudly when the example no longer contains `from`. */
function edit(from: string, to: string): (text: string) => string {
  return (text) => {
    if (!text.includes(from))
      throw new Error(`the example no longer contains ${JSON.stringify(from)}: update this test`);
    return text.replace(from, to);
  };
}

/** The old nested baseline source: `prometheus: { url, queries }`, its queries indented one level deeper. */
function nestBaselineSource(text: string): string {
  const start = text.indexOf("      prometheus: ${SHOP_PROMETHEUS_URL:-http://127.0.0.1:9090}   # prometheus: URL");
  const end = text.indexOf("    targets:", start);
  if (start === -1 || end === -1) throw new Error("the example's Prometheus baseline moved: update this test");
  const [first = "", ...rest] = text.slice(start, end).split("\n");
  const url = first.replace(/^\s*prometheus: (\S+).*$/, "$1");
  const nested = [
    "      prometheus:",
    `        url: ${url}`,
    ...rest.map((line) => (line === "" ? line : `  ${line}`)),
  ].join("\n");
  return text.slice(0, start) + nested + text.slice(end);
}

type Variant = {
  name: string;
  change: (text: string) => string;
  code: number;
  /** The message, after "file:line:column ". */
  message: string;
  /** Where it must point: the first occurrence of this text in the changed file (after `after`). */
  at: string;
  after?: string;
  env?: Record<string, string>;
};

const VARIANTS: Variant[] = [
  {
    name: "a condition with a wrong operator",
    change: edit('condition: "[VALUE] < 0.001"', 'condition: "[VALUE] =< 0.001"'),
    code: 1,
    message:
      'scorecard.categories[1].checks[8].condition: "[VALUE] =< 0.001", column 9: unknown operator "=<" (expected <, <=, >, >=, == or !=)',
    at: '"[VALUE] =< 0.001"',
  },
  {
    name: "an unknown key",
    change: edit("    failureThreshold: 3\n", "    failureThreshold: 3\n    retries: 5\n"),
    code: 1,
    message: 'components[1].retries: unknown key "retries"',
    at: "retries",
  },
  {
    name: "a URL with a port out of range",
    change: edit("url: redis://cache.shop.internal:6379", "url: redis://cache.shop.internal:99999"),
    code: 1,
    message: "components[4].probe.url: port 99999 is outside 1-65535",
    at: "redis://cache.shop.internal:99999",
  },
  {
    name: "a check on a component that does not exist",
    change: edit("component: checkout\n          for: 24h", "component: checkot\n          for: 24h"),
    code: 1,
    message: 'scorecard.categories[0].checks[0].component: no component with id "checkot"',
    at: "checkot",
  },
  {
    name: "a variable that is not set",
    change: (text) => text,
    env: { ...EXAMPLE_ENV, SLACK_WEBHOOK_URL: "" },
    code: 1,
    message:
      "notifications.webhooks[0].url: environment variable SLACK_WEBHOOK_URL is not set (referenced as ${SLACK_WEBHOOK_URL})",
    at: "${SLACK_WEBHOOK_URL}",
  },
  {
    name: "the old form of a condition: a warning, not an error",
    change: edit('condition: "[VALUE] < 0.001"', 'condition: "< 0.001"'),
    code: 0,
    message:
      'scorecard.categories[1].checks[8].condition: "< 0.001" is the old form: write "[VALUE] < 0.001" (the old form will stop being accepted)',
    at: '"< 0.001"',
  },
  {
    name: "the old nested Prometheus source of a baseline: a warning, not an error",
    change: nestBaselineSource,
    code: 0,
    message: "baselines[1].source.prometheus: prometheus: { url, queries } is the old form",
    at: "prometheus:",
    after: "id: checkout-traffic",
  },
];

describe("npm run config:check", () => {
  it("passes the complete example of docs/configuration.md, with a one-line summary and no secret in it", async () => {
    const result = await run([write(EXAMPLE)]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^\/.*case-\d+\.yaml: valid: 12 components, 17 checks in 3 categories, 2 criteria, 3 sign-off roles, 3 SLOs$/,
    );
  });

  it.each(VARIANTS.map((v) => [v.name, v] as const))("%s", async (_name, variant) => {
    const text = variant.change(EXAMPLE);
    const file = write(text);
    const result = await run([file], variant.env);
    expect(result.code, result.stdout + result.stderr).toBe(variant.code);
    const { line, column } = positionOf(text, variant.at, variant.after);
    const base = file.slice(file.lastIndexOf("/") + 1);
    // Errors as the server prints them; warnings after a passing summary, in the same layout.
    const heading =
      variant.code === 0
        ? `Configuration warnings in ${file} (1 warning):`
        : `preflight: Invalid configuration in ${file} (1 error):`;
    expect(result.stderr).toContain(`${heading}\n  - ${base}:${line}:${column} ${variant.message}`);
    if (variant.code === 0) expect(result.stdout).toMatch(/: valid, with 1 warning: 12 components/);
    for (const secret of Object.values(EXAMPLE_ENV)) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("fails on a deprecated form with --strict", async () => {
    const result = await run([
      "--strict",
      write(edit('condition: "[VALUE] < 0.001"', 'condition: "< 0.001"')(EXAMPLE)),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is the old form/);
  });

  it("never prints a value from the environment, even quoted back in an error", async () => {
    const secret = "[VALUE] === 0.0042-a-secret";
    const file = write(edit('condition: "[VALUE] == 0"', 'condition: "${PAYMENT_CONDITION}"')(EXAMPLE));
    const result = await run([file], { ...EXAMPLE_ENV, PAYMENT_CONDITION: secret });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /scorecard\.categories\[1\]\.checks\[9\]\.condition: "\*\*\*\*", column 9: unknown operator "==="/,
    );
    expect(result.stdout + result.stderr).not.toContain("0.0042-a-secret");
  });

  it("reads PREFLIGHT_CONFIG when no file is named", async () => {
    const result = await run([], { ...EXAMPLE_ENV, PREFLIGHT_CONFIG: write(EXAMPLE) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/case-\d+\.yaml: valid/);
  });

  it("names a file that does not exist, as the server does", async () => {
    const result = await run([join(DIR, "missing.yaml")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing.yaml cannot read configuration: file not found");
  });

  it.each([
    ["two files", ["a.yaml", "b.yaml"], /expected one file at most, got 2/],
    ["an unknown option", ["--fix"], /Unknown option '--fix'/],
  ])("answers a usage mistake (%s) with exit 2 and the usage", async (_name, args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^usage: npm run config:check/m);
  });

  it("answers --help with its usage, exit 0", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: npm run config:check \[FILE\]$/m);
  });
});
