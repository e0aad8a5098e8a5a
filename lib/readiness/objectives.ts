// Keptn-style objectives on a measured check: `pass` and `warning` criteria on its value, absolute ("<= 200") or
// relative to a baseline frozen in an earlier snapshot ("<=+10%": at most 10 % above it, ">=-5": at most 5 below),
// in the check's own unit. Every criterion of a list must hold (Keptn's AND within one criteria list). A relative
// criterion without a baseline is never met and never failed: the check is pending, with the reason.

export type TCriterionOperator = "<" | "<=" | ">" | ">=" | "=";

export type TCriterion = {
  source: string;
  operator: TCriterionOperator;
  /** Absolute: the limit itself. Relative: a change from the baseline, in percent or in the value's unit. */
  amount: number;
  relative: "none" | "percent" | "absolute";
};

export type TCriterionParse = { ok: true; criterion: TCriterion } | { ok: false; error: string };

const CRITERION = /^(<=|>=|<|>|=)\s*([+-])?\s*(\d+(?:\.\d+)?|\.\d+)\s*(%)?$/;

/**
 * `<=+10%`, `>= -5 %`, `< 600`, `=0`. A sign makes it relative to the baseline; `%` (only with a sign) makes the
 * change a percentage of the baseline. A bare percentage ("<= 10%") is refused: it reads as relative or absolute.
 */
export function parseCriterion(source: string): TCriterionParse {
  const match = CRITERION.exec(source.trim());
  if (!match)
    return {
      ok: false,
      error: `${JSON.stringify(source)} is not a criterion: expected an operator (<, <=, >, >=, =) and a number, with a sign for a change from the baseline ("<=+10%", ">=-5", "< 600")`,
    };
  const [, operator, sign, digits, percent] = match;
  if (percent && !sign)
    return {
      ok: false,
      error: `${JSON.stringify(source)}: a percentage needs a sign, as a change from the baseline ("<=+10%"); write an absolute limit without "%"`,
    };
  const magnitude = Number(digits);
  return {
    ok: true,
    criterion: {
      source: source.trim(),
      operator: operator as TCriterionOperator,
      amount: sign === "-" ? -magnitude : magnitude,
      relative: !sign ? "none" : percent ? "percent" : "absolute",
    },
  };
}

export const isRelative = (criteria: TCriterion[]) => criteria.some((c) => c.relative !== "none");

/** The limit the value is held to: the criterion's own, or the baseline moved by the criterion's change. */
export function limitOf(criterion: TCriterion, baseline: number | null): number | null {
  if (criterion.relative === "none") return criterion.amount;
  if (baseline === null) return null;
  return criterion.relative === "percent"
    ? baseline + (Math.abs(baseline) * criterion.amount) / 100
    : baseline + criterion.amount;
}

function holds(operator: TCriterionOperator, value: number, limit: number): boolean {
  switch (operator) {
    case "<":
      return value < limit;
    case "<=":
      return value <= limit;
    case ">":
      return value > limit;
    case ">=":
      return value >= limit;
    case "=":
      return value === limit;
  }
}

export type TCriteriaOutcome =
  | { state: "met" }
  | { state: "unmet"; failing: { source: string; limit: number }[] }
  | { state: "no baseline" };

/** Whether every criterion holds for `value`; relative ones against `baseline` (null: none to compare with). */
export function judgeCriteria(criteria: TCriterion[], value: number, baseline: number | null): TCriteriaOutcome {
  const failing: { source: string; limit: number }[] = [];
  for (const criterion of criteria) {
    const limit = limitOf(criterion, baseline);
    if (limit === null) return { state: "no baseline" };
    if (!holds(criterion.operator, value, limit)) failing.push({ source: criterion.source, limit });
  }
  return failing.length === 0 ? { state: "met" } : { state: "unmet", failing };
}
