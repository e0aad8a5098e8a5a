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
import { CiInstructions } from "@/components/evidence/ci-instructions";
import { withDatabasePage } from "@/components/outage/with-database";
import { Section } from "@/components/ui/card";

export const metadata: Metadata = { title: "Evidence" };

/** Server actions accept bodies up to 11 MB (next.config.ts); larger reports go through the API. */
const FORM_MAX_BYTES = 10 * 1024 * 1024;

async function EvidencePage() {
  await connection();
  await requirePermission("evidence:write");
  const { config } = getConfig();
  const checks = config.scorecard ? allChecks(config.scorecard) : [];
  const unique = (values: string[]) => [...new Set(values)];
  const suites = unique(checks.flatMap((c) => (c.kind === "testSuite" ? [c.suite] : [])));
  const loadTests = unique(checks.flatMap((c) => (c.kind === "loadTest" ? [c.test] : [])));
  const experiments = unique(checks.flatMap((c) => (c.kind === "chaos" ? [c.experiment] : [])));
  const attestations = attestationChecks(config).map((c) => ({
    id: c.id,
    name: c.name,
    question: c.question,
    maxAge: c.maxAge === undefined ? null : formatDuration(c.maxAge),
    critical: c.critical,
  }));
  const maxUploadBytes = Math.min(config.evidence.maxUploadBytes, FORM_MAX_BYTES);

  // The configured address, as invitation links carry it; never the Host this request names.
  const publicBase = getPublicBaseUrl(getEnv());
  const origin = publicBase.ok ? publicBase.url : "https://preflight.example.com";
  const now = new Date().getTime();
  const minute = (offset: number) =>
    new Date(Math.floor((now + offset) / 60_000) * 60_000).toISOString().replace(".000Z", "Z");
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
          What the scorecard judges beyond the probes: test results, load tests, chaos experiments and attestations. CI
          pushes them through the API; these forms are for people without a pipeline. Either way a payload that does not
          parse is refused with the reason, and nothing of it is stored. See what was received on{" "}
          <Link href="/tests" className="underline underline-offset-2">
            Tests
          </Link>{" "}
          and{" "}
          <Link href="/load-chaos" className="underline underline-offset-2">
            Load &amp; chaos
          </Link>
          , and its effect on the{" "}
          <Link href="/scorecard" className="underline underline-offset-2">
            Scorecard
          </Link>
          .
        </p>
      </div>

      <Section id="upload" title="Upload" className="space-y-3">
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Uploads and attestations are recorded under your name, in the audit log as well.
          {config.evidence.maxUploadBytes > FORM_MAX_BYTES
            ? " Files over 10 MB go through the API, which takes up to the configured limit."
            : ""}
        </p>
        <div className="grid gap-4 lg:grid-cols-2">
          <JUnitForm maxUploadBytes={maxUploadBytes} suiteKinds={SUITE_KINDS} suites={suites} />
          <K6Form maxUploadBytes={maxUploadBytes} loadTests={loadTests} />
          <ChaosForm
            components={config.components.map((c) => ({ id: c.id, name: c.name }))}
            experiments={experiments}
          />
          <AttestationForm checks={attestations} />
        </div>
      </Section>

      <CiInstructions
        origin={origin}
        placeholder={publicBase.ok ? null : publicBase.message}
        suite={suite}
        kind={kind}
        loadTest={loadTests[0] ?? "k6-baseline"}
        experiment={experiments[0] ?? "api-restart"}
        component={component}
        attestation={attestation}
        attestationIds={attestations.map((a) => a.id)}
        expires={expires}
        minute={[minute(-11 * 60_000), minute(-10 * 60_000)]}
      />
    </div>
  );
}

export default withDatabasePage(EvidencePage);
