// Not a PromQL engine: a syntax sanity check, bare selectors, and a table of the canned expressions a readiness
// dashboard asks. Unknown but well-formed queries get an empty vector, which is what Prometheus answers for a
// metric it has never scraped, so a probe cannot tell the difference.
import {
  measureApiTraffic,
  measureContainers,
  selectSeries,
  type QueryContext,
  type Sample,
} from "./prometheus-series.js";

export type QueryResult =
  | { readonly kind: "vector"; readonly samples: readonly Sample[] }
  | { readonly kind: "scalar"; readonly value: number }
  | { readonly kind: "error"; readonly message: string };

export type CannedQuery = {
  readonly id: string;
  readonly description: string;
  /** A canonical spelling; equivalent spellings (whitespace, `sum by (x) (...)` vs `sum(...) by (x)`) also match. */
  readonly example: string;
  readonly pattern: RegExp;
  readonly evaluate: (ctx: QueryContext, match: RegExpExecArray) => Sample[];
};

// Building blocks over the whitespace-free normal form; matcher blocks and ranges are accepted loosely.
const M = String.raw`(?:\{[^{}]*\})?`;
const R = String.raw`\[\d+[smhd]\]`;
const ERRORS = String.raw`\{[^{}]*status=~?"5[^"]*"[^{}]*\}`;
const ERROR_SUM = String.raw`sum\(rate\(http_requests_total${ERRORS}${R}\)\)`;
/** `or vector(0)`, which turns "no samples" into 0, in the normal form (whitespace dropped). */
const OR_ZERO = String.raw`orvector\(0(?:\.0*)?\)`;
const sumBy = (label: string, inner: string): string =>
  String.raw`(?:sum\(${inner}\)by\(${label}\)|sumby\(${label}\)\(${inner}\))`;
const CPU_USAGE = sumBy("container", String.raw`rate\(container_cpu_usage_seconds_total${M}${R}\)`);
const CPU_LIMIT = sumBy("container", String.raw`kube_pod_container_resource_limits\{[^{}]*resource="cpu"[^{}]*\}`);
const MEMORY_USAGE = sumBy("container", String.raw`container_memory_working_set_bytes${M}`);
const MEMORY_LIMIT = sumBy(
  "container",
  String.raw`(?:kube_pod_container_resource_limits\{[^{}]*resource="memory"[^{}]*\}|container_spec_memory_limit_bytes${M})`,
);
const anchored = (source: string): RegExp => new RegExp(`^${source}$`);

const single = (value: number): Sample[] => [{ labels: {}, value }];
const perContainer = (ctx: QueryContext, pick: (u: ReturnType<typeof measureContainers>[number]) => number): Sample[] =>
  measureContainers(ctx).map((usage) => ({ labels: { container: usage.container }, value: pick(usage) }));

export const PROMETHEUS_CANNED_QUERIES: readonly CannedQuery[] = [
  {
    id: "api-error-ratio",
    description: "Share of API requests answered 5xx",
    example: '(sum(rate(http_requests_total{status=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total[5m]))',
    // With `or vector(0)` on the 5xx sum (no 5xx is 0), on the whole ratio (no traffic is 0 too), or without it.
    pattern: anchored(
      String.raw`(?:${ERROR_SUM}|\(${ERROR_SUM}${OR_ZERO}\))/sum\(rate\(http_requests_total${M}${R}\)\)(${OR_ZERO})?`,
    ),
    evaluate: (ctx, match) => {
      const traffic = measureApiTraffic(ctx);
      if (traffic === null) return match[1] === undefined ? [] : single(0);
      return single(traffic.errorRate / traffic.requestRate);
    },
  },
  {
    id: "api-error-rate",
    description: "API 5xx responses per second",
    example: 'sum(rate(http_requests_total{status=~"5.."}[5m])) or vector(0)',
    pattern: anchored(String.raw`${ERROR_SUM}(${OR_ZERO})?`),
    evaluate: (ctx, match) => {
      const traffic = measureApiTraffic(ctx);
      if (traffic === null) return match[1] === undefined ? [] : single(0);
      return single(traffic.errorRate);
    },
  },
  {
    id: "api-request-rate",
    description: "API requests per second",
    example: "sum(rate(http_requests_total[5m]))",
    pattern: anchored(String.raw`sum\(rate\(http_requests_total${M}${R}\)\)`),
    evaluate: (ctx) => {
      const traffic = measureApiTraffic(ctx);
      return traffic === null ? [] : single(traffic.requestRate);
    },
  },
  {
    id: "api-latency-quantile",
    description: "API latency quantile in seconds (any quantile, e.g. 0.95)",
    example: "histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))",
    pattern: anchored(
      String.raw`histogram_quantile\((0(?:\.\d+)?|1(?:\.0+)?),${sumBy("le", String.raw`rate\(http_request_duration_seconds_bucket${M}${R}\)`)}\)`,
    ),
    evaluate: (ctx, match) => {
      const traffic = measureApiTraffic(ctx);
      return traffic === null ? [] : single(traffic.latencySeconds(Number(match[1])));
    },
  },
  {
    id: "container-cpu-ratio",
    description: "CPU used per container as a fraction of its limit",
    example:
      'sum(rate(container_cpu_usage_seconds_total[5m])) by (container) / sum(kube_pod_container_resource_limits{resource="cpu"}) by (container)',
    pattern: anchored(`${CPU_USAGE}/${CPU_LIMIT}`),
    evaluate: (ctx) => perContainer(ctx, (u) => u.cpuCores / u.cpuLimitCores),
  },
  {
    id: "container-cpu-cores",
    description: "CPU cores used per container",
    example: "sum(rate(container_cpu_usage_seconds_total[5m])) by (container)",
    pattern: anchored(CPU_USAGE),
    evaluate: (ctx) => perContainer(ctx, (u) => u.cpuCores),
  },
  {
    id: "container-cpu-limit",
    description: "CPU limit per container in cores",
    example: 'sum(kube_pod_container_resource_limits{resource="cpu"}) by (container)',
    pattern: anchored(CPU_LIMIT),
    evaluate: (ctx) => perContainer(ctx, (u) => u.cpuLimitCores),
  },
  {
    id: "container-memory-ratio",
    description: "Working-set memory per container as a fraction of its limit",
    example:
      "sum(container_memory_working_set_bytes) by (container) / sum(container_spec_memory_limit_bytes) by (container)",
    pattern: anchored(`${MEMORY_USAGE}/${MEMORY_LIMIT}`),
    evaluate: (ctx) => perContainer(ctx, (u) => u.memoryBytes / u.memoryLimitBytes),
  },
  {
    id: "container-memory-bytes",
    description: "Working-set memory per container in bytes",
    example: "sum(container_memory_working_set_bytes) by (container)",
    pattern: anchored(MEMORY_USAGE),
    evaluate: (ctx) => perContainer(ctx, (u) => u.memoryBytes),
  },
  {
    id: "container-memory-limit",
    description: "Memory limit per container in bytes",
    example: "sum(container_spec_memory_limit_bytes) by (container)",
    pattern: anchored(MEMORY_LIMIT),
    evaluate: (ctx) => perContainer(ctx, (u) => u.memoryLimitBytes),
  },
  {
    id: "targets-up",
    description: "Number of scrape targets that are up",
    example: "sum(up)",
    pattern: anchored(String.raw`sum\(up${M}\)`),
    evaluate: (ctx, match) => {
      const selector = match[0].slice("sum(".length, -1);
      return single((selectSeries(selector, ctx) ?? []).reduce((total, s) => total + s.value, 0));
    },
  },
];

