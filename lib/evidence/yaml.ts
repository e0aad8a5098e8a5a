import { isAlias, isNode, isPair, isScalar, LineCounter, parseAllDocuments, visit, type Document } from "yaml";
import { quoteText } from "./quote";
import { screenJson } from "./screen";

// YAML evidence (rendered Kubernetes manifests, compose files) read under the input policy. YAML is where parsers
// get hurt the way XML's entities hurt them: aliases that expand a few lines into gigabytes ("billion laughs"),
// custom tags that some loaders turn into objects or code (`!!python/object`, `!!js/function`), documents nested
// until the stack overflows. So: aliases are counted and capped while the values are built, every tag other than
// YAML 1.2's core ones is refused (the caller may allow a few it understands, such as Compose's `!reset`), and the
// values then pass the same screen as JSON evidence (control characters, `__proto__`, depth).

/** `malformed`: not readable YAML at all (400), as against readable YAML that is refused (422). */
export type TYamlResult = { ok: true; documents: TYamlDocument[] } | { ok: false; error: string; malformed: boolean };

/** One document of a stream, as plain values, with the line it starts on (1-based) for findings. */
export type TYamlDocument = { value: unknown; line: number; tags: Map<string, string> };

/** The core schema's tags (YAML 1.2 §10.3), as the `yaml` library names them when resolved. */
const CORE_TAGS = new Set([
  "tag:yaml.org,2002:str",
  "tag:yaml.org,2002:int",
  "tag:yaml.org,2002:float",
  "tag:yaml.org,2002:bool",
  "tag:yaml.org,2002:null",
  "tag:yaml.org,2002:map",
  "tag:yaml.org,2002:seq",
]);

export type TYamlOptions = {
  /** Resolve `<<` merge keys (YAML 1.1, as Compose and Kubernetes' loader do). */
  merge?: boolean;
  /** Local tags the caller understands (`!reset`, `!override`): kept as a mark on the value, never constructed. */
  allowTags?: readonly string[];
  /** Documents in one stream at most (a rendered chart is a few hundred). */
  maxDocuments?: number;
  /** Alias expansions per document at most, as `yaml`'s toJS counts them. */
  maxAliasCount?: number;
};

export const MAX_YAML_DOCUMENTS = 5000;

/**
 * The first line of the `yaml` library's message, which may quote the source where it stopped (an alias name, an
 * escape, a version): its control characters escaped as quoteText escapes them, so a refusal never carries one.
 */
const libraryMessage = (message: string) =>
  (message.split("\n")[0] ?? "").replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );

export function readYamlStream(text: string, what: string, options: TYamlOptions = {}): TYamlResult {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (source.trim() === "") return { ok: false, error: `the ${what} is empty`, malformed: true };
  const trimmed = source.trimStart();
  if (trimmed.startsWith("<"))
    return { ok: false, error: `expected ${what} as YAML, got XML or HTML`, malformed: true };
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(source, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      merge: options.merge ?? false,
      strict: true,
      customTags: [],
    });
    docs = Array.isArray(parsed) ? parsed : [];
    if (!Array.isArray(parsed)) return { ok: false, error: `the ${what} holds no YAML document`, malformed: true };
  } catch (error) {
    return {
      ok: false,
      error: `cannot read the ${what} as YAML (${libraryMessage(error instanceof Error ? error.message : String(error))})`,
      malformed: true,
    };
  }
  const maxDocuments = options.maxDocuments ?? MAX_YAML_DOCUMENTS;
  if (docs.length > maxDocuments)
    return {
      ok: false,
      error: `the ${what} holds ${docs.length} YAML documents, more than the ${maxDocuments} accepted`,
      malformed: false,
    };
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return `line ${pos.line}, column ${pos.col}`;
  };
  const documents: TYamlDocument[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      if (error.code === "RESOURCE_EXHAUSTION")
        return { ok: false, error: `the ${what} is nested too deeply to read`, malformed: false };
      if (error.code === "DUPLICATE_KEY")
        return { ok: false, error: `YAML at ${at(error.pos[0])}: ${libraryMessage(error.message)}`, malformed: false };
      return {
        ok: false,
        error: `YAML syntax at ${at(error.pos[0])}: ${libraryMessage(error.message)}`,
        malformed: true,
      };
    }
    // Tags are judged on the node tree, before any value is built from it.
    let tagProblem: string | null = null;
    const tagged = new Map<unknown, string>();
    const allowed = new Set(options.allowTags ?? []);
    visit(doc, (_key, node) => {
      if (!isNode(node) || isAlias(node) || node.tag === undefined) return undefined;
      if (CORE_TAGS.has(node.tag)) return undefined;
      if (allowed.has(node.tag)) {
        tagged.set(node, node.tag);
        return undefined;
      }
      const where = node.range ? ` at ${at(node.range[0])}` : "";
      tagProblem = `the YAML tag ${quoteText(node.tag.slice(0, 60))}${where} is not accepted: only plain maps, lists, strings, numbers, booleans and null${allowed.size > 0 ? `, and ${[...allowed].join(", ")}` : ""}`;
      return visit.BREAK;
    });
    if (tagProblem) return { ok: false, error: tagProblem, malformed: false };
    let value: unknown;
    const tags = new Map<string, string>();
    try {
      value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
      if (tagged.size > 0) collectTags(doc, tagged, tags);
    } catch (error) {
      const message = libraryMessage(error instanceof Error ? error.message : String(error));
      if (/excessive alias count/i.test(message))
        return {
          ok: false,
          error: `the ${what}'s aliases expand too far (an alias bomb?): ${message}`,
          malformed: false,
        };
      if (/call stack/i.test(message))
        return { ok: false, error: `the ${what} is nested too deeply to read`, malformed: false };
      return { ok: false, error: `cannot read the ${what} as YAML (${message})`, malformed: false };
    }
    if (value === null || value === undefined) continue;
    const issue = screenJson(value);
    if (issue) return { ok: false, error: `${issue.path}: ${issue.message}`, malformed: false };
    const start = doc.contents?.range?.[0] ?? 0;
    documents.push({ value, line: lineCounter.linePos(start).line, tags });
  }
  return { ok: true, documents };
}

/**
 * The marks of allowed local tags by the keys that lead to them: "services.web.ports" → "!reset". Read from the node
 * tree, since a tag is not part of a value.
 */
function collectTags(doc: Document.Parsed, tagged: Map<unknown, string>, out: Map<string, string>) {
  const keyOf = (key: unknown) => String(isScalar(key) ? key.value : key);
  visit(doc, {
    Pair(_key, pair, path) {
      const node = pair.value;
      if (!node || !tagged.has(node)) return;
      const keys = path.filter(isPair).map((p) => keyOf(p.key));
      out.set([...keys, keyOf(pair.key)].join("."), tagged.get(node) as string);
    },
  });
}
