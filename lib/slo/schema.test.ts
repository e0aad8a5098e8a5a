import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { checkSloReferences, ZSlos, type TSlo } from "../config/slo-schema";
import { formatPath } from "../config/load";
import { parseShorthand, windowedQuery } from "./openslo";

// The `slos:` schema on its own (ZConfig takes it in when it is wired): what it accepts, how it normalises it, and
// that every refusal names the field it is about, at the path the loader reports ("slos[0].objective").

const DAY = 86_400_000;
const PROM = "http://prometheus.internal:9090";

function parseSlos(yaml: string) {
  return ZSlos.safeParse(parse(yaml));
}

function sloOf(yaml: string): TSlo {
  const parsed = parseSlos(yaml);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const [first] = parsed.data;
  if (!first) throw new Error("no SLO parsed");
  return first;
}

/** Each problem as `path: message`, the path as the loader writes it (relative to `slos`). */
function problems(yaml: string): string[] {
  const parsed = parseSlos(yaml);
  if (parsed.success) throw new Error("expected the SLOs to be refused");
  return parsed.error.issues.map((issue) => {
    const path = formatPath(["slos", ...issue.path]);
    const message = issue.code === "unrecognized_keys" ? `unknown key "${issue.keys.join(", ")}"` : issue.message;
    return `${path}: ${message}`;
  });
}

const valid = (sli: string, extra = "") => `
- id: api-slo
  name: API
  component: api
  sli: ${sli}
  objective: 99.9
${extra}`;

describe("Preflight's own form", () => {
  it("accepts availability, with the 30-day rolling window by default", () => {
    expect(sloOf(valid("{ availability: {} }"))).toEqual({
      id: "api-slo",
      name: "API",
      target: { component: "api" },
      sli: { kind: "availability" },
      objective: 99.9,
      window: 30 * DAY,
      syntax: "preflight",
    });
    // A bare `availability:` is null in YAML, and means the same.
    expect(sloOf(valid("\n    availability:")).sli).toEqual({ kind: "availability" });
  });

  it("accepts latency with a threshold, and a window", () => {
    const slo = sloOf(valid("{ latency: { threshold: 200ms } }", "  window: 7d"));
    expect(slo.sli).toEqual({ kind: "latency", thresholdMs: 200 });
    expect(slo.window).toBe(7 * DAY);
  });

  it("accepts a ratio of good (or bad) and total PromQL queries, per component or for the system", () => {
    const slo = sloOf(`
- id: checkout
  name: Checkout success
  system: true
  sli:
    ratio:
      prometheus: ${PROM}
      bad: sum(increase(http_requests_total{code=~"5.."}[{{.window}}]))
      total: sum(increase(http_requests_total[{{ .window }}]))
  objective: 99.5
`);
    expect(slo.target).toEqual({ system: true });
    expect(slo.sli).toEqual({
      kind: "ratio",
      prometheus: PROM,
      bad: 'sum(increase(http_requests_total{code=~"5.."}[{{.window}}]))',
      total: "sum(increase(http_requests_total[{{ .window }}]))",
    });
    // A ratio says what it measures in its queries: no component needed.
    const bare = sloOf(`
- id: ratio
  name: Ratio
  sli: { ratio: { prometheus: "${PROM}", good: "a[{{.window}}]", total: "b[{{.window}}]" } }
  objective: 99
`);
    expect(bare.target).toEqual({ system: true });
  });

  it("defaults to no SLOs", () => {
    expect(ZSlos.parse(undefined)).toEqual([]);
  });
});

