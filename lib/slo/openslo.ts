// OpenSLO v1 `kind: SLO` documents, accepted in `slos:` beside Preflight's own form and converted to it. Only what
// Preflight can evaluate faithfully is accepted: a ratio of Prometheus queries budgeted by occurrences over one
// rolling window with one objective. Everything else is refused with the OpenSLO field that asks for it, rather than
// read as something it is not. OpenSLO names no Prometheus server in the SLO itself (that lives in a DataSource
// document Preflight does not read), so the URL, and the component an SLO belongs to, come from annotations, which
// leave the document valid OpenSLO.

export type TPath = (string | number)[];
export type TOpenSloIssue = { path: TPath; message: string };
export type TOpenSloConversion =
  | { ok: true; value: Record<string, unknown>; pathOf: (nativePath: readonly PropertyKey[]) => TPath }
  | { ok: false; issues: TOpenSloIssue[] };

export const OPENSLO_API_VERSION = "openslo/v1";
export const PROMETHEUS_ANNOTATION = "preflight/prometheus";
export const COMPONENT_ANNOTATION = "preflight/component";
/** Sloth's placeholder: each window (5m, 1h, 30d...) is written into the query where it stands. */
export const WINDOW_PLACEHOLDER_RE = /\{\{\s*\.window\s*\}\}/g;

const SHORTHAND_RE = /^(\d+)([mhdwMQY])$/;
// OpenSLO's own lengths for its shorthand units (a month is 30 days, a quarter 90, a year 365).
const SHORTHAND_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  Q: 90 * 86_400_000,
  Y: 365 * 86_400_000,
};
const SELECTOR = String.raw`[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^{}]*\})?|\{[^{}]*\}`;
const SELECTOR_RE = new RegExp(`^(?:${SELECTOR})$`);
const SUM_SELECTOR_RE = new RegExp(`^sum\\s*\\(\\s*(${SELECTOR})\\s*\\)$`);

