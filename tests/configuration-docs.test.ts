import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfigFile, parseConfig } from "../lib/config/load";
import { ZProbe } from "../lib/config/probe-schema";
import { ZCheck } from "../lib/config/scorecard-schema";
import { ZConfig, type TConfig } from "../lib/config/schema";
import { EXAMPLE_ENV, readConfigurationExample } from "../lib/testing/configuration-docs";

// docs/configuration.md carries one complete, annotated example: it must load as written, use no deprecated
// form, and cover every section and check kind the schema has, so a new one cannot ship without an example.

const ROOT = join(import.meta.dirname, "..");
const text = readConfigurationExample();
const loaded = parseConfig(text, "docs/configuration.md", EXAMPLE_ENV);

/** Every PromQL expression a configuration sends, with where it is. */
function promqlOf(config: TConfig): [string, string][] {
  const out: [string, string][] = [];
  config.components.forEach((c) => {
    if (c.probe.type === "prometheus" && c.probe.query) out.push([`components.${c.id}`, c.probe.query]);
  });
  config.baselines.forEach((b) => {
    if ("queries" in b.source)
      for (const [metric, q] of Object.entries(b.source.queries))
        if (q) out.push([`baselines.${b.id}.${metric}`, q.query]);
  });
  for (const [name, q] of Object.entries({ cpu: config.resources?.cpu, memory: config.resources?.memory })) {
    if (q) out.push([`resources.${name}.usage`, q.usage], [`resources.${name}.limit`, q.limit]);
  }
  const checks = [
    ...(config.scorecard?.categories.flatMap((c) => c.checks) ?? []),
    ...(config.scorecard?.criteria ?? []),
  ];
  for (const check of checks) if (check.kind === "promql") out.push([`scorecard.${check.id}`, check.query]);
  return out;
}

/**
 * Why a query that counts failures would read "no samples" on a healthy service, or null when it reads 0. Prometheus
 * has no series for a failure that never happened: `or vector(0)` must cover the failures, and on a ratio it goes on
 * the failure side (before the division), so no traffic at all still reads "no data" rather than a perfect 0.
 */
export function missingZeroDefault(query: string): string | null {
  if (!/status=~?"5|fail|error/i.test(query)) return null;
  // Positions outside label values: a handler="/metrics" is not a division.
  const bare = query.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const zero = bare.search(/\bor\s+vector\(\s*0\s*\)/);
  if (zero === -1) return "counts failures without `or vector(0)`";
  const division = bare.indexOf("/");
  if (division !== -1 && zero > division) return "has `or vector(0)` after the division: put it on the failure side";
  return null;
}

describe("docs/configuration.md: the complete example", () => {
  it("loads as written, with no warning", () => {
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.system.name).toBe("shop");
  });

  it("has every top-level section of the schema", () => {
    const written = Object.keys(parse(text) as Record<string, unknown>);
    expect(Object.keys(ZConfig.shape).filter((key) => !written.includes(key))).toEqual([]);
  });

  it("has every kind of scorecard check, in categories and in criteria", () => {
    const kinds = ZCheck.options.flatMap((option) => [...option.shape.kind.values]);
    const scorecard = loaded.config.scorecard;
    const used = new Set(
      [...(scorecard?.categories.flatMap((c) => c.checks) ?? []), ...(scorecard?.criteria ?? [])].map((c) => c.kind),
    );
    expect(kinds.filter((kind) => !used.has(kind))).toEqual([]);
    expect(scorecard?.categories.flatMap((c) => c.checks).some((c) => c.waiver !== undefined)).toBe(true);
  });

  it("has every probe type, and each way a prometheus probe asks", () => {
    const types = ZProbe.options.map((option) => option.shape.type.value);
    const probes = loaded.config.components.map((c) => c.probe);
    expect(types.filter((type) => !probes.some((p) => p.type === type))).toEqual([]);
    const prometheus = probes.filter((p) => p.type === "prometheus");
    expect([
      prometheus.some((p) => p.check === "healthy"),
      prometheus.some((p) => p.target),
      prometheus.some((p) => p.query),
    ]).toEqual([true, true, true]);
  });

  it("queries failures so that none reads 0, not no samples", () => {
    const queries = promqlOf(loaded.config);
    expect(queries.filter(([, q]) => /fail|error|"5/i.test(q)).length).toBeGreaterThanOrEqual(2);
    expect(
      queries.flatMap(([where, q]) => (missingZeroDefault(q) ? [`${where}: ${missingZeroDefault(q)}: ${q}`] : [])),
    ).toEqual([]);
  });
});

describe("the shipped preflight.config.yaml", () => {
  it("queries failures so that none reads 0, not no samples", () => {
    const { config, warnings } = loadConfigFile(join(ROOT, "preflight.config.yaml"), {});
    expect(warnings).toEqual([]);
    expect(
      promqlOf(config).flatMap(([where, q]) =>
        missingZeroDefault(q) ? [`${where}: ${missingZeroDefault(q)}: ${q}`] : [],
      ),
    ).toEqual([]);
  });
});

describe("missingZeroDefault (the rule itself can fail)", () => {
  it.each([
    [
      'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m]))',
      "counts failures without `or vector(0)`",
    ],
    [
      'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) or vector(0)',
      "has `or vector(0)` after the division: put it on the failure side",
    ],
    ['(sum(rate(http_requests_total{status=~"5.."}[5m])) or vector(0)) / sum(rate(http_requests_total[5m]))', null],
    ["sum(increase(payment_failures_total[1h]))", "counts failures without `or vector(0)`"],
    ["sum(increase(payment_failures_total[1h])) or vector(0)", null],
    ['histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{handler="/metrics"}[5m])) by (le))', null],
  ])("%s", (query, expected) => {
    expect(missingZeroDefault(query)).toBe(expected);
  });
});
