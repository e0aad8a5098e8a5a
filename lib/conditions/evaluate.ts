// Evaluates a parsed condition against what a probe measured. Pure: no I/O, no clock.
import { formatActual } from "./format";
import { PLACEHOLDER_SPECS, rankTlsVersion } from "./placeholders";
import type { Condition, ConditionValues, Evaluation, Literal } from "./types";

type Resolved = { ok: true; value: unknown } | { ok: false; reason: string };

/** "Cannot compare" is kept apart from false so that `!contains` on an object does not pass by accident. */
type Verdict = boolean | "incomparable";

export function evaluateCondition(condition: Condition, values: ConditionValues): Evaluation {
  const resolved = resolveOperand(condition, values);
  if (!resolved.ok)
    return { pass: false, actual: undefined, description: `${condition.operandText}: ${resolved.reason}` };
  const actual = resolved.value;
  const verdict = compare(condition, actual);
  return { pass: verdict === true, actual, description: `${condition.source} (got ${formatActual(actual)})` };
}

function resolveOperand(condition: Condition, values: ConditionValues): Resolved {
  const root = values[condition.placeholder];
  const spec = PLACEHOLDER_SPECS[condition.placeholder];
  let value: unknown = root;
  if (condition.path.length > 0 && root !== undefined) {
    if (spec.path === "json" && typeof root === "string") {
      return { ok: false, reason: `${condition.placeholder.toLowerCase()} is not JSON` };
    }
    value = condition.path.reduce<unknown>((current, segment) => {
      if (segment.kind === "index") return Array.isArray(current) ? current[segment.index] : undefined;
      return spec.path === "name" ? lookupName(current, segment.key) : lookupKey(current, segment.key);
    }, root);
  }
  if (!condition.length || value === undefined) return { ok: true, value };
  if (typeof value === "string" || Array.isArray(value)) return { ok: true, value: value.length };
  if (value !== null && typeof value === "object") return { ok: true, value: Object.keys(value).length };
  return { ok: false, reason: `len() needs text, a list or an object, got ${formatActual(value)}` };
}

function lookupKey(current: unknown, key: string): unknown {
  if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
  return Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
}

/** Header names are case-insensitive; INFO fields are lowercase, so both look up exactly, then lowercased. */
function lookupName(current: unknown, key: string): unknown {
  return lookupKey(current, key) ?? lookupKey(current, key.toLowerCase());
}

function compare(condition: Condition, actual: unknown): Verdict {
  const { operator, literal } = condition;
  // A value that was not produced fails every comparison except `== null`, so a renamed field reads as a failure.
  if (actual === undefined) return operator === "==" && literal.kind === "word" && literal.value === "null";
  const kind = condition.length ? "number" : PLACEHOLDER_SPECS[condition.placeholder].kind;
  switch (operator) {
    case "==":
      return isEqual(actual, literal, kind);
    case "!=":
      return negate(isEqual(actual, literal, kind));
    case "<":
      return order(actual, literal, kind, (d) => d < 0);
    case "<=":
      return order(actual, literal, kind, (d) => d <= 0);
    case ">":
      return order(actual, literal, kind, (d) => d > 0);
    case ">=":
      return order(actual, literal, kind, (d) => d >= 0);
    case "contains":
      return contains(actual, literal);
    case "!contains":
      return negate(contains(actual, literal));
    case "matches":
      if (condition.pattern === null || (actual !== null && typeof actual === "object")) return "incomparable";
      // RE2's test() is a search, like RegExp#test: unanchored unless the pattern anchors itself.
      return condition.pattern.test(String(actual));
  }
}

function negate(verdict: Verdict): Verdict {
  return verdict === "incomparable" ? verdict : !verdict;
}

function isEqual(actual: unknown, literal: Literal, kind: string): Verdict {
  if (kind === "tls")
    return rankTlsVersion(actual) >= 0 && rankTlsVersion(actual) === rankTlsVersion(literalText(literal));
  if (kind === "health")
    return typeof actual === "string" && actual.toLowerCase() === literal.value.toString().toLowerCase();
  if (literal.kind === "number") {
    const number = toNumber(actual);
    return number !== null && number === literal.value;
  }
  if (literal.kind === "word" && literal.value === "null") return actual === null;
  if (typeof actual === "string") return actual === literal.value;
  if (typeof actual === "number" || typeof actual === "boolean") return String(actual) === literal.value;
  return actual === null ? false : "incomparable";
}

function order(actual: unknown, literal: Literal, kind: string, test: (difference: number) => boolean): Verdict {
  if (kind === "tls") {
    const rank = rankTlsVersion(actual);
    return rank < 0 ? "incomparable" : test(rank - rankTlsVersion(literalText(literal)));
  }
  const number = toNumber(actual);
  if (number === null || literal.kind !== "number") return "incomparable";
  return test(number - literal.value);
}

function contains(actual: unknown, literal: Literal): Verdict {
  if (Array.isArray(actual)) return actual.some((item) => isEqual(item, literal, "any") === true);
  if (typeof actual === "string" || typeof actual === "number") return String(actual).includes(literalText(literal));
  return "incomparable";
}

function literalText(literal: Literal): string {
  return literal.kind === "string" ? literal.value : literal.text;
}

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Numbers, and numeric text such as PostgreSQL's bigint "1" or Prometheus' "0.003". */
function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isNaN(value) ? null : value;
  if (typeof value === "string" && NUMERIC_TEXT.test(value)) return Number(value);
  return null;
}
