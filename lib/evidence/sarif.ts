import { z } from "zod";
import { describeValue } from "./input";
import { formatZodError } from "./zod-issues";

// Static analysis and security scans as SARIF 2.1.0, from any tool (CodeQL, Semgrep, ESLint, Trivy, Bandit…): each
// result with its effective level, rule, file and line. Pure: the parsed JSON in, findings out.
//
// As SARIF 2.1.0 defines them (OASIS standard, §3.27):
// - level: the result's own `level`; else, when its `kind` is not "fail", "none"; else the rule's
//   defaultConfiguration.level (found by ruleIndex, else by ruleId); else "warning". The rule lives in the tool
//   component the result names (§3.52.7 `rule.toolComponent`): CodeQL leaves `tool.driver.rules` empty and puts its
//   queries' rules in `tool.extensions[n].rules` (the query pack), so a result's level is its extension rule's.
// - suppressions (§3.27.23, §3.35): a result with at least one suppression whose status is absent or "accepted" is
//   suppressed; "underReview" and "rejected" ones are not. A suppressed result is kept and shown, but not counted.
// - baselineState (§3.27.24): "absent" means the result was in the baseline and is gone now: not a finding.

export const SARIF_LEVELS = ["error", "warning", "note", "none"] as const;
export type TSarifLevel = (typeof SARIF_LEVELS)[number];

export type TSarifFinding = {
  tool: string;
  ruleId: string | null;
  level: TSarifLevel;
  message: string;
  uri: string | null;
  line: number | null;
  suppressed: boolean;
  baselineState: string | null;
};

export type TSarifReport = {
  tools: string[];
  /** Unsuppressed findings by level. */
  counts: Record<TSarifLevel, number>;
  suppressed: number;
  findings: TSarifFinding[];
};

export type TParseSarifResult = { ok: true; report: TSarifReport } | { ok: false; error: string };

const ZLevel = z.enum(SARIF_LEVELS, { error: 'expected "error", "warning", "note" or "none"' });
const ZMessage = z.object({ text: z.string().optional(), markdown: z.string().optional(), id: z.string().optional() });
const ZLine = z.number().int().min(1);

const ZResult = z.object({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().min(-1).optional(),
  rule: z
    .object({
      id: z.string().optional(),
      index: z.number().int().min(-1).optional(),
      toolComponent: z.object({ index: z.number().int().min(-1).optional(), name: z.string().optional() }).optional(),
    })
    .optional(),
  kind: z.enum(["notApplicable", "pass", "fail", "review", "open", "informational"]).optional(),
  level: ZLevel.optional(),
  message: ZMessage,
  locations: z
    .array(
      z.object({
        physicalLocation: z
          .object({
            artifactLocation: z
              .object({ uri: z.string().optional(), index: z.number().int().min(-1).optional() })
              .optional(),
            region: z.object({ startLine: ZLine.optional() }).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
  suppressions: z
    .array(z.object({ kind: z.string(), status: z.enum(["accepted", "underReview", "rejected"]).optional() }))
    .optional(),
  baselineState: z.enum(["new", "unchanged", "updated", "absent"]).optional(),
});

const ZRule = z.object({ id: z.string(), defaultConfiguration: z.object({ level: ZLevel.optional() }).optional() });

export const ZSarif = z.object({
  version: z.literal("2.1.0", { error: 'expected SARIF version "2.1.0"' }),
  runs: z.array(
    z.object({
      tool: z.object({
        driver: z.object({ name: z.string().min(1), rules: z.array(ZRule).optional() }),
        extensions: z.array(z.object({ name: z.string(), rules: z.array(ZRule).optional() })).optional(),
      }),
      artifacts: z.array(z.object({ location: z.object({ uri: z.string().optional() }).optional() })).optional(),
      results: z.array(ZResult).nullable().optional(),
    }),
  ),
});

/** Findings kept per report: enough to read and compare, not an archive. */
export const MAX_FINDINGS = 1000;
const MESSAGE_MAX = 500;

export function parseSarif(input: unknown): TParseSarifResult {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { ok: false, error: `expected a SARIF log object, got ${describeValue(input)}` };
  const parsed = ZSarif.safeParse(input);
  if (!parsed.success) return { ok: false, error: `invalid SARIF: ${formatZodError(parsed.error)}` };
  const counts: Record<TSarifLevel, number> = { error: 0, warning: 0, note: 0, none: 0 };
  let suppressed = 0;
  const findings: TSarifFinding[] = [];
  const tools: string[] = [];
  for (const run of parsed.data.runs) {
    const tool = run.tool.driver.name;
    if (!tools.includes(tool)) tools.push(tool);
    const driverRules = run.tool.driver.rules ?? [];
    const extensions = run.tool.extensions ?? [];
    for (const result of run.results ?? []) {
      if (result.baselineState === "absent") continue;
      // The component whose rules the result's index points into: an extension by index or name, else the driver.
      const component = result.rule?.toolComponent;
      const extension =
        component === undefined
          ? undefined
          : component.index !== undefined && component.index >= 0
            ? extensions[component.index]
            : extensions.find((e) => e.name === component.name);
      const rules = extension?.rules ?? driverRules;
      const index = result.rule?.index ?? result.ruleIndex;
      const ruleId =
        result.ruleId ?? result.rule?.id ?? (index !== undefined && index >= 0 ? rules[index]?.id : undefined) ?? null;
      const rule = (index !== undefined && index >= 0 ? rules[index] : undefined) ?? rules.find((r) => r.id === ruleId);
      const level: TSarifLevel =
        result.level ??
        (result.kind !== undefined && result.kind !== "fail"
          ? "none"
          : (rule?.defaultConfiguration?.level ?? "warning"));
      const isSuppressed = (result.suppressions ?? []).some((s) => s.status === undefined || s.status === "accepted");
      if (isSuppressed) suppressed += 1;
      else counts[level] += 1;
      const location = result.locations?.[0]?.physicalLocation;
      const artifact = location?.artifactLocation;
      const uri =
        artifact?.uri ??
        (artifact?.index !== undefined && artifact.index >= 0
          ? run.artifacts?.[artifact.index]?.location?.uri
          : undefined) ??
        null;
      if (findings.length < MAX_FINDINGS) {
        findings.push({
          tool,
          ruleId,
          level,
          message: (result.message.text ?? result.message.markdown ?? result.message.id ?? "").slice(0, MESSAGE_MAX),
          uri: uri === null ? null : uri.slice(0, 1000),
          line: location?.region?.startLine ?? null,
          suppressed: isSuppressed,
          baselineState: result.baselineState ?? null,
        });
      }
    }
  }
  return { ok: true, report: { tools, counts, suppressed, findings } };
}

/** The levels from most to least severe: "at or above warning" is error and warning. */
export function levelsAtOrAbove(level: Exclude<TSarifLevel, "none">): TSarifLevel[] {
  return SARIF_LEVELS.slice(0, SARIF_LEVELS.indexOf(level) + 1);
}
