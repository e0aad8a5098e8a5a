// A hand-written recursive-descent parser for `operand op literal` (grammar in README.md). It reports the first
// problem with its 1-based column, so a configuration error can point at the exact character.
import type { RE2JS } from "re2js";
import { compilePattern } from "./pattern";
import { PLACEHOLDER_SPECS, rankTlsVersion, TARGET_HEALTH_VALUES, TLS_VERSIONS } from "./placeholders";
import {
  OPERATORS,
  PLACEHOLDERS,
  type Condition,
  type Literal,
  type Operator,
  type ParseResult,
  type PathSegment,
  type Placeholder,
} from "./types";

export type ParseOptions = {
  /** Who is asking, for the "not available" message: "http probes". */
  subject?: string;
  /** The operators this use allows (all of them when omitted): a PromQL check compares numbers only. */
  operators?: readonly Operator[];
};

const OPERATOR_LIST = "==, !=, <, <=, >, >=, contains, !contains or matches";
const NUMBER_RE = /^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const KEY_CHAR = /[A-Za-z0-9_$@:-]/;
const ORDERING: readonly Operator[] = ["<", "<=", ">", ">="];

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Parses one condition; `allowed` is what the probe type can produce (all placeholders when omitted). */
export function parseCondition(
  source: string,
  allowed: readonly Placeholder[] = PLACEHOLDERS,
  options: ParseOptions = {},
): ParseResult {
  try {
    return { ok: true, condition: new ConditionParser(source, allowed, options).parse() };
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return { ok: false, error: error.message, column: error.column };
    throw error;
  }
}

export function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

type Operand = { placeholder: Placeholder; path: PathSegment[]; length: boolean };

