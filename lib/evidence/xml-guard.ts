import { XMLValidator } from "fast-xml-parser";
import { countUtf8Bytes, DEFAULT_MAX_BYTES, describeValue, formatBytes } from "./input";
import { truncateText } from "./xml-tree";

// Screens an uploaded XML report before any parser builds a tree from it. CI pushes whatever its step produced:
// a report, an HTML error page from a proxy, a JSON file sent to the wrong endpoint, a file cut short by a full
// disk, or a document built to hurt the parser. Entity expansion is where XML parsers get hurt (billion laughs,
// XXE reading file:///etc/passwd, external DTDs fetched over the network), so a document that declares a DOCTYPE or
// an entity is refused outright rather than parsed with expansion switched off and hoped for the best.

/** `malformed`: not a readable XML document at all (400), as against a readable one that is refused (422). */
export type TScreenResult = { ok: true; xml: string } | { ok: false; error: string; malformed: boolean };

export const DECLARATION_ERROR = "DOCTYPE and entities are not accepted";

const HTML_DOCTYPE_RE = /^<!DOCTYPE\s+html(?:\s+PUBLIC\s+"[^"]*"(?:\s+"[^"]*")?)?\s*>/i;

/**
 * A DOCTYPE that only names an external DTD (`<!DOCTYPE coverage SYSTEM "http://…/coverage-04.dtd">`, as Cobertura
 * and Istanbul write): no internal subset, so nothing to expand, and the reference is never fetched.
 */
const EXTERNAL_DOCTYPE_RE =
  /^<!DOCTYPE\s+([A-Za-z_][\w.:-]*)\s+(?:SYSTEM\s+("[^"<>[\]]*"|'[^'<>[\]]*')|PUBLIC\s+("[^"<>[\]]*"|'[^'<>[\]]*')\s+("[^"<>[\]]*"|'[^'<>[\]]*'))\s*>/;

export type TScreenOptions = {
  /** A root element whose external-only DOCTYPE is accepted (and removed before parsing): "coverage". */
  externalDoctypeFor?: string;
};

/** `what` names the expected document in messages: "JUnit XML". */
export function screenXml(
  input: unknown,
  what: string,
  maxBytes: number = DEFAULT_MAX_BYTES,
  options: TScreenOptions = {},
): TScreenResult {
  if (typeof input !== "string")
    return { ok: false, error: `expected ${what} as text, got ${describeValue(input)}`, malformed: true };
  const bytes = countUtf8Bytes(input);
  if (bytes > maxBytes) {
    return {
      ok: false,
      error: `the report is ${formatBytes(bytes)} (${bytes} bytes), over the ${formatBytes(maxBytes)} limit`,
      malformed: true,
    };
  }
  let xml = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const start = xml.trimStart();
  if (start === "") return { ok: false, error: "the report is empty", malformed: true };
  if (start.startsWith("{") || start.startsWith("["))
    return { ok: false, error: `expected ${what}, got JSON`, malformed: true };
  if (!start.startsWith("<"))
    return { ok: false, error: `expected ${what}, got text that does not start with "<"`, malformed: true };

  let declaration = findDeclaration(xml);
  if (declaration >= 0 && options.externalDoctypeFor !== undefined) {
    const external = EXTERNAL_DOCTYPE_RE.exec(xml.slice(declaration, declaration + 1024));
    if (external && external[1] === options.externalDoctypeFor) {
      // Blanked, not cut: line and column numbers in later messages still match the file.
      xml = `${xml.slice(0, declaration)}${external[0].replace(/[^\n]/g, " ")}${xml.slice(declaration + external[0].length)}`;
      declaration = findDeclaration(xml);
    }
  }
  if (declaration >= 0) {
    // An HTML doctype without an internal subset is an error page, not an attack: say so, since that is what the
    // sender needs to hear. Either way nothing is fetched.
    if (HTML_DOCTYPE_RE.test(xml.slice(declaration, declaration + 512))) {
      return { ok: false, error: `expected ${what}, got an HTML page`, malformed: true };
    }
    return { ok: false, error: DECLARATION_ERROR, malformed: false };
  }
  if (readRootName(xml)?.toLowerCase() === "html")
    return { ok: false, error: `expected ${what}, got an HTML page`, malformed: true };

  const validation = XMLValidator.validate(xml);
  if (validation !== true) return { ok: false, error: describeXmlError(validation.err, xml), malformed: true };
  // The validator and the parser both let text after the root element through; the parser then drops it.
  if (!xml.trimEnd().endsWith(">"))
    return {
      ok: false,
      error: `malformed XML at line ${countLines(xml.trimEnd())}: text after the root element`,
      malformed: true,
    };
  return { ok: true, xml };
}