export function evaluatePromql(query: string, ctx: QueryContext): QueryResult {
  const syntaxError = checkPromqlSyntax(query);
  if (syntaxError !== null) return { kind: "error", message: `invalid parameter "query": ${syntaxError}` };
  const expression = normalizePromql(query);
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(expression))
    return { kind: "scalar", value: Number(expression) };
  for (const canned of PROMETHEUS_CANNED_QUERIES) {
    const match = canned.pattern.exec(expression);
    if (match !== null) return { kind: "vector", samples: canned.evaluate(ctx, match) };
  }
  return { kind: "vector", samples: selectSeries(expression, ctx) ?? [] };
}

/** Drops whitespace outside string literals and unifies quotes, so spelling variants hit the same table entry. */
export function normalizePromql(query: string): string {
  let out = "";
  let quote: string | null = null;
  for (let i = 0; i < query.length; i++) {
    const ch = query.charAt(i);
    if (quote !== null) {
      if (ch === "\\" && i + 1 < query.length) {
        out += ch + query.charAt(++i);
        continue;
      }
      if (ch === quote) quote = null;
      out += ch === "'" && quote === null ? '"' : ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      out += '"';
    } else if (!/\s/.test(ch)) {
      out += ch;
    }
  }
  return out;
}

/** Catches what Prometheus' parser would reject outright, with its error wording; null when plausible. */
export function checkPromqlSyntax(query: string): string | null {
  if (query.trim() === "") return "1:1: parse error: no expression found in input";
  const open: { ch: string; col: number }[] = [];
  const closers: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
  for (let i = 0; i < query.length; i++) {
    const ch = query.charAt(i);
    const col = i + 1;
    if (ch === '"' || ch === "'" || ch === "`") {
      const end = findStringEnd(query, i);
      if (end === -1) return `1:${col}: parse error: unterminated quoted string`;
      i = end;
    } else if (ch === "(" || ch === "[" || ch === "{") {
      open.push({ ch, col });
    } else if (ch === ")" || ch === "]" || ch === "}") {
      const top = open.pop();
      if (top === undefined || top.ch !== closers[ch]) return `1:${col}: parse error: unexpected "${ch}"`;
    } else if (!/[\w\s:.,=!~+\-*/%^<>@]/.test(ch) || (ch === "!" && !/[=~]/.test(query.charAt(i + 1)))) {
      return `1:${col}: parse error: unexpected character: '${ch}'`;
    }
  }
  const unclosed = open.pop();
  if (unclosed !== undefined) {
    const what =
      unclosed.ch === "("
        ? "unclosed left parenthesis"
        : unclosed.ch === "["
          ? "unclosed left bracket"
          : "unexpected end of input inside braces";
    return `1:${unclosed.col}: parse error: ${what}`;
  }
  if (/[-+*/%^=<>,]\s*$/.test(query)) return `1:${query.trimEnd().length + 1}: parse error: unexpected end of input`;
  return null;
}

function findStringEnd(query: string, start: number): number {
  const quote = query.charAt(start);
  for (let i = start + 1; i < query.length; i++) {
    const ch = query.charAt(i);
    if (ch === "\\" && quote !== "`") i++;
    else if (ch === quote) return i;
  }
  return -1;
}
