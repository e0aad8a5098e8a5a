import { readFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from "yaml";
import type { z } from "zod";
import { interpolateEnv } from "./interpolate";
import { ZConfig, type TConfig } from "./schema";

export type ConfigIssue = {
  /** Field path such as `components[1].probe.url`; empty for document-level errors. */
  path: string;
  message: string;
  line?: number;
  column?: number;
};

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(formatConfigIssues(file, issues));
    this.name = "ConfigError";
  }
}

export type LoadedConfig = {
  config: TConfig;
  file: string;
  /** Values interpolated from the environment; callers redact these from anything they show or log. */
  secrets: Set<string>;
};

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}

function formatConfigIssues(file: string, issues: ConfigIssue[]): string {
  const name = basename(file);
  const lines = issues.map((issue) => {
    const where = issue.line !== undefined ? `${name}:${issue.line}:${issue.column ?? 1}` : name;
    return `  - ${where} ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
  });
  const count = issues.length === 1 ? "1 error" : `${issues.length} errors`;
  return `Invalid configuration in ${file} (${count}):\n${lines.join("\n")}`;
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

function zodIssueToConfigIssues(doc: Document, lc: LineCounter, issue: z.core.$ZodIssue): ConfigIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: `unknown key "${key}"`,
      ...locate(doc, lc, issue.path, key),
    }));
  }
  return [{ path: formatPath(issue.path), message: describeIssue(issue), ...locate(doc, lc, issue.path) }];
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
    return issue.input === undefined ? `required: expected ${issue.expected}` : `expected ${issue.expected}, got ${typeof issue.input}`;
  }
  if (issue.code === "invalid_value" && issue.message.startsWith("Invalid")) {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  }
  return issue.message;
}

/** Parses and validates configuration text; every problem in the file is reported at once. */
export function parseConfig(text: string, file: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { path: "", message: `YAML syntax: ${error.message.split("\n")[0]}`, line: pos?.line, column: pos?.col };
      }),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const interpolated = interpolateEnv(raw, env);
  const issues: ConfigIssue[] = interpolated.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
    ...locate(doc, lineCounter, issue.path),
  }));
  const parsed = ZConfig.safeParse(interpolated.value);
  if (!parsed.success) {
    // A field whose variable is missing is reported once, for the variable, not again for its shape.
    const unresolved = new Set(issues.map((issue) => issue.path));
    for (const issue of parsed.error.issues) {
      if (!unresolved.has(formatPath(issue.path))) issues.push(...zodIssueToConfigIssues(doc, lineCounter, issue));
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(file, dedupe(issues));

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
  return { config, file, secrets: interpolated.secrets };
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

export function loadConfigFile(path: string, env: Record<string, string | undefined> = process.env): LoadedConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : String(error);
    throw new ConfigError(file, [{ path: "", message: `cannot read configuration: ${reason} (set PREFLIGHT_CONFIG to its path)` }]);
  }
  return parseConfig(text, file, env);
}
