import { stringify } from "yaml";
import { parseConfig } from "../config/load";
import type { TConfig } from "../config/schema";

/** A validated configuration built from plain objects, with the loader's defaults applied. */
export function buildTestConfig(input: {
  components: unknown[];
  defaults?: Record<string, unknown>;
  [key: string]: unknown;
}): TConfig {
  const document = { version: 1, system: { name: "test-system" }, ...input };
  return parseConfig(stringify(document), "test.yaml", {}).config;
}
