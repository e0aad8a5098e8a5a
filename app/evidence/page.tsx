import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { getConfig } from "@/lib/config/current";
import { getEnv } from "@/lib/env";
import { getPublicBaseUrl } from "@/lib/public-url";
import { formatDuration } from "@/lib/format";
import { allChecks } from "@/lib/queries/readiness";
import { attestationChecks, SUITE_KINDS } from "@/lib/services/evidence/ingest";
import { AttestationForm, ChaosForm, JUnitForm, K6Form } from "./client";
import { requirePermission } from "@/lib/auth/session";
import { withDatabasePage } from "@/components/outage/with-database";

export const metadata: Metadata = { title: "Evidence" };

/** Server actions accept bodies up to 11 MB (next.config.ts); larger reports go through the API. */
const FORM_MAX_BYTES = 10 * 1024 * 1024;

function Code({ children }: { children: string }) {
  return <pre className="overflow-x-auto rounded bg-slate-100 p-3 font-mono text-xs leading-relaxed dark:bg-slate-950">{children}</pre>;
}

async function EvidencePage() {
  await connection();
  await requirePermission("evidence:write");
  const { config } = getConfig();
  const checks = config.scorecard ? allChecks(config.scorecard) : [];
  const unique = (values: string[]) => [...new Set(values)];
  const suites = unique(checks.flatMap((c) => (c.kind === "testSuite" ? [c.suite] : [])));
  const loadTests = unique(checks.flatMap((c) => (c.kind === "loadTest" ? [c.test] : [])));
  const experiments = unique(checks.flatMap((c) => (c.kind === "chaos" ? [c.experiment] : [])));
  const attestations = attestationChecks(config).map((c) => ({ id: c.id, name: c.name, question: c.question, maxAge: c.maxAge === undefined ? null : formatDuration(c.maxAge), critical: c.critical }));
  const maxUploadBytes = Math.min(config.evidence.maxUploadBytes, FORM_MAX_BYTES);

  // The configured address, as invitation links carry it; never the Host this request names.
  const publicBase = getPublicBaseUrl(getEnv());
  const origin = publicBase.ok ? publicBase.url : "https://preflight.example.com";
  const now = new Date().getTime();
  const minute = (offset: number) => new Date(Math.floor((now + offset) / 60_000) * 60_000).toISOString().replace(".000Z", "Z");
  const suite = suites[0] ?? "unit";
  const kind = (SUITE_KINDS as readonly string[]).includes(suite) ? suite : "unit";
  const component = config.components[0]?.id ?? "api";
  const attestation = attestations[0]?.id ?? "backup-restore";
  const expires = new Date(now + 30 * 86_400_000).toISOString().slice(0, 10);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Evidence</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          What the scorecard judges beyond the probes: test results, load tests, chaos experiments and attestations. CI pushes them through the API; these
          forms are for people without a pipeline. Either way a payload that does not parse is refused with the reason, and nothing of it is stored. See what
          was received on <Link href="/tests" className="underline underline-offset-2">Tests</Link> and{" "}
          <Link href="/load-chaos" className="underline underline-offset-2">Load &amp; chaos</Link>, and its effect on the{" "}
          <Link href="/scorecard" className="underline underline-offset-2">Scorecard</Link>.
        </p>
      </div>

      <section aria-labelledby="upload-heading" className="space-y-3">
        <h2 id="upload-heading" className="text-lg font-semibold">Upload</h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Uploads and attestations are recorded under your name, in the audit log as well.
          {config.evidence.maxUploadBytes > FORM_MAX_BYTES ? " Files over 10 MB go through the API, which takes up to the configured limit." : ""}
        </p>
        <div className="grid gap-4 lg:grid-cols-2">
          <JUnitForm maxUploadBytes={maxUploadBytes} suiteKinds={SUITE_KINDS} suites={suites} />
          <K6Form maxUploadBytes={maxUploadBytes} loadTests={loadTests} />
          <ChaosForm components={config.components.map((c) => ({ id: c.id, name: c.name }))} experiments={experiments} />
          <AttestationForm checks={attestations} />
        </div>
      </section>

      <section aria-labelledby="ci-heading" className="space-y-3">
        <h2 id="ci-heading" className="text-lg font-semibold">Push from CI</h2>
        <p className="text-sm">
          Create a token once on the machine that runs Preflight and store it as a CI secret (it is shown only at creation):
        </p>
        <Code>npm run token -- create --name ci --scope evidence:write --scope readiness:read</Code>
        <p className="text-sm">
          Then send each report as the request body (not as a multipart form) with <code className="font-mono">Authorization: Bearer $PREFLIGHT_TOKEN</code>.
          A stored payload is answered <code className="font-mono">201</code> with what was stored and the readiness it gives; a refused one with its reason:{" "}
          <code className="font-mono">400</code> when it cannot be read, <code className="font-mono">422</code> when a value is wrong,{" "}
          <code className="font-mono">401</code>/<code className="font-mono">403</code> for the token, <code className="font-mono">413</code> over the size limit,{" "}
          <code className="font-mono">415</code> for another Content-Type.
        </p>
        <h3 className="text-sm font-semibold">JUnit XML</h3>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          <code className="font-mono">suite</code>: the name a <code className="font-mono">testSuite</code> check names; <code className="font-mono">kind</code>: one of{" "}
          {SUITE_KINDS.join(", ")}.
        </p>
        {publicBase.ok ? null : (
          <p role="note" className="text-xs text-slate-600 dark:text-slate-300">
            The address below is a placeholder: {publicBase.message}.
          </p>
        )}
        <Code>{`PREFLIGHT_URL=${origin}
curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/junit?suite=${encodeURIComponent(suite)}&kind=${kind}" \\
  -H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/xml" \\
  --data-binary @reports/junit.xml`}</Code>
        <h3 className="text-sm font-semibold">k6 summary</h3>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          <code className="font-mono">test</code>: the name a <code className="font-mono">loadTest</code> check names. The file is what{" "}
          <code className="font-mono">handleSummary</code> writes, <code className="font-mono">--summary-export</code>, or the machine-readable summary.
        </p>
        <Code>{`curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/k6?test=${encodeURIComponent(loadTests[0] ?? "k6-baseline")}" \\
  -H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" \\
  --data-binary @summary.json`}</Code>
        <h3 className="text-sm font-semibold">Chaos experiment</h3>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          An experiment object once the fault has ended (<code className="font-mono">target</code> is a component id), or a Litmus ChaosResult with{" "}
          <code className="font-mono">?target=COMPONENT_ID</code> (and <code className="font-mono">startedAt</code>/<code className="font-mono">endedAt</code> when the
          object lacks them). The recovery time is measured from probe history, never taken from the payload.
        </p>
        <Code>{`curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/chaos" \\
  -H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" \\
  --data '{"name":"${experiments[0] ?? "api-restart"}","fault":"pod-delete","target":"${component}","startedAt":"${minute(-11 * 60_000)}","endedAt":"${minute(-10 * 60_000)}"}'

kubectl get chaosresult NAME -o json --show-managed-fields | curl --fail-with-body -X POST \\
  "$PREFLIGHT_URL/api/v1/evidence/chaos?target=${component}" \\
  -H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" --data-binary @-`}</Code>
        <h3 className="text-sm font-semibold">Attestation</h3>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          <code className="font-mono">check</code>: an attestation check of the scorecard{attestations.length > 0 ? ` (${attestations.map((a) => a.id).join(", ")})` : ""};
          recorded as attested by the token&apos;s pipeline unless <code className="font-mono">attestedBy</code> is given.
        </p>
        <Code>{`curl --fail-with-body -X POST "$PREFLIGHT_URL/api/v1/evidence/attestations" \\
  -H "Authorization: Bearer $PREFLIGHT_TOKEN" -H "Content-Type: application/json" \\
  --data '{"check":"${attestation}","answer":"yes","evidenceUrl":"https://ci.example.com/runs/123","comment":"","expiresAt":"${expires}T00:00:00Z"}'`}</Code>
        <h3 className="text-sm font-semibold">Gate</h3>
        <p className="text-xs text-slate-600 dark:text-slate-300">
          The readiness and gate verdict as JSON (needs the <code className="font-mono">readiness:read</code> scope); <code className="font-mono">.gate.passed</code> says
          whether to go on.
        </p>
        <Code>{`curl --fail-with-body -H "Authorization: Bearer $PREFLIGHT_TOKEN" "$PREFLIGHT_URL/api/v1/readiness" | jq -e .gate.passed`}</Code>
      </section>
    </div>
  );
}

export default withDatabasePage(EvidencePage);
