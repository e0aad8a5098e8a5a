import { readFileSync } from "node:fs";
import { join } from "node:path";

// The complete example of docs/configuration.md, for the tests that load it and break it.

export const CONFIGURATION_DOCS = join(import.meta.dirname, "..", "..", "docs", "configuration.md");

const MARKER = "<!-- complete-example";

/** The variables the example names with `${NAME}` (no default): set, it loads as written. */
export const EXAMPLE_ENV: Record<string, string> = {
  SHOP_HEALTH_TOKEN: "health-token-7f3a9c",
  SHOP_DB_PASSWORD: "db-password-51e2b8",
  SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T000/B000/slack-secret-0d4e",
};

/** The ```yaml block that follows the marker comment, as text. */
export function readConfigurationExample(): string {
  const doc = readFileSync(CONFIGURATION_DOCS, "utf8");
  const marker = doc.indexOf(MARKER);
  if (marker === -1) throw new Error(`${CONFIGURATION_DOCS} has no ${MARKER} marker`);
  const match = /```yaml\n([\s\S]*?)\n```/.exec(doc.slice(marker));
  if (!match?.[1]) throw new Error(`no yaml block after the ${MARKER} marker in ${CONFIGURATION_DOCS}`);
  return `${match[1]}\n`;
}

/** 1-based line and column of `needle` in `text` (the first one after `after`, when given), as the loader counts. */
export function positionOf(text: string, needle: string, after = ""): { line: number; column: number } {
  const from = after ? text.indexOf(after) : 0;
  const index = from === -1 ? -1 : text.indexOf(needle, from);
  if (index === -1)
    throw new Error(`${JSON.stringify(needle)} is not in the text${after ? ` after ${JSON.stringify(after)}` : ""}`);
  const before = text.slice(0, index).split("\n");
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