describe("refusals name their field", () => {
  it.each([
    [
      "an id with capitals",
      valid("{ availability: {} }").replace("api-slo", "API"),
      "slos[0].id: expected an id of lowercase letters, digits and dashes, starting with a letter",
    ],
    ["no name", valid("{ availability: {} }").replace("  name: API\n", ""), "slos[0].name: expected a name"],
    [
      "objective 100",
      valid("{ availability: {} }").replace("99.9", "100"),
      "slos[0].objective: objective must be above 0 % and below 100 % (100 % leaves no error budget)",
    ],
    [
      "objective 0",
      valid("{ availability: {} }").replace("99.9", "0"),
      "slos[0].objective: objective must be above 0 % and below 100 %",
    ],
    [
      "objective as text",
      valid("{ availability: {} }").replace("99.9", '"99.9%"'),
      "slos[0].objective: expected objective as a percentage such as 99.9",
    ],
    [
      "a window shorter than 3 d",
      valid("{ availability: {} }", "  window: 1d"),
      "slos[0].window: window must be at least 3d (the slow-burn alert's window), got 1d",
    ],
    [
      "a window longer than a year",
      valid("{ availability: {} }", "  window: 400d"),
      "slos[0].window: window must be at most 365d, got 400d",
    ],
    [
      "a window that is no duration",
      valid("{ availability: {} }", "  window: a month"),
      'slos[0].window: expected a duration such as "5s" or "500ms", got "a month"',
    ],
    [
      "component and system",
      valid("{ availability: {} }", "  system: true"),
      "slos[0].system: give component or system: true, not both",
    ],
    [
      "neither component nor system",
      valid("{ availability: {} }").replace("  component: api\n", ""),
      "slos[0].component: required: the component this SLO measures (or system: true for all components)",
    ],
    [
      "system: false",
      valid("{ availability: {} }").replace("  component: api\n", "  system: false\n"),
      "slos[0].system: expected system: true (or give component instead)",
    ],
    [
      "two indicators",
      valid("{ availability: {}, latency: { threshold: 1s } }"),
      "slos[0].sli: expected one indicator, got availability and latency",
    ],
    ["no indicator", valid("{}"), "slos[0].sli: expected one indicator: availability, latency or ratio"],
    ["an unknown indicator", valid("{ throughput: {} }"), 'slos[0].sli: unknown key "throughput"'],
    [
      "sli as text",
      valid("availability"),
      "slos[0].sli: expected sli as a map: { availability: {} }, { latency: { threshold: 200ms } } or { ratio: { ... } }",
    ],
    ["availability with options", valid("{ availability: { of: 5m } }"), 'slos[0].sli.availability: unknown key "of"'],
    [
      "latency without a threshold",
      valid("{ latency: {} }"),
      'slos[0].sli.latency.threshold: expected a duration such as "5s" or "500ms"',
    ],
    [
      "a threshold of 10 minutes",
      valid("{ latency: { threshold: 10m } }"),
      "slos[0].sli.latency.threshold: threshold must be between 1 ms and 120000 ms, got 600000 ms",
    ],
    [
      "a ratio without the window placeholder",
      valid(`{ ratio: { prometheus: "${PROM}", good: "up", total: "b[{{.window}}]" } }`),
      "slos[0].sli.ratio.good: good must contain {{.window}} where the window goes, e.g. sum(rate(http_requests_total[{{.window}}]))",
    ],
    [
      "a ratio with good and bad",
      valid(
        `{ ratio: { prometheus: "${PROM}", good: "a[{{.window}}]", bad: "c[{{.window}}]", total: "b[{{.window}}]" } }`,
      ),
      "slos[0].sli.ratio: give good or bad (the query of good or of bad events), exactly one of them",
    ],
    [
      "a ratio without good or bad",
      valid(`{ ratio: { prometheus: "${PROM}", total: "b[{{.window}}]" } }`),
      "slos[0].sli.ratio.good: give good or bad (the query of good or of bad events), exactly one of them",
    ],
    [
      "a ratio on no URL",
      valid(`{ ratio: { prometheus: "prometheus:9090", good: "a[{{.window}}]", total: "b[{{.window}}]" } }`),
      "slos[0].sli.ratio.prometheus: expected a URL starting with http:// or https:// (got prometheus:)",
    ],
    ["an unknown key", valid("{ availability: {} }", "  owner: me"), 'slos[0]: unknown key "owner"'],
  ])("%s", (_name, yaml, expected) => {
    expect(problems(yaml)).toEqual([expected]);
  });

  it("refuses a repeated id, naming the first", () => {
    const yaml = `${valid("{ availability: {} }")}${valid("{ latency: { threshold: 1s } }")}`;
    expect(problems(yaml)).toEqual(['slos[1].id: duplicate SLO id "api-slo" (already used by slos[0])']);
  });

  it("refuses slos that are not a list", () => {
    expect(problems("api: { objective: 99 }")).toEqual(["slos: expected slos as a list"]);
  });
});

