import { isAlias, isCollection, isNode, isPair, Parser, visit } from "yaml";
import type { Alias, Document, LineCounter, Node } from "yaml";
import { positionAt, type ConfigIssue } from "./errors";

// Hostile or broken input refused before any of it is turned into values: a configuration is a few hundred lines
// written by people, so anything far outside that shape is refused with its position instead of being worked on.

export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Alias uses in one file; a real configuration has a handful. */
export const MAX_ALIASES = 100;
/** Values that aliases may add to the document when expanded ("billion laughs" adds 9^9 with 72 aliases). */
export const MAX_ALIAS_NODES = 10_000;
/** Nested maps and lists; the schema itself is under ten deep, and deeper input only serves to exhaust the stack. */
export const MAX_DEPTH = 64;

const CORE_TAGS = ["str", "int", "float", "bool", "null", "map", "seq"];
const ALLOWED_TAGS = new Set(CORE_TAGS.map((t) => `tag:yaml.org,2002:${t}`));
// Tab, LF and CR are the only C0 controls YAML text needs; DEL and C1 controls have no business in it either.
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

type AliasUse = { alias: Alias; ancestors: readonly unknown[] };
type Report = (node: Node, message: string, offset?: number) => ConfigIssue;

/** Checks on the raw text: its size, and characters that no configuration contains. */
export function checkText(text: string): ConfigIssue[] {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CONFIG_BYTES) {
    const message = `the file is larger than 1 MiB (${bytes} bytes); the limit is ${MAX_CONFIG_BYTES} bytes`;
    return [{ path: "", message }];
  }
  const index = text.search(CONTROL_RE);
  if (index === -1) return [];
  const code = text.charCodeAt(index);
  const name = `U+${code.toString(16).toUpperCase().padStart(4, "0")}${code === 0 ? " (NUL)" : ""}`;
  const message = `control character ${name} is not allowed (only tab, line feed and carriage return are)`;
  return [{ path: "", message, ...positionAt(text, index) }];
}

/** Checks on the parsed document that must pass before it is converted to values: tags, aliases, nesting. */
export function checkDocument(doc: Document, lineCounter: LineCounter, text: string): ConfigIssue[] {
  const report: Report = (node, message, offset = node.range?.[0] ?? 0) => {
    const pos = lineCounter.linePos(offset);
    return { path: "", message, line: pos.line, column: pos.col };
  };
  const issues: ConfigIssue[] = [];
  const aliases: AliasUse[] = [];
  let tagTokens: { offset: number; source: string }[] | undefined;
  let tooDeep = false;
  visit(doc, {
    Node(_key, node, path) {
      if (node.tag !== undefined && !ALLOWED_TAGS.has(node.tag)) {
        // The composed node keeps the resolved tag but not where it was written; the nearest tag token before
        // the node is its own (only an anchor, spaces or comments come between them).
        tagTokens ??= findTagTokens(text);
        const start = node.range?.[0] ?? 0;
        const token = tagTokens.filter((t) => t.offset < start).at(-1);
        const allowed = CORE_TAGS.map((t) => `!!${t}`).join(", ");
        const message = `tag ${token?.source ?? node.tag} is not allowed: only the plain YAML tags ${allowed} are`;
        issues.push(report(node, message, token?.offset));
      }
      if (isAlias(node)) aliases.push({ alias: node, ancestors: path });
      if (!tooDeep && isCollection(node) && path.filter((p) => isCollection(p)).length >= MAX_DEPTH) {
        tooDeep = true;
        issues.push(report(node, `maps and lists are nested more than ${MAX_DEPTH} levels deep`));
      }
    },
  });
  return [...issues, ...checkAliases(doc, aliases, report)];
}

function checkAliases(doc: Document, aliases: AliasUse[], report: Report): ConfigIssue[] {
  const over = aliases[MAX_ALIASES];
  if (over) {
    const message = `more than ${MAX_ALIASES} aliases in one file (*${over.alias.source} is number ${MAX_ALIASES + 1})`;
    return [report(over.alias, message)];
  }
  const sizes = new Map<unknown, number>();
  const sizeOf = (node: unknown): number => {
    if (!isNode(node) && !isPair(node)) return 0;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    // Marks the node while it is being measured: meeting it again means an alias inside its own anchor.
    sizes.set(node, Number.POSITIVE_INFINITY);
    let size = 1;
    if (isAlias(node)) size = sizeOf(node.resolve(doc));
    else if (isPair(node)) size = sizeOf(node.key) + sizeOf(node.value);
    else if (isCollection(node)) for (const item of node.items) size += sizeOf(item);
    sizes.set(node, size);
    return size;
  };
  let added = 0;
  for (const { alias, ancestors } of aliases) {
    const name = alias.source;
    const source = alias.resolve(doc);
    if (source === undefined) return [report(alias, `alias *${name} has no anchor &${name} before it`)];
    if (ancestors.includes(source)) return [report(alias, `alias *${name} is inside its anchor &${name} (a cycle)`)];
    added += sizeOf(source);
    if (added > MAX_ALIAS_NODES) {
      const message = `aliases expand too far: with *${name} they add more than ${MAX_ALIAS_NODES} values`;
      return [report(alias, message)];
    }
  }
  return [];
}

/** Every tag written in `text` (`!foo`, `!!str`, `!<…>`), from the parser's concrete syntax tree, in source order. */
function findTagTokens(text: string): { offset: number; source: string }[] {
  const found: { offset: number; source: string }[] = [];
  // Walked with an explicit stack: the tree is as deep as the document, which may be deep enough to overflow.
  const stack: unknown[] = [...new Parser().parse(text)];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item === null || typeof item !== "object") continue;
    const token = item as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === "tag" && typeof token.offset === "number" && typeof token.source === "string") {
      found.push({ offset: token.offset, source: token.source });
    } else {
      for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push(child);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}
