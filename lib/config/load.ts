import { resolve } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { redactSecrets } from "../redact";
import { upgradeDeprecatedForms, type TUpgraded } from "./deprecations";
import { ConfigError, type ConfigIssue } from "./errors";
import { checkDocument, checkText } from "./guards";
import { interpolateEnv } from "./interpolate";
import { readConfigText } from "./read";
import { ZConfig, type TConfig } from "./schema";

// Moved to errors.ts (read.ts needs them too); re-exported so existing imports keep working.
export { ConfigError, formatConfigIssue, formatConfigWarnings, type ConfigIssue } from "./errors";

export type LoadedConfig = {
  config: TConfig;
  file: string;
  /** Values interpolated from the environment; callers redact these from anything they show or log. */
  secrets: Set<string>;
  /** Deprecated forms that were accepted, each located like an error; the process logs them once at start. */
  warnings: ConfigIssue[];
};

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

/** Position of the node at `path`, or of the closest ancestor that exists (a missing field points at its parent). */
function locate(doc: Document, lineCounter: LineCounter, path: readonly PropertyKey[], keyName?: string) {
  let keys = path.map((p) => (typeof p === "symbol" ? String(p) : p));
  while (true) {
    const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
    if (node && typeof node === "object" && "range" in node) {
      let offset = (node as YamlNode).range?.[0];
      // For an unknown key, point at the key itself rather than at the start of its map.
      if (keyName !== undefined && isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === keyName);
        if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      }
      if (offset !== undefined) {
        const pos = lineCounter.linePos(offset);
        return { line: pos.line, column: pos.col };
      }
    }
    if (keys.length === 0) return {};
    keys = keys.slice(0, -1);
  }
}

/** Issues are named and located by the path as written in the file, also where a deprecated form was rewritten. */
function zodIssueToConfigIssues(
  doc: Document,
  lc: LineCounter,
  issue: z.core.$ZodIssue,
  originalPath: TUpgraded["originalPath"],
): ConfigIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const path = originalPath([...issue.path, key]);
      return {
        path: formatPath(path),
        message: `unknown key "${key}"`,
        ...locate(doc, lc, path.slice(0, -1), String(path.at(-1))),
      };
    });
  }
  const path = originalPath(issue.path);
  return [{ path: formatPath(path), message: describeIssue(issue), ...locate(doc, lc, path) }];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
    if (issue.input === undefined) return `required: expected ${issue.expected}`;
    return `expected ${issue.expected}, got ${kindOf(issue.input)}`;
  }
  if (issue.code === "invalid_value" && issue.message.startsWith("Invalid")) {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return issue.message;
}

/** `typeof`, except that a list is not an "object" (zod's "expected object, got object" named no problem). */
function kindOf(value: unknown): string {
  return Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
}

/** Parses and validates configuration text; every problem in the file is reported at once. Throws ConfigError only. */
export function parseConfig(
  text: string,
  file: string,
  env: Record<string, string | undefined> = process.env,
): LoadedConfig {
  try {
    return parseChecked(text, file, env);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // A failure no check above foresaw still reaches the user as a configuration error, never as a stack trace.
    const reason = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error);
    const overflow = /call stack/i.test(reason);
    const message = overflow ? "the document is nested too deeply to read" : `cannot read the document (${reason})`;
    throw new ConfigError(file, [{ path: "", message }]);
  }
}

function parseChecked(text: string, file: string, env: Record<string, string | undefined>): LoadedConfig {
  const textIssues = checkText(text);
  if (textIssues.length > 0) throw new ConfigError(file, textIssues);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // A too deeply nested document overflows yaml's stack, which it reports once per level it unwinds: one is enough.
    const exhausted = doc.errors.find((error) => error.code === "RESOURCE_EXHAUSTION");
    throw new ConfigError(
      file,
      (exhausted ? [exhausted] : doc.errors).map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        const message = error === exhausted ? "maps and lists are nested too deeply" : error.message.split("\n")[0];
        return { path: "", message: `YAML syntax: ${message}`, line: pos.line, column: pos.col };
      }),
    );
  }
  const structural = checkDocument(doc, lineCounter, text);
  if (structural.length > 0) throw new ConfigError(file, structural);
  const issues: ConfigIssue[] = [];
  if (doc.contents === null) {
    issues.push({ path: "", message: "the file is empty: expected a map with version: 1, system and components" });
  } else if (!isMap(doc.contents)) {
    const got = isSeq(doc.contents) ? "a list" : isScalar(doc.contents) ? "a single value" : "something else";
    const message = `expected a map (version, system, components) at the top level, got ${got}`;
    throw new ConfigError(file, [{ path: "", message, ...locate(doc, lineCounter, []) }]);
  }
  const raw: unknown = toValues(doc, lineCounter, file) ?? {};
  const interpolated = interpolateEnv(raw, env);
  for (const issue of interpolated.issues) {
    issues.push({ path: formatPath(issue.path), message: issue.message, ...locate(doc, lineCounter, issue.path) });
  }
  const upgraded = upgradeDeprecatedForms(interpolated.value);
  // Messages quote what was written (a condition, an id), which may have come from the environment.
  const redact = (issue: ConfigIssue): ConfigIssue => ({
    ...issue,
    message: redactSecrets(issue.message, interpolated.secrets),
  });
  const warnings = upgraded.warnings
    .map((w) => {
      const position = w.atKey
        ? locate(doc, lineCounter, w.path.slice(0, -1), String(w.path.at(-1)))
        : locate(doc, lineCounter, w.path);
      return redact({ path: formatPath(w.path), message: w.message, ...position });
    })
    // In file order, as a person reads them.
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const parsed = ZConfig.safeParse(interpolated.value);
  if (!parsed.success) {
    // A field whose variable is missing is reported once, for the variable, not again for its shape.
    const unresolved = new Set(interpolated.issues.map((issue) => formatPath(issue.path)));
    for (const issue of parsed.error.issues) {
      if (!unresolved.has(formatPath(upgraded.originalPath(issue.path))))
        issues.push(...zodIssueToConfigIssues(doc, lineCounter, issue, upgraded.originalPath));
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(file, dedupe(issues).map(redact), warnings);

  const raw_ = parsed.data;
  const config: TConfig = {
    ...raw_,
    components: raw_.components.map((c) => ({
      ...c,
      interval: c.interval ?? raw_.defaults.interval,
      timeout: c.timeout ?? raw_.defaults.timeout,
      failureThreshold: c.failureThreshold ?? raw_.defaults.failureThreshold,
      successThreshold: c.successThreshold ?? raw_.defaults.successThreshold,
      degradedAfter: c.degradedAfter ?? raw_.defaults.degradedAfter,
    })),
  };
  return { config, file, secrets: interpolated.secrets, warnings };
}

/** The document as plain values; yaml's own alias limit (a second guard behind checkDocument) becomes a ConfigError. */
function toValues(doc: Document, lineCounter: LineCounter, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let first: YamlNode | undefined;
    visit(doc, {
      Alias(_key, node) {
        first = node;
        return visit.BREAK;
      },
    });
    const pos = first?.range ? lineCounter.linePos(first.range[0]) : undefined;
    const excessive = /excessive alias count/i.test(error.message);
    const message = excessive ? `aliases expand too far (${error.message})` : error.message;
    throw new ConfigError(file, [{ path: "", message, line: pos?.line, column: pos?.col }]);
  }
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Reads, checks and validates the configuration file at `path`. Throws ConfigError only. */
export function loadConfigFile(path: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const file = resolve(path);
  return parseConfig(readConfigText(file), file, env);
}