describe("checkSloReferences", () => {
  it("names every SLO whose component is not configured, at its path from the root", () => {
    const slos = ZSlos.parse(
      parse(
        `${valid("{ availability: {} }")}${valid("{ latency: { threshold: 1s } }").replace("api-slo", "db-slo").replace("api", "db")}`,
      ),
    );
    expect(checkSloReferences(slos, ["api"])).toEqual([
      { path: ["slos", 1, "component"], message: 'no component with id "db"' },
    ]);
    expect(checkSloReferences(slos, ["api", "db"])).toEqual([]);
  });
});

const openslo = (spec: string, annotations = `preflight/prometheus: ${PROM}`) => `
- apiVersion: openslo/v1
  kind: SLO
  metadata:
    name: web-availability
    displayName: Web availability
    annotations:
      ${annotations}
  spec:
    description: Share of web requests that succeed
    service: web
${spec
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`;

const indicator = `indicator:
  metadata:
    name: web-ratio
  spec:
    ratioMetric:
      counter: true
      good:
        metricSource:
          type: Prometheus
          spec:
            query: http_requests_total{code!~"5.."}
      total:
        metricSource:
          type: Prometheus
          spec:
            query: sum(http_requests_total)`;

const timeWindow = `timeWindow:
  - duration: 28d
    isRolling: true`;

