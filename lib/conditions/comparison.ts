// A PromQL check's condition is a probe condition on [VALUE]: one grammar for `[VALUE] < 0.01` wherever it is
// written, narrowed to the comparisons a single number can answer.
import { evaluateCondition } from "./evaluate";
import { parseCondition } from "./parse";
import type { Condition, Operator } from "./types";

export const VALUE_COMPARISON_OPERATORS = ["<", "<=", ">", ">=", "==", "!="] as const satisfies readonly Operator[];
export type TComparisonOperator = (typeof VALUE_COMPARISON_OPERATORS)[number];

export type TValueComparison = { condition: Condition; operator: TComparisonOperator; limit: number };

export type TValueComparisonResult = ({ ok: true } & TValueComparison) | { ok: false; error: string; column: number };

/** Parses `[VALUE] < 0.01`; the error carries the 1-based column, as a probe condition's does. */
export function parseValueComparison(source: string, subject = "promql checks"): TValueComparisonResult {
  const parsed = parseCondition(source, ["VALUE"], { subject, operators: VALUE_COMPARISON_OPERATORS });
  if (!parsed.ok) return parsed;
  const { condition } = parsed;
  // The parser already holds [VALUE] to numbers and the operator to the list above; this narrows the types.
  if (condition.literal.kind !== "number")
    return { ok: false, error: `expected a number, got ${condition.literal.text}`, column: 1 };
  return { ok: true, condition, operator: condition.operator as TComparisonOperator, limit: condition.literal.value };
}

/** Whether `value` satisfies the comparison, judged by the same evaluator as every probe condition. */
export function satisfiesComparison(comparison: TValueComparison, value: number): boolean {
  return evaluateCondition(comparison.condition, { VALUE: value }).pass;
}
