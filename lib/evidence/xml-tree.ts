// A small element tree built from fast-xml-parser's ordered output, so that the JUnit reader sees test cases in
// document order (node's runner mixes top-level tests with suites) and text and CDATA in the order written.
//
// Entity processing is off in the parser, which leaves every reference as written ("&lt;", "&#10;"); the five
// predefined entities and character references are decoded here in one pass, so a decoded "&" never starts another
// reference. DOCTYPE is refused before parsing, so there are no other entities to know about; unknown references
// stay as written.

export type TXmlElement = {
  tag: string;
  attributes: ReadonlyMap<string, string>;
  children: TXmlElement[];
  /** Character data (decoded) and CDATA sections (as they are) of this element, in order, children excluded. */
  text: string;
};

const REFERENCE_RE = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g;
const NAMED: ReadonlyMap<string, string> = new Map([
  ["lt", "<"],
  ["gt", ">"],
  ["amp", "&"],
  ["quot", '"'],
  ["apos", "'"],
]);
const ATTRIBUTES_KEY = ":@";

export function decodeXmlReferences(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(REFERENCE_RE, (whole, ref: string) => {
    const named = NAMED.get(ref);
    if (named !== undefined) return named;
    const code = ref.startsWith("#x") ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    // Out of Unicode's range: no character at all, kept as written. NUL and surrogates are decoded, although XML
    // allows neither, so that the input policy (screen.ts) refuses them wherever Preflight reads text.
    if (code > 0x10ffff) return whole;
    return code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
  });
}

/** Elements of one level of fast-xml-parser's `preserveOrder` output; text between them goes to `onText`. */
export function buildElements(ordered: unknown, onText: (text: string) => void = () => {}): TXmlElement[] {
  const elements: TXmlElement[] = [];
  for (const entry of Array.isArray(ordered) ? ordered : []) {
    if (typeof entry !== "object" || entry === null) continue;
    for (const [key, value] of Object.entries(entry)) {
      if (key === ATTRIBUTES_KEY) continue;
      if (key === "#text") onText(typeof value === "string" ? decodeXmlReferences(value) : "");
      else if (key === "#cdata") onText(readCdata(value));
      else elements.push(buildElement(key, value, (entry as Record<string, unknown>)[ATTRIBUTES_KEY]));
    }
  }
  return elements;
}

function buildElement(tag: string, content: unknown, rawAttributes: unknown): TXmlElement {
  let text = "";
  const children = buildElements(content, (part) => {
    text += part;
  });
  const attributes = new Map<string, string>();
  if (typeof rawAttributes === "object" && rawAttributes !== null) {
    for (const [name, value] of Object.entries(rawAttributes)) {
      if (typeof value === "string") attributes.set(name, decodeXmlReferences(value));
    }
  }
  return { tag, attributes, children, text };
}

function readCdata(value: unknown): string {
  if (!Array.isArray(value)) return "";
  return value
    .map((part: unknown) =>
      typeof part === "object" && part !== null && "#text" in part && typeof part["#text"] === "string"
        ? part["#text"]
        : "",
    )
    .join("");
}

export function listChildren(element: TXmlElement, tag: string): TXmlElement[] {
  return element.children.filter((child) => child.tag === tag);
}

export function findChild(element: TXmlElement, tag: string): TXmlElement | null {
  return element.children.find((child) => child.tag === tag) ?? null;
}

/** The attribute's decoded value, or null when absent. */
export function readAttribute(element: TXmlElement, name: string): string | null {
  return element.attributes.get(name) ?? null;
}

/** The first `max` characters, never cutting a surrogate pair in half. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