/**
 * Index of the first `<!DOCTYPE` or `<!ENTITY` that is markup, or -1. The same words inside a comment or a CDATA
 * section are text (a failure message quoting an HTML page), so those are skipped; an unterminated comment or CDATA
 * section is not skipped, so nothing can hide behind one.
 */
export function findDeclaration(xml: string): number {
  // Once a terminator is known to be absent after some point it is absent after every later one: remembering
  // that keeps a document of a million unterminated "<!--" linear instead of quadratic.
  const lastEnd = { "-->": Number.POSITIVE_INFINITY, "]]>": Number.POSITIVE_INFINITY };
  const findEnd = (terminator: "-->" | "]]>", from: number): number => {
    if (from >= lastEnd[terminator]) return -1;
    const end = xml.indexOf(terminator, from);
    if (end < 0) lastEnd[terminator] = from;
    return end;
  };
  let from = 0;
  for (;;) {
    const at = xml.indexOf("<!", from);
    if (at < 0) return -1;
    const end = xml.startsWith("<!--", at)
      ? findEnd("-->", at + 4)
      : xml.startsWith("<![CDATA[", at)
        ? findEnd("]]>", at + 9)
        : -1;
    if (end >= 0) {
      from = end + 3;
      continue;
    }
    const word = xml.slice(at + 2, at + 9).toUpperCase();
    if (word.startsWith("DOCTYPE") || word.startsWith("ENTITY")) return at;
    from = at + 2;
  }
}

/** The root element's name, skipping the prolog by hand: a regular expression over a hostile prolog can backtrack for minutes. */
export function readRootName(xml: string): string | null {
  let at = 0;
  while (at < xml.length) {
    while (at < xml.length && /\s/.test(xml.charAt(at))) at += 1;
    const close = xml.startsWith("<?", at)
      ? xml.indexOf("?>", at + 2)
      : xml.startsWith("<!--", at)
        ? xml.indexOf("-->", at + 4)
        : null;
    if (close === null) break;
    if (close < 0) return null;
    at = close + (xml.startsWith("<?", at) ? 2 : 3);
  }
  return /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(at, at + 256))?.[1] ?? null;
}

type TValidationError = { code: string; msg: string; line?: number; col?: number };

const REASON_MAX = 200;

function describeXmlError(err: TValidationError, xml: string): string {
  // The validator reports elements still open at the end as "Invalid '[ "a", "b" ]' found." at line 1: that is a
  // truncated document, and the useful line is the last one.
  const unclosed = /^Invalid '(\[[\s\S]*\])' found\.$/.exec(err.msg)?.[1];
  if (err.code === "InvalidXml" && unclosed !== undefined) {
    const open = parseNameList(unclosed);
    if (open.length > 0) {
      const names = open.map((name) => `<${truncateText(name, 64)}>`).join(", ");
      return `malformed XML at line ${countLines(xml)}: the document ends while ${names} ${open.length === 1 ? "is" : "are"} still open (truncated?)`;
    }
  }
  const where =
    err.line === undefined
      ? ""
      : err.col === undefined
        ? ` at line ${err.line}`
        : ` at line ${err.line}, column ${err.col}`;
  // The reason can quote the offending markup, which a hostile document makes megabytes long.
  const reason = err.msg.length > REASON_MAX ? `${truncateText(err.msg, REASON_MAX)}…` : err.msg;
  return `malformed XML${where}: ${reason}`;
}

function parseNameList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

function countLines(text: string): number {
  let lines = 1;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lines += 1;
  return lines;
}
