import { formatNumber, formatPercent } from "../format";
import type { TSloResult } from "../slo/read";
import type { TDeploymentVerdict } from "../statement/deployment";
import type { CheckResult } from "./evaluate";

// The rules a pipeline can add to the gate (GET /api/v1/readiness?minBudget=25&noFastBurn=true&requireSoak=true
// &digest=…&requireStatement=true, and the same flags on `npx preflight gate`): error budget left on every SLO, no
// SLO in fast burn, every soaking check through its soak, a readiness statement that stands for the digest being
// deployed. Each answers passed or not with its reasons, so the JSON and the exit code say which rule failed.

export type TGateRuleName = "min-budget" | "no-fast-burn" | "soak" | "statement";
export type TGateRule = { rule: TGateRuleName; passed: boolean; reasons: string[] };

export type TGateRequest = {
  /** Every SLO keeps at least this much of its error budget (percent). */
  minBudgetPct?: number;
  noFastBurn?: boolean;
  requireSoak?: boolean;
  /** The deployment's digest and, when required, the statement's verdict for it. */
  statement?: TDeploymentVerdict;
};

export type TGateQuery =
  | { ok: true; request: Omit<TGateRequest, "statement"> & { digest?: string; requireStatement?: boolean } }
  | { ok: false; error: string };

const FLAGS = ["minBudget", "noFastBurn", "requireSoak", "digest", "requireStatement"] as const;

/** The rules asked for in a readiness URL's query; an unknown or malformed parameter is named. */
export function parseGateQuery(params: URLSearchParams): TGateQuery {
  for (const key of new Set(params.keys())) {
    if (!(FLAGS as readonly string[]).includes(key))
      return { ok: false, error: `unknown query parameter "${key}": expected ${FLAGS.join(", ")}` };
    if (params.getAll(key).length > 1) return { ok: false, error: `query parameter "${key}" is given twice` };
  }
  const request: Omit<TGateRequest, "statement"> & { digest?: string; requireStatement?: boolean } = {};
  const flag = (key: string): boolean | string => {
    const value = params.get(key);
    if (value === null) return false;
    if (value === "" || value === "true" || value === "1") return true;
    if (value === "false" || value === "0") return false;
    return `${key}: expected true or false, got "${value.slice(0, 40)}"`;
  };
  const budget = params.get("minBudget");
  if (budget !== null) {
    const n = Number(budget);
    if (budget.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100)
      return { ok: false, error: `minBudget: expected a percentage between 0 and 100, got "${budget.slice(0, 40)}"` };
    request.minBudgetPct = n;
  }
  const flags: Record<string, boolean> = {};
  for (const key of ["noFastBurn", "requireSoak", "requireStatement"]) {
    const value = flag(key);
    if (typeof value === "string") return { ok: false, error: value };
    flags[key] = value;
  }
  if (flags.noFastBurn) request.noFastBurn = true;
  if (flags.requireSoak) request.requireSoak = true;
  if (flags.requireStatement) request.requireStatement = true;
  const digest = params.get("digest");
  if (digest !== null) request.digest = digest;
  if (request.requireStatement && !digest)
    return { ok: false, error: "requireStatement needs digest: the artefact being deployed (sha256:…)" };
  return { ok: true, request };
}

/** Judges each requested rule; rules not asked for are left out. */
export function judgeGateRules(request: TGateRequest, slos: readonly TSloResult[], checks: readonly CheckResult[]) {
  const rules: TGateRule[] = [];
  if (request.minBudgetPct !== undefined) {
    const min = request.minBudgetPct;
    const reasons = slos.flatMap((s) => {
      if (s.budget.remainingPct === null) return [`SLO "${s.name}": no budget figure (${s.reason ?? "no data"})`];
      return s.budget.remainingPct < min
        ? [
            `SLO "${s.name}": ${formatPercent(s.budget.remainingPct)} of its error budget left, below ${formatPercent(min)}`,
          ]
        : [];
    });
    if (slos.length === 0) reasons.push("no SLO is configured to have a budget");
    rules.push({ rule: "min-budget", passed: reasons.length === 0, reasons });
  }
  if (request.noFastBurn) {
    const reasons = slos
      .filter((s) => s.alert === "fast burn")
      .map((s) => {
        const rate = s.burn["1h"];
        return `SLO "${s.name}" is in fast burn (1 h burn rate ${rate === null ? "unknown" : `${formatNumber(rate)}×`})`;
      });
    rules.push({ rule: "no-fast-burn", passed: reasons.length === 0, reasons });
  }
  if (request.requireSoak) {
    const soaking = checks.filter((c) => c.heldSince !== undefined);
    const reasons = soaking
      .filter((c) => c.verdict !== "passed" && c.verdict !== "waived")
      .map((c) => `soak "${c.name}": ${c.reason ?? c.verdict}`);
    if (soaking.length === 0) reasons.push("no check has a soak (holdFor) to require");
    rules.push({ rule: "soak", passed: reasons.length === 0, reasons });
  }
  if (request.statement) {
    const s = request.statement;
    rules.push({ rule: "statement", passed: s.passed, reasons: s.passed ? [] : [s.reason] });
  }
  return rules;
}
