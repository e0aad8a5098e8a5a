import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Services say what went wrong as data (lib/services/result.ts: status, message, fieldErrors); no caller derives
// an HTTP status or a form field from the wording of a message. This scan fails on the shapes that did exactly
// that before (`/suite name/.test(result.error)`, `/already exists/.test(error.message)`), anywhere a service's
// answer is read: pages, actions and routes, the services, the HTTP helpers, auth and tokens.

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCANNED = ["app", "lib/services", "lib/http", "lib/auth", "lib/tokens", "lib/signoff", "lib/evidence"];
const MESSAGE_MATCH = [
  /\/[^/\n]+\/[gimsuy]*\.test\(\s*[\w.?]*\.(?:error|message)\s*\)/,
  /\.(?:error|message)\??\.(?:includes|startsWith|endsWith|match)\(/,
  /(?<!typeof\s+[\w.]+)\.(?:error|message)\s*===\s*["'`]/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("typed results", () => {
  it("no caller picks a status or a field by matching a message's words", () => {
    const found: string[] = [];
    for (const file of SCANNED.flatMap((dir) => sources(join(ROOT, dir)))) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (MESSAGE_MATCH.some((pattern) => pattern.test(line)))
            found.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });

  it("the scan recognises the shapes it forbids", () => {
    const samples = [
      'if (result.error === "no such user") return 404;',
      'const field = /suite name/.test(result.error) ? "suite" : "file";',
      "const status = /already exists/.test(error.message) ? 409 : 400;",
      'if (result.error.startsWith("no such")) return 404;',
    ];
    for (const sample of samples)
      expect(
        MESSAGE_MATCH.some((pattern) => pattern.test(sample)),
        sample,
      ).toBe(true);
  });
});
