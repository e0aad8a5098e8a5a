import { ObservedAge, Source } from "@/components/ui/provenance";
import { Table } from "@/components/ui/table";
import { CriticalMark, KeyMark, VerdictBadge } from "@/components/ui/verdict-badge";
import type { CheckResult } from "@/lib/readiness/evaluate";

// The scorecard's checks of one category, and what the page says when no scorecard is configured.

export const KIND_LABEL: Record<CheckResult["kind"], string> = {
  componentUp: "probe",
  uptime: "uptime",
  baseline: "baseline",
  testSuite: "JUnit",
  loadTest: "k6",
  coverage: "coverage",
  scan: "SARIF",
  vulnerabilities: "vulnerabilities",
  sbom: "SBOM",
  manifests: "manifests",
  compose: "compose",
  chaos: "chaos",
  promql: "PromQL",
  slo: "SLO",
  regression: "Regression",
  attestation: "attestation",
  check: "check",
};

export function NotConfigured() {
  return (
    <p className="rounded border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700">
      No scorecard is configured. Add a <code className="font-mono">scorecard:</code> section to the configuration
      (categories with weights, each with checks of the kinds{" "}
      {Object.keys(KIND_LABEL).map((kind, i, all) => (
        <span key={kind}>
          <code className="font-mono">{kind}</code>
          {i < all.length - 2 ? ", " : i === all.length - 2 ? " or " : ""}
        </span>
      ))}
      ; docs/configuration.md describes each); the shipped <code className="font-mono">preflight.config.yaml</code> has
      one to start from.
    </p>
  );
}

export function ChecksTable({ name, checks, now }: { name: string; checks: CheckResult[]; now: string }) {
  return (
    <Table
      caption={`Checks of ${name}: verdict, measured value, threshold, source and age`}
      captionHidden
      rows={checks}
      rowKey={(c) => c.id}
      rowProps={(c) => ({ id: `check-${c.id}`, "data-check": c.id, "data-verdict": c.verdict })}
      columns={[
        { key: "verdict", header: "Verdict", primary: true, cell: (c) => <VerdictBadge verdict={c.verdict} /> },
        {
          key: "check",
          header: "Check",
          primary: true,
          rowHeader: true,
          className: "font-medium",
          cell: (c) => (
            <>
              {c.name}
              {c.critical ? <CriticalMark /> : null}
              {c.key ? <KeyMark /> : null}
              <div className="text-xs font-normal text-slate-500 dark:text-slate-400">
                {KIND_LABEL[c.kind]} · weight {c.weight}
              </div>
              {c.reason ? (
                <div
                  className={`mt-1 text-xs font-normal ${c.verdict === "failed" ? "text-red-800 dark:text-red-300" : "text-slate-600 dark:text-slate-300"}`}
                >
                  {c.verdict === "waived" ? "" : "Why: "}
                  {c.reason}
                </div>
              ) : null}
            </>
          ),
        },
        {
          key: "measured",
          header: "Measured",
          className: "tabular-nums",
          cell: (c) => (
            <span data-testid="check-measured">
              {c.measured ?? <span className="text-slate-500 dark:text-slate-400">no evidence</span>}
            </span>
          ),
        },
        { key: "threshold", header: "Threshold", cell: (c) => c.threshold },
        {
          key: "source",
          header: "Source · age",
          className: "text-xs text-slate-600 md:max-w-sm md:min-w-48 dark:text-slate-300",
          cell: (c) => (
            <>
              <Source source={c.source} evidenceUrl={c.evidenceUrl} />
              <div>
                <ObservedAge at={c.observedAt} now={now} />
              </div>
            </>
          ),
        },
      ]}
    />
  );
}
