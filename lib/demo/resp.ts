// RESP2 framing: requests arrive as arrays of bulk strings (what client libraries send) or as inline commands
// (what `redis-cli`-less humans send over telnet/nc), replies go out as RESP2 values.

export type RespParse =
  | { readonly kind: "command"; readonly args: readonly string[]; readonly consumed: number }
  | { readonly kind: "incomplete" }
  | { readonly kind: "error"; readonly message: string };

// Far below Redis' own limits; a demo has no use for large values and this bounds memory per connection.
const MAX_BULK_BYTES = 1024 * 1024;
const MAX_ARGS = 1024;
const MAX_INLINE_BYTES = 64 * 1024;

export function parseRespCommand(buffer: Buffer): RespParse {
  if (buffer.length === 0) return { kind: "incomplete" };
  return buffer[0] === 0x2a /* '*' */ ? parseArray(buffer) : parseInline(buffer);
}

function readLine(buffer: Buffer, start: number): { line: string; next: number } | null {
  const end = buffer.indexOf("\r\n", start);
  return end === -1 ? null : { line: buffer.toString("utf8", start, end), next: end + 2 };
}

function parseArray(buffer: Buffer): RespParse {
  const header = readLine(buffer, 1);
  if (header === null) return { kind: "incomplete" };
  const count = Number(header.line);
  if (!Number.isInteger(count) || count > MAX_ARGS)
    return { kind: "error", message: "Protocol error: invalid multibulk length" };
  const args: string[] = [];
  let offset = header.next;
  for (let i = 0; i < count; i++) {
    if (offset >= buffer.length) return { kind: "incomplete" };
    if (buffer[offset] !== 0x24 /* '$' */) {
      return {
        kind: "error",
        message: `Protocol error: expected '$', got '${String.fromCharCode(buffer[offset] ?? 0)}'`,
      };
    }
    const lengthLine = readLine(buffer, offset + 1);
    if (lengthLine === null) return { kind: "incomplete" };
    const length = Number(lengthLine.line);
    if (!Number.isInteger(length) || length < 0 || length > MAX_BULK_BYTES) {
      return { kind: "error", message: "Protocol error: invalid bulk length" };
    }
    const end = lengthLine.next + length;
    if (buffer.length < end + 2) return { kind: "incomplete" };
    args.push(buffer.toString("utf8", lengthLine.next, end));
    offset = end + 2;
  }
  return { kind: "command", args, consumed: offset };
}

function parseInline(buffer: Buffer): RespParse {
  const end = buffer.indexOf("\n");
  if (end === -1) {
    return buffer.length > MAX_INLINE_BYTES
      ? { kind: "error", message: "Protocol error: too big inline request" }
      : { kind: "incomplete" };
  }
  const line = buffer.toString("utf8", 0, end).replace(/\r$/, "");
  const args = splitInlineArgs(line);
  if (args === null) return { kind: "error", message: "Protocol error: unbalanced quotes in request" };
  return { kind: "command", args, consumed: end + 1 };
}

/** Like redis' sdssplitargs: whitespace-separated, with "double" and 'single' quoted arguments. */
function splitInlineArgs(line: string): string[] | null {
  const args: string[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+))/y;
  const rest = line.trimEnd();
  while (pattern.lastIndex < rest.length) {
    const match = pattern.exec(rest);
    if (match === null) return null;
    const [, doubleQuoted, singleQuoted, bare] = match;
    args.push(doubleQuoted !== undefined ? doubleQuoted.replace(/\\(.)/g, "$1") : (singleQuoted ?? bare ?? ""));
  }
  return args;
}

export const encodeSimple = (value: string): string => `+${value}\r\n`;
export const encodeError = (message: string): string => `-${message}\r\n`;
export const encodeInteger = (value: number): string => `:${Math.trunc(value)}\r\n`;
export const encodeBulk = (value: string | null): string =>
  value === null ? "$-1\r\n" : `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
/** Items must already be encoded, so arrays can nest any reply type. */
export const encodeArray = (items: readonly string[]): string => `*${items.length}\r\n${items.join("")}`;
