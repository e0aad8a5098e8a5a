// The vocabulary of the condition language: what a condition can look at and how it compares.
import type { RE2JS } from "re2js";

export const PLACEHOLDERS = [
  "STATUS",
  "RESPONSE_TIME",
  "BODY",
  "HEADER",
  "TLS_VERSION",
  "CERT_EXPIRY_DAYS",
  "MTLS_ENFORCED",
  "CONNECTED",
  "RESULT",
  "ROWS",
  "INFO",
  "VALUE",
  "TARGET_HEALTH",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** What a probe measured, by placeholder; a placeholder the probe did not produce is absent. */
export type ConditionValues = Partial<Record<Placeholder, unknown>>;

export const OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "contains", "!contains", "matches"] as const;
export type Operator = (typeof OPERATORS)[number];

export type PathSegment = { kind: "key"; key: string } | { kind: "index"; index: number };

/** Numbers are unquoted; quoted text is always compared as text; bare words adapt (true, null, UP, TLSv1.2). */
export type Literal =
  | { kind: "number"; value: number; text: string }
  | { kind: "string"; value: string; text: string }
  | { kind: "word"; value: string; text: string };

export type Condition = {
  /** The expression as written, trimmed; failure descriptions start with it. */
  source: string;
  /** The left-hand side as written, e.g. `[BODY].status` or `len([BODY].items)`. */
  operandText: string;
  placeholder: Placeholder;
  path: PathSegment[];
  length: boolean;
  operator: Operator;
  literal: Literal;
  /** Compiled once at parse time for `matches`, with RE2 (linear time on any input; see pattern.ts). */
  pattern: RE2JS | null;
};

export type ParseResult = { ok: true; condition: Condition } | { ok: false; error: string; column: number };

export type Evaluation = { pass: boolean; actual: unknown; description: string };