class ConditionParser {
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly allowed: readonly Placeholder[],
    private readonly options: ParseOptions,
  ) {}

  parse(): Condition {
    this.skipSpaces();
    if (this.atEnd()) this.fail(`empty condition; expected something like ${this.example()}`);
    const operandStart = this.pos;
    const operand = this.parseOperand();
    const operandText = this.source.slice(operandStart, this.pos);
    this.skipSpaces();
    const operatorStart = this.pos;
    const operator = this.parseOperator(operandText);
    this.skipSpaces();
    const literalStart = this.pos;
    const literal = this.parseLiteral(operator);
    this.skipSpaces();
    if (!this.atEnd()) {
      this.fail(
        `unexpected ${JSON.stringify(this.source.slice(this.pos))} after the value; quote a value that contains spaces`,
      );
    }
    const kind = operand.length ? "number" : PLACEHOLDER_SPECS[operand.placeholder].kind;
    checkOperands(kind, operandText, operator, literal, operatorStart, literalStart);
    const pattern = operator === "matches" ? compileLiteralPattern(literal, literalStart) : null;
    return { source: this.source.trim(), operandText, ...operand, operator, literal, pattern };
  }

  private parseOperand(): Operand {
    if (this.source.startsWith("len(", this.pos)) {
      this.pos += 4;
      this.skipSpaces();
      const innerStart = this.pos;
      if (this.peek() !== "[") this.fail("expected a placeholder inside len(), as in len([BODY].items)");
      const reference = this.parseReference();
      this.skipSpaces();
      if (this.peek() !== ")") this.fail("expected ) to close len(");
      this.pos++;
      if (PLACEHOLDER_SPECS[reference.placeholder].kind !== "any") {
        this.fail(`len() applies to text, lists and objects, not [${reference.placeholder}]`, innerStart);
      }
      return { ...reference, length: true };
    }
    if (this.peek() !== "[")
      this.fail(
        this.allowed.length === 1
          ? `expected a condition such as ${this.example()}`
          : "expected a placeholder such as [STATUS] or len([BODY])",
      );
    return { ...this.parseReference(), length: false };
  }

  private parseReference(): Omit<Operand, "length"> {
    const start = this.pos;
    this.pos++;
    const name = this.readWhile(/[A-Za-z0-9_]/);
    if (name === "") this.fail("expected a placeholder name after [");
    if (this.peek() !== "]") this.fail(`expected ] to close [${name}`);
    this.pos++;
    if (!isPlaceholder(name)) {
      const upper = name.toUpperCase();
      const hint = isPlaceholder(upper) ? `did you mean [${upper}]?` : `known: ${formatPlaceholders(PLACEHOLDERS)}`;
      this.fail(`unknown placeholder [${name}] (${hint})`, start);
    }
    if (!this.allowed.includes(name)) {
      const where = this.options.subject ? `for ${this.options.subject}` : "here";
      this.fail(`[${name}] is not available ${where} (available: ${formatPlaceholders(this.allowed)})`, start);
    }
    return { placeholder: name, path: this.parsePath(name) };
  }

  private parsePath(placeholder: Placeholder): PathSegment[] {
    const segments: PathSegment[] = [];
    const starts: number[] = [];
    while (!this.atEnd()) {
      const segmentStart = this.pos;
      if (this.peek() === ".") {
        this.pos++;
        const key = this.readWhile(KEY_CHAR);
        if (key === "") this.fail("expected a field name after .");
        segments.push({ kind: "key", key });
      } else if (this.peek() === "[") {
        this.pos++;
        const digits = this.readWhile(/\d/);
        if (digits === "") this.fail("expected an index such as [0]");
        if (this.peek() !== "]") this.fail("expected ] to close the index");
        this.pos++;
        segments.push({ kind: "index", index: Number(digits) });
      } else break;
      starts.push(segmentStart);
    }
    const spec = PLACEHOLDER_SPECS[placeholder];
    if (spec.path === "none" && segments.length > 0) {
      this.fail(`[${placeholder}] has no fields; use it alone, as in ${spec.example}`, starts[0]);
    }
    if (spec.path === "name") {
      if (segments.length === 0) this.fail(`[${placeholder}] needs a name, as in ${spec.example}`);
      if (segments[0]?.kind !== "key")
        this.fail(`[${placeholder}] takes a name, not an index, as in ${spec.example}`, starts[0]);
      if (segments.length > 1) this.fail(`[${placeholder}] takes exactly one name, as in ${spec.example}`, starts[1]);
    }
    return segments;
  }

  private parseOperator(operandText: string): Operator {
    const start = this.pos;
    const ch = this.peek();
    const allowed = this.options.operators ?? OPERATORS;
    const list = this.options.operators ? listOperators(allowed) : OPERATOR_LIST;
    let token = "";
    if (ch === "!" && /[A-Za-z]/.test(this.source.charAt(this.pos + 1))) {
      this.pos++;
      token = `!${this.readWhile(/[A-Za-z]/)}`;
    } else if (/[=!<>]/.test(ch)) token = this.readWhile(/[=!<>]/);
    else if (/[A-Za-z]/.test(ch)) token = this.readWhile(/[A-Za-z]/);
    else this.fail(`expected an operator after ${operandText} (${list})`);
    if (!(OPERATORS as readonly string[]).includes(token))
      this.fail(`unknown operator "${token}" (expected ${list})`, start);
    const where = this.options.subject ? `for ${this.options.subject}` : "here";
    if (!(allowed as readonly string[]).includes(token))
      this.fail(`operator "${token}" is not available ${where} (expected ${list})`, start);
    return token as Operator;
  }

  /** What a condition looks like here: the one placeholder's own example when only one is allowed. */
  private example(): string {
    const only = this.allowed.length === 1 ? this.allowed[0] : undefined;
    return only === undefined ? "[STATUS] == 200" : PLACEHOLDER_SPECS[only].example;
  }

  private parseLiteral(operator: Operator): Literal {
    if (this.atEnd()) this.fail(`expected a value after ${operator}`);
    const start = this.pos;
    const quote = this.peek();
    if (quote === '"' || quote === "'") {
      this.pos++;
      let value = "";
      while (!this.atEnd() && this.peek() !== quote) {
        // Only \<quote> and \\ are escapes, so a regular expression such as "^\d+$" needs no doubling.
        const next = this.source.charAt(this.pos + 1);
        if (this.peek() === "\\" && (next === quote || next === "\\")) this.pos++;
        value += this.peek();
        this.pos++;
      }
      if (this.atEnd()) this.fail(`unterminated string: missing closing ${quote}`, start);
      this.pos++;
      return { kind: "string", value, text: this.source.slice(start, this.pos) };
    }
    const text = this.readWhile(/[^\s'"]/);
    return NUMBER_RE.test(text) ? { kind: "number", value: Number(text), text } : { kind: "word", value: text, text };
  }

  private readWhile(pattern: RegExp): string {
    const start = this.pos;
    while (!this.atEnd() && pattern.test(this.peek())) this.pos++;
    return this.source.slice(start, this.pos);
  }

  private peek(): string {
    return this.source.charAt(this.pos);
  }

  private atEnd(): boolean {
    return this.pos >= this.source.length;
  }

  private skipSpaces(): void {
    this.readWhile(/\s/);
  }

  private fail(message: string, at: number | undefined = this.pos): never {
    throw new ConditionSyntaxError(message, (at ?? this.pos) + 1);
  }
}

/** Rejects literals that could never match the operand, at load time. */
function checkOperands(
  kind: string,
  operandText: string,
  operator: Operator,
  literal: Literal,
  operatorAt: number,
  literalAt: number,
): void {
  const fail = (message: string, at: number): never => {
    throw new ConditionSyntaxError(message, at + 1);
  };
  const ordering = ORDERING.includes(operator);
  const text = literal.kind === "string" ? literal.value : literal.text;
  if (operator === "matches") {
    if (kind === "boolean") fail(`${operandText} is true or false; compare it with == or !=`, operatorAt);
    if (literal.kind !== "string")
      fail(`matches needs a quoted regular expression, as in matches "^2\\d\\d$"`, literalAt);
    return;
  }
  if (operator === "contains" || operator === "!contains") {
    if (kind !== "any")
      fail(`${operator} applies to text and lists such as [BODY] or [HEADER].name, not ${operandText}`, operatorAt);
    return;
  }
  switch (kind) {
    case "boolean":
      if (ordering) fail(`${operandText} is true or false; compare it with == or !=`, operatorAt);
      if (literal.kind !== "word" || (text !== "true" && text !== "false"))
        fail(`expected true or false after ${operator}, got ${literal.text}`, literalAt);
      return;
    case "health":
      if (ordering) fail(`${operandText} is up, down or unknown; compare it with == or !=`, operatorAt);
      if (!(TARGET_HEALTH_VALUES as readonly string[]).includes(text.toLowerCase()))
        fail(`expected up, down or unknown after ${operator}, got ${literal.text}`, literalAt);
      return;
    case "tls":
      if (rankTlsVersion(text) < 0)
        fail(`expected a TLS version (${TLS_VERSIONS.join(", ")}) after ${operator}, got ${literal.text}`, literalAt);
      return;
    case "number":
      if (literal.kind !== "number") fail(`expected a number after ${operator}, got ${literal.text}`, literalAt);
      return;
    default:
      if (ordering && literal.kind !== "number")
        fail(`${operator} compares numbers; expected a number, got ${literal.text}`, literalAt);
  }
}

function compileLiteralPattern(literal: Literal, at: number): RE2JS {
  const compiled = compilePattern(literal.kind === "string" ? literal.value : literal.text);
  if (!compiled.ok) throw new ConditionSyntaxError(compiled.error, at + 1);
  return compiled.pattern;
}

function listOperators(list: readonly Operator[]): string {
  return list.length < 2 ? list.join("") : `${list.slice(0, -1).join(", ")} or ${list.at(-1)}`;
}

function formatPlaceholders(list: readonly Placeholder[]): string {
  return list.map((p) => `[${p}]`).join(", ");
}
