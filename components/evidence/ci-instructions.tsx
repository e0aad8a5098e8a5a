import { Section } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { SUITE_KINDS } from "@/lib/services/evidence/ingest";

// The evidence page's "Push from CI": a token, then one curl per kind of evidence, filled in with this
// configuration's names.

function Code({ children }: { children: string }) {
  return <CodeBlock label={`Command: ${children.split("\n")[0]?.slice(0, 60) ?? ""}`}>{children}</CodeBlock>;
}

export type TCiInstructionsProps = {
  origin: string;
  /** Why the address is a placeholder, or null when it is the configured one. */
  placeholder: string | null;
  suite: string;
  kind: string;
  loadTest: string;
  experiment: string;
  component: string;
  attestation: string;
  attestationIds: string[];
  expires: string;
  /** The example fault's start and end. */
  minute: [string, string];
};

export function CiInstructions({
  origin,
  placeholder,
  suite,
  kind,
  loadTest,
  experiment,
  component,
  attestation,
  attestationIds,
  expires,
  minute,
}: TCiInstructionsProps) {
  return (
    <Section id="ci" title="Push from CI" className="space-y-3">
      <p className="text-sm">
        Create a token once on the machine that runs Preflight and store it as a CI secret (it is shown only at
        creation):
      </p>
      <Code>npm run token -- create --name ci --scope evidence:write --scope readiness:read</Code>
      <p className="text-sm">
        Then send each report as the request body (not as a multipart form) with{" "}
        <code className="font-mono">Authorization: Bearer $PREFLIGHT_TOKEN</code>. A stored payload is answered{" "}
        <code className="font-mono">201</code> with what was stored and the readiness it gives; a refused one with its
        reason: <code className="font-mono">400</code> when it cannot be read, <code className="font-mono">422</code>{" "}
        when a value is wrong, <code className="font-mono">401</code>/<code className="font-mono">403</code> for the
        token, <code className="font-mono">413</code> over the size limit, <code className="font-mono">415</code> for
        another Content-Type.
      </p>
      <h3 className="text-sm font-semibold">JUnit XML</h3>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        <code className="font-mono">suite</code>: the name a <code className="font-mono">testSuite</code> check names;{" "}
        <code className="font-mono">kind</code>: one of {SUITE_KINDS.join(", ")}.
      </p>
      {placeholder === null ? null : (
        <p role="note" className="text-xs text-slate-600 dark:text-slate-300">
          The address below is a placeholder: {placeholder}.
        </p>
      )}
      <Code>{`PREFLIGHT_URL=${origin}
curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/junit?suite=${encodeURIComponent(suite)}&kind=${kind}" \\
-H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/xml" \\
--data-binary @reports/junit.xml`}</Code>
      <h3 className="text-sm font-semibold">k6 summary</h3>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        <code className="font-mono">test</code>: the name a <code className="font-mono">loadTest</code> check names. The
        file is what <code className="font-mono">handleSummary</code> writes,{" "}
        <code className="font-mono">--summary-export</code>, or the machine-readable summary.
      </p>
      <Code>{`curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/k6?test=${encodeURIComponent(loadTest)}" \\
-H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" \\
--data-binary @summary.json`}</Code>
      <h3 className="text-sm font-semibold">Chaos experiment</h3>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        An experiment object once the fault has ended (<code className="font-mono">target</code> is a component id), or
        a Litmus ChaosResult with <code className="font-mono">?target=COMPONENT_ID</code> (and{" "}
        <code className="font-mono">startedAt</code>/<code className="font-mono">endedAt</code> when the object lacks
        them). The recovery time is measured from probe history, never taken from the payload.
      </p>
      <Code>{`curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/chaos" \\
-H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" \\
--data '{"name":"${experiment}","fault":"pod-delete","target":"${component}","startedAt":"${minute[0]}","endedAt":"${minute[1]}"}'

kubectl get chaosresult NAME -o json --show-managed-fields | curl --fail-with-body -X POST \\
"$PREFLIGHT_URL/api/v1/evidence/chaos?target=${component}" \\
-H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" --data-binary @-`}</Code>
      <h3 className="text-sm font-semibold">Attestation</h3>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        <code className="font-mono">check</code>: an attestation check of the scorecard
        {attestationIds.length > 0 ? ` (${attestationIds.join(", ")})` : ""}; recorded as attested by the token&apos;s
        pipeline unless <code className="font-mono">attestedBy</code> is given.
      </p>
      <Code>{`curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/attestations" \\
-H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" \\
--data '{"check":"${attestation}","answer":"yes","evidenceUrl":"https://ci.example.com/runs/123","comment":"","expiresAt":"${expires}T00:00:00Z"}'`}</Code>
      <h3 className="text-sm font-semibold">Gate</h3>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        The readiness and gate verdict as JSON (needs the <code className="font-mono">readiness:read</code> scope);{" "}
        <code className="font-mono">.gate.passed</code> says whether to go on.
      </p>
      <Code>{`curl --fail-with-body -H "Authorization: Bearer $PREFLIGHT_TOKEN" "$PREFLIGHT_URL/api/v1/readiness" | jq -e .gate.passed`}</Code>
    </Section>
  );
}