type TRecord = Record<string, unknown>;
const isRecord = (value: unknown): value is TRecord =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** An entry of `slos:` is an OpenSLO document when it says so with apiVersion (Preflight's own form has none). */
export function isOpenSloDocument(raw: unknown): raw is TRecord {
  return isRecord(raw) && "apiVersion" in raw;
}

/**
 * A PromQL query that evaluates over `{{.window}}`. A counter given as a bare selector (or sum of one), as OpenSLO's
 * examples write them, is wrapped in increase() so that it counts events over each window; any other query must
 * carry the placeholder, since an instant query cannot be stretched over a window from outside.
 */
export function windowedQuery(query: string, counter: boolean): string | null {
  const text = query.trim();
  if (new RegExp(WINDOW_PLACEHOLDER_RE.source).test(text)) return text;
  if (!counter) return null;
  if (SELECTOR_RE.test(text)) return `sum(increase(${text}[{{.window}}]))`;
  const inner = SUM_SELECTOR_RE.exec(text)?.[1];
  return inner ? `sum(increase(${inner}[{{.window}}]))` : null;
}

/** OpenSLO's duration shorthand ("28d", "1M") in milliseconds, or null. */
export function parseShorthand(text: unknown): number | null {
  const match = typeof text === "string" ? SHORTHAND_RE.exec(text.trim()) : null;
  if (!match) return null;
  return Number(match[1]) * (SHORTHAND_MS[match[2] ?? ""] ?? Number.NaN);
}

class Issues {
  readonly list: TOpenSloIssue[] = [];
  add(path: TPath, message: string): undefined {
    this.list.push({ path, message });
    return undefined;
  }
}

/** Converts one OpenSLO v1 SLO document to the input of Preflight's own SLO schema (validated after this). */
export function convertOpenSlo(doc: TRecord): TOpenSloConversion {
  const issues = new Issues();
  if (doc.apiVersion !== OPENSLO_API_VERSION)
    issues.add(
      ["apiVersion"],
      `only apiVersion ${OPENSLO_API_VERSION} is supported, got ${JSON.stringify(doc.apiVersion)}`,
    );
  if (doc.kind !== "SLO")
    issues.add(["kind"], `only kind SLO is supported here, got ${JSON.stringify(doc.kind)} (put the SLI inline)`);
  const metadata = isRecord(doc.metadata) ? doc.metadata : issues.add(["metadata"], "required: expected a map");
  const spec = isRecord(doc.spec) ? doc.spec : issues.add(["spec"], "required: expected a map");
  if (!metadata || !spec || issues.list.length > 0) return { ok: false, issues: issues.list };

  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const objective = convertObjective(spec, issues);
  const window = convertWindow(spec, issues);
  const ratio = convertIndicator(spec, annotations, issues);
  checkUnsupported(spec, issues);
  if (issues.list.length > 0) return { ok: false, issues: issues.list };

  const value: TRecord = {
    id: metadata.name,
    name: metadata.displayName ?? metadata.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    ...(annotations[COMPONENT_ANNOTATION] !== undefined ? { component: annotations[COMPONENT_ANNOTATION] } : {}),
    sli: { ratio },
    objective: objective?.value,
    window,
  };
  return { ok: true, value, pathOf: (path) => nativeToOpenSloPath(path, metadata, objective?.field ?? "target") };
}

function convertObjective(spec: TRecord, issues: Issues): { value: number; field: string } | undefined {
  const objectives = spec.objectives;
  if (!Array.isArray(objectives) || objectives.length === 0)
    return issues.add(["spec", "objectives"], "required: expected a list with one objective");
  if (objectives.length > 1)
    return issues.add(["spec", "objectives"], `only one objective is supported, got ${objectives.length}`);
  const first: unknown = objectives[0];
  if (!isRecord(first)) return issues.add(["spec", "objectives", 0], "expected a map with target or targetPercent");
  for (const field of ["op", "value", "timeSliceTarget", "timeSliceWindow"])
    if (first[field] !== undefined)
      issues.add(
        ["spec", "objectives", 0, field],
        `${field} is not supported (it belongs to thresholdMetric or Timeslices)`,
      );
  const { target, targetPercent } = first;
  if (target !== undefined && targetPercent !== undefined)
    return issues.add(["spec", "objectives", 0], "give target or targetPercent, not both");
  if (typeof targetPercent === "number") return { value: targetPercent, field: "targetPercent" };
  if (typeof target === "number") {
    // 0.999 * 100 is 99.89999999999999 in binary floating point; ten decimals are far finer than any objective.
    return { value: Math.round(target * 1e12) / 1e10, field: "target" };
  }
  if (targetPercent !== undefined)
    return issues.add(["spec", "objectives", 0, "targetPercent"], "expected a number from 0 to 100, such as 99.9");
  if (target !== undefined)
    return issues.add(["spec", "objectives", 0, "target"], "expected a number from 0 to 1, such as 0.999");
  return issues.add(["spec", "objectives", 0], "required: target (0 to 1) or targetPercent (0 to 100)");
}

function convertWindow(spec: TRecord, issues: Issues): number | undefined {
  const windows = spec.timeWindow;
  if (windows === undefined) return undefined; // Preflight's default window applies.
  if (!Array.isArray(windows) || windows.length !== 1)
    return issues.add(["spec", "timeWindow"], "expected a list with exactly one time window");
  const window: unknown = windows[0];
  if (!isRecord(window)) return issues.add(["spec", "timeWindow", 0], "expected a map with duration and isRolling");
  if (window.isRolling !== true || window.calendar !== undefined)
    issues.add(
      ["spec", "timeWindow", 0, "isRolling"],
      "calendar windows are not supported: set isRolling: true (Preflight's windows are rolling)",
    );
  const ms = parseShorthand(window.duration);
  if (ms === null)
    return issues.add(
      ["spec", "timeWindow", 0, "duration"],
      `expected a duration shorthand such as "28d" or "1M", got ${JSON.stringify(window.duration)}`,
    );
  return ms;
}

type TRatio = { prometheus: unknown; good?: string; bad?: string; total?: string };

function convertIndicator(spec: TRecord, annotations: TRecord, issues: Issues): TRatio | undefined {
  if (spec.indicatorRef !== undefined)
    return issues.add(
      ["spec", "indicatorRef"],
      "indicatorRef is not supported: write the SLI inline under spec.indicator",
    );
  const indicatorSpec = isRecord(spec.indicator) && isRecord(spec.indicator.spec) ? spec.indicator.spec : undefined;
  if (!indicatorSpec) return issues.add(["spec", "indicator"], "required: expected indicator.spec.ratioMetric");
  const at: TPath = ["spec", "indicator", "spec"];
  if (indicatorSpec.thresholdMetric !== undefined)
    return issues.add(
      [...at, "thresholdMetric"],
      "thresholdMetric is not supported: use ratioMetric (good or bad, and total)",
    );
  const ratio = indicatorSpec.ratioMetric;
  if (!isRecord(ratio))
    return issues.add([...at, "ratioMetric"], "required: expected a map with good or bad, and total");
  if (ratio.raw !== undefined || ratio.rawType !== undefined)
    return issues.add([...at, "ratioMetric", "raw"], "raw ratios are not supported: give good or bad, and total");
  const counter = ratio.counter === true;
  const out: TRatio = { prometheus: annotations[PROMETHEUS_ANNOTATION] };
  if (out.prometheus === undefined)
    issues.add(["metadata", "annotations", PROMETHEUS_ANNOTATION], "required: the URL of the Prometheus to query");
  if (ratio.good !== undefined && ratio.bad !== undefined)
    issues.add([...at, "ratioMetric"], "give good or bad, not both");
  for (const part of ["good", "bad", "total"] as const) {
    if (ratio[part] === undefined) {
      if (part === "total" || (part === "good" && ratio.bad === undefined))
        issues.add([...at, "ratioMetric", part], "required: expected a metricSource with a Prometheus query");
      continue;
    }
    const query = convertMetric(ratio[part], counter, [...at, "ratioMetric", part], issues);
    if (query !== undefined) out[part] = query;
  }
  return out;
}

function convertMetric(metric: unknown, counter: boolean, at: TPath, issues: Issues): string | undefined {
  const source = isRecord(metric) && isRecord(metric.metricSource) ? metric.metricSource : undefined;
  if (!source) return issues.add(at, "expected metricSource with type: Prometheus and spec.query");
  if (typeof source.type !== "string" || source.type.toLowerCase() !== "prometheus")
    return issues.add(
      [...at, "metricSource", "type"],
      `only type Prometheus is supported, got ${JSON.stringify(source.type)}`,
    );
  const query = isRecord(source.spec) ? source.spec.query : undefined;
  if (typeof query !== "string" || query.trim() === "")
    return issues.add([...at, "metricSource", "spec", "query"], "required: expected a PromQL query");
  const windowed = windowedQuery(query, counter);
  if (windowed === null)
    return issues.add(
      [...at, "metricSource", "spec", "query"],
      "the query must contain {{.window}} where the window goes (e.g. rate(x[{{.window}}])), or, with counter: true, " +
        "be a counter selector that Preflight wraps in increase()",
    );
  return windowed;
}

function checkUnsupported(spec: TRecord, issues: Issues): void {
  if (spec.budgetingMethod !== undefined && spec.budgetingMethod !== "Occurrences")
    issues.add(
      ["spec", "budgetingMethod"],
      `budgetingMethod ${JSON.stringify(spec.budgetingMethod)} is not supported: ` +
        "Preflight budgets a ratio by occurrences",
    );
  if (Array.isArray(spec.alertPolicies) ? spec.alertPolicies.length > 0 : spec.alertPolicies !== undefined)
    issues.add(
      ["spec", "alertPolicies"],
      "alertPolicies are not supported: Preflight alerts on the SRE workbook's multi-window burn rates",
    );
}

/** Where in the OpenSLO document a problem with a field of the converted SLO was written. */
function nativeToOpenSloPath(path: readonly PropertyKey[], metadata: TRecord, objectiveField: string): TPath {
  const [head, second, third] = path;
  if (head === "id") return ["metadata", "name"];
  if (head === "name") return ["metadata", metadata.displayName !== undefined ? "displayName" : "name"];
  if (head === "description") return ["spec", "description"];
  if (head === "component") return ["metadata", "annotations", COMPONENT_ANNOTATION];
  if (head === "objective") return ["spec", "objectives", 0, objectiveField];
  if (head === "window") return ["spec", "timeWindow", 0, "duration"];
  if (head === "sli" && second === "ratio") {
    if (third === "prometheus") return ["metadata", "annotations", PROMETHEUS_ANNOTATION];
    if (third === "good" || third === "bad" || third === "total")
      return ["spec", "indicator", "spec", "ratioMetric", third, "metricSource", "spec", "query"];
    return ["spec", "indicator", "spec", "ratioMetric"];
  }
  return [];
}