describe("OpenSLO v1 documents", () => {
  it("convert to the same shape: target as a fraction, the window in shorthand, counters wrapped in increase()", () => {
    const slo = sloOf(
      openslo(
        `${indicator}\n${timeWindow}\nbudgetingMethod: Occurrences\nobjectives:\n  - displayName: Good\n    target: 0.999`,
      ),
    );
    expect(slo).toEqual({
      id: "web-availability",
      name: "Web availability",
      description: "Share of web requests that succeed",
      target: { system: true },
      sli: {
        kind: "ratio",
        prometheus: PROM,
        good: 'sum(increase(http_requests_total{code!~"5.."}[{{.window}}]))',
        total: "sum(increase(http_requests_total[{{.window}}]))",
      },
      objective: 99.9,
      window: 28 * DAY,
      syntax: "openslo",
    });
  });

  it("take targetPercent, a component annotation, and queries that carry the window themselves", () => {
    const ownWindow = indicator.replace('http_requests_total{code!~"5.."}', "sum(rate(ok[{{.window}}]))");
    const yaml = openslo(
      `${ownWindow}\nobjectives:\n  - targetPercent: 99.5`,
      `preflight/prometheus: ${PROM}\n      preflight/component: web`,
    );
    const slo = sloOf(yaml);
    expect(slo.objective).toBe(99.5);
    expect(slo.window).toBe(30 * DAY);
    expect(slo.target).toEqual({ component: "web" });
    expect(slo.sli).toMatchObject({ good: "sum(rate(ok[{{.window}}]))" });
    const parsed = ZSlos.parse(parse(yaml));
    expect(checkSloReferences(parsed, ["api"])).toEqual([
      { path: ["slos", 0, "metadata", "annotations", "preflight/component"], message: 'no component with id "web"' },
    ]);
  });

  const objectives = "objectives:\n  - target: 0.99";
  it.each([
    [
      "another version",
      openslo(`${indicator}\n${objectives}`).replace("openslo/v1", "openslo/v1alpha"),
      'slos[0].apiVersion: only apiVersion openslo/v1 is supported, got "openslo/v1alpha"',
    ],
    [
      "another kind",
      openslo(`${indicator}\n${objectives}`).replace("kind: SLO", "kind: SLI"),
      'slos[0].kind: only kind SLO is supported here, got "SLI" (put the SLI inline)',
    ],
    [
      "a threshold metric",
      openslo(`${indicator.replace("ratioMetric:", "thresholdMetric:")}\n${objectives}`),
      "slos[0].spec.indicator.spec.thresholdMetric: thresholdMetric is not supported: use ratioMetric (good or bad, and total)",
    ],
    [
      "an indicatorRef",
      openslo(`indicatorRef: web-ratio\n${objectives}`),
      "slos[0].spec.indicatorRef: indicatorRef is not supported: write the SLI inline under spec.indicator",
    ],
    [
      "Timeslices",
      openslo(`${indicator}\nbudgetingMethod: Timeslices\n${objectives}`),
      'slos[0].spec.budgetingMethod: budgetingMethod "Timeslices" is not supported: Preflight budgets a ratio by occurrences',
    ],
    [
      "a calendar window",
      openslo(`${indicator}\n${timeWindow.replace("true", "false")}\n${objectives}`),
      "slos[0].spec.timeWindow[0].isRolling: calendar windows are not supported: set isRolling: true (Preflight's windows are rolling)",
    ],
    [
      "a bad duration",
      openslo(`${indicator}\n${timeWindow.replace("28d", "4 weeks")}\n${objectives}`),
      'slos[0].spec.timeWindow[0].duration: expected a duration shorthand such as "28d" or "1M", got "4 weeks"',
    ],
    [
      "a window under 3 days",
      openslo(`${indicator}\n${timeWindow.replace("28d", "1d")}\n${objectives}`),
      "slos[0].spec.timeWindow[0].duration: window must be at least 3d (the slow-burn alert's window), got 1d",
    ],
    [
      "a target as text",
      openslo(`${indicator}\nobjectives:\n  - target: "99.9%"`),
      "slos[0].spec.objectives[0].target: expected a number from 0 to 1, such as 0.999",
    ],
    [
      "an objective without a target",
      openslo(`${indicator}\nobjectives:\n  - displayName: Good`),
      "slos[0].spec.objectives[0]: required: target (0 to 1) or targetPercent (0 to 100)",
    ],
    [
      "two objectives",
      openslo(`${indicator}\n${objectives}\n  - target: 0.9`),
      "slos[0].spec.objectives: only one objective is supported, got 2",
    ],
    [
      "a target of 1",
      openslo(`${indicator}\nobjectives:\n  - target: 1`),
      "slos[0].spec.objectives[0].target: objective must be above 0 % and below 100 % (100 % leaves no error budget)",
    ],
    [
      "no Prometheus annotation",
      openslo(`${indicator}\n${objectives}`, "team: web"),
      "slos[0].metadata.annotations.preflight/prometheus: required: the URL of the Prometheus to query",
    ],
    [
      "a Datadog source",
      openslo(`${indicator.replaceAll("Prometheus", "Datadog")}\n${objectives}`),
      'slos[0].spec.indicator.spec.ratioMetric.good.metricSource.type: only type Prometheus is supported, got "Datadog"',
    ],
    [
      "a gauge query without the window",
      openslo(`${indicator.replace("counter: true", "counter: false")}\n${objectives}`),
      "slos[0].spec.indicator.spec.ratioMetric.good.metricSource.spec.query: the query must contain {{.window}} where the window goes (e.g. rate(x[{{.window}}])), or, with counter: true, be a counter selector that Preflight wraps in increase()",
    ],
    [
      "alert policies",
      openslo(`${indicator}\n${objectives}\nalertPolicies: [pager]`),
      "slos[0].spec.alertPolicies: alertPolicies are not supported: Preflight alerts on the SRE workbook's multi-window burn rates",
    ],
    [
      "a name Preflight cannot use as an id",
      openslo(`${indicator}\n${objectives}`).replace("name: web-availability", "name: 1web"),
      "slos[0].metadata.name: expected an id of lowercase letters, digits and dashes, starting with a letter",
    ],
  ])("refuse %s at the OpenSLO field", (_name, yaml, expected) => {
    const found = problems(yaml);
    // A gauge refuses both its queries; the first is enough to name the field.
    expect(found[0]).toBe(expected);
  });

  it("read OpenSLO's duration shorthand, a month being 30 days", () => {
    expect(parseShorthand("28d")).toBe(28 * DAY);
    expect(parseShorthand("1M")).toBe(30 * DAY);
    expect(parseShorthand("1w")).toBe(7 * DAY);
    expect(parseShorthand("2Q")).toBe(180 * DAY);
    expect(parseShorthand("1Y")).toBe(365 * DAY);
    expect(parseShorthand("28")).toBeNull();
    expect(parseShorthand("1s")).toBeNull();
  });

  it("wrap only what increase() can take whole: a selector, or the sum of one", () => {
    expect(windowedQuery("up", true)).toBe("sum(increase(up[{{.window}}]))");
    expect(windowedQuery('{__name__="x"}', true)).toBe('sum(increase({__name__="x"}[{{.window}}]))');
    expect(windowedQuery("sum( a{b='c'} )", true)).toBe("sum(increase(a{b='c'}[{{.window}}]))");
    expect(windowedQuery("rate(a[5m]) / 2", true)).toBeNull();
    expect(windowedQuery("up", false)).toBeNull();
    expect(windowedQuery("rate(a[{{.window}}])", false)).toBe("rate(a[{{.window}}])");
  });
});
