import { formatIssuePath } from "./zod-issues";

// The input policy every piece of evidence passes before a parser reads it, whatever its kind (README, "What
// Preflight accepts"). Text Preflight keeps or shows may hold tab, line feed and carriage return, and no other
// control character: PostgreSQL refuses NUL outright (a 500 if it got that far), and ESC, BEL or a C1 control
// would reach a terminal or a page as a command rather than as text. A lone surrogate (JSON's "\ud800") is not a
// character at all, and PostgreSQL refuses it in JSONB. A JSON key "__proto__" is refused rather than dropped:
// JSON.parse makes it an own key that object spreads and schemas then silently lose. Numbers beyond what a double
// holds ("1e999") parse as Infinity and are refused too.

export type TScreenIssue = { path: string; message: string };

/** JSON nested deeper than this is not a report; the limit also keeps the walk's stack small. */
export const MAX_JSON_DEPTH = 64;

const ALLOWED_CONTROLS = new Set([0x09, 0x0a, 0x0d]);

const CONTROL_NAMES: Record<number, string> = {
  0x00: "NUL",
  0x07: "BEL",
  0x08: "BS",
  0x0b: "VT",
  0x0c: "FF",
  0x1b: "ESC",
  0x7f: "DEL",
};

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Why a piece of text cannot be kept, or null when it can: the first control character other than tab, line feed
 * and carriage return (C0, DEL and C1), or the first unpaired surrogate, with its 1-based character position.
 */
export function checkText(text: string): string | null {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) continue;
    if ((code < 0x20 || (code >= 0x7f && code <= 0x9f)) && !ALLOWED_CONTROLS.has(code)) {
      const name = CONTROL_NAMES[code];
      return `control character ${hex(code)}${name ? ` (${name})` : ""} at character ${i + 1} is not accepted: text may hold tab, line feed and carriage return, no other control character`;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return `unpaired surrogate ${hex(code)} at character ${i + 1} is not a character`;
    }
    if (code >= 0xdc00 && code <= 0xdfff)
      return `unpaired surrogate ${hex(code)} at character ${i + 1} is not a character`;
  }
  return null;
}

/**
 * The first part of a parsed JSON value that breaks the policy, named by its path as JavaScript writes it
 * (`metrics.http_reqs.thresholds["rate>0"]`), or null. Walks every key and value, iteratively.
 */
export function screenJson(value: unknown, prefix: readonly PropertyKey[] = []): TScreenIssue | null {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value, path: [...prefix] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: PropertyKey[] };
    if (typeof current === "string") {
      const problem = checkText(current);
      if (problem) return { path: formatIssuePath(path), message: problem };
    } else if (typeof current === "number") {
      if (!Number.isFinite(current))
        return {
          path: formatIssuePath(path),
          message: "the number is too large to be represented (it reads as infinite)",
        };
    } else if (typeof current === "object" && current !== null) {
      if (path.length - prefix.length >= MAX_JSON_DEPTH)
        return { path: formatIssuePath(path), message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
      const entries: [PropertyKey, unknown][] = Array.isArray(current)
        ? current.map((item, index) => [index, item])
        : Object.entries(current);
      for (const [key] of entries) {
        if (typeof key !== "string") continue;
        if (key === "__proto__") return { path: formatIssuePath(path), message: 'the key "__proto__" is not accepted' };
        const problem = checkText(key);
        if (problem) return { path: formatIssuePath([...path, key]), message: `in the key: ${problem}` };
      }
      // Pushed in reverse, so that values are checked in document order.
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, item] = entries[i] as [PropertyKey, unknown];
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return null;
}
