// Conditions are validated at configuration load; probes compile them again at run time (cheap, cached), so a
// probe object never has to carry parsed state and stays plain, serialisable configuration.
import { parseCondition } from "./parse";
import type { Condition, ParseResult, Placeholder } from "./types";

const MAX_CACHED = 1_000;
const cache = new Map<string, ParseResult>();

function parseCached(source: string): ParseResult {
  let result = cache.get(source);
  if (result === undefined) {
    result = parseCondition(source);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(source, result);
  }
  return result;
}

export type CompiledConditions = { conditions: Condition[]; errors: string[] };

/** Parses each source; one that does not parse (a probe built without the schema) becomes an error text. */
export function compileConditions(sources: readonly string[] = []): CompiledConditions {
  const conditions: Condition[] = [];
  const errors: string[] = [];
  for (const source of sources) {
    const result = parseCached(source);
    if (result.ok) conditions.push(result.condition);
    else errors.push(`invalid condition ${JSON.stringify(source)}, column ${result.column}: ${result.error}`);
  }
  return { conditions, errors };
}

/** Whether any of the conditions looks at `placeholder` (a placeholder quoted inside a literal does not count). */
export function mentionsPlaceholder(sources: readonly string[] | undefined, placeholder: Placeholder): boolean {
  return (sources ?? []).some((source) => {
    const result = parseCached(source);
    return result.ok && result.condition.placeholder === placeholder;
  });
}
