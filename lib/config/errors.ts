import { basename } from "node:path";

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
    /** Deprecated forms found on the way (see deprecations.ts); not part of the message, which is the errors. */
    readonly warnings: ConfigIssue[] = [],
  ) {
    super(formatConfigIssues(file, issues));
    this.name = "ConfigError";
  }
}

/** One problem as every message shows it: `preflight.config.yaml:12:7 components[1].probe.url: expected …`. */
export function formatConfigIssue(file: string, issue: ConfigIssue): string {
  const name = basename(file);
  const where = issue.line !== undefined ? `${name}:${issue.line}:${issue.column ?? 1}` : name;
  return `${where} ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}

function formatConfigIssues(file: string, issues: ConfigIssue[]): string {
  const lines = issues.map((issue) => `  - ${formatConfigIssue(file, issue)}`);
  const count = issues.length === 1 ? "1 error" : `${issues.length} errors`;
  return `Invalid configuration in ${file} (${count}):\n${lines.join("\n")}`;
}

/** The warnings of a configuration that loaded, in the layout of its errors. */
export function formatConfigWarnings(file: string, warnings: ConfigIssue[]): string {
  const lines = warnings.map((warning) => `  - ${formatConfigIssue(file, warning)}`);
  const count = warnings.length === 1 ? "1 warning" : `${warnings.length} warnings`;
  return `Configuration warnings in ${file} (${count}):\n${lines.join("\n")}`;
}

/**
 * 1-based line and column of `index` in `text`, counted the way yaml's LineCounter counts them (LF ends a line,
 * columns in UTF-16 units), so positions found before parsing agree with the parser's own.
 */
export function positionAt(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}
