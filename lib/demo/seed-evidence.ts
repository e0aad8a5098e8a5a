import { readFileSync } from "node:fs";
import type { TConfig } from "../config/schema";
import type { PrismaClient } from "../generated/prisma/client";
import {
  ingestAttestation,
  ingestCompose,
  ingestCoverage,
  ingestJUnit,
  ingestManifests,
  ingestSbom,
  ingestScan,
  type TEvidenceContext,
  type TIngestResult,
} from "../services/evidence/ingest";

// The demo's first start plays the CI runs and answers the reference assessment reports as done (sections 2 and 5):
// unit, security and performance suites, the artefacts CI would push (coverage, SARIF, an SBOM, rendered manifests,
// the compose file: real tool output, below), and the attestations it claims for what no artefact shows. What the reference lists as pending
// (integration suite, load tests, chaos experiments, the cluster deployment, backup restore) is left pending, for
// the visitor to push. Everything goes through the same parsers and ingestion as CI evidence, marked "demo seed".

type TCounts = { passed: number; failed: number; skipped: number; flaky: number };

/** A pytest-style JUnit report (xunit2) with the given outcome counts. */
export function demoJUnitReport(suite: string, counts: TCounts): string {
  const cases: string[] = [];
  const moduleOf = (i: number) => `tests.${suite}.test_${["mesh", "api", "auth", "pqc", "storage", "metrics"][i % 6]}`;
  let i = 0;
  for (let n = 0; n < counts.passed; n++, i++)
    cases.push(`<testcase classname="${moduleOf(i)}" name="test_case_${i}" time="0.0${(i % 9) + 1}"/>`);
  for (let n = 0; n < counts.failed; n++, i++) {
    cases.push(
      `<testcase classname="${moduleOf(i)}" name="test_case_${i}" time="0.2"><failure message="AssertionError: expected 200, got 503">assert response.status == 200</failure></testcase>`,
    );
  }
  for (let n = 0; n < counts.skipped; n++, i++)
    cases.push(
      `<testcase classname="${moduleOf(i)}" name="test_case_${i}" time="0"><skipped message="needs a Kubernetes cluster"/></testcase>`,
    );
  for (let n = 0; n < counts.flaky; n++, i++) {
    cases.push(
      `<testcase classname="${moduleOf(i)}" name="test_case_${i}" time="0.4"><flakyFailure message="timeout after 2 s" type="TimeoutError"/></testcase>`,
    );
  }
  return `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="${suite}" tests="${cases.length}">${cases.join("")}</testsuite></testsuites>`;
}

const SUITES: { suite: string; kind: "unit" | "security" | "performance"; counts: TCounts }[] = [
  { suite: "unit", kind: "unit", counts: { passed: 2496, failed: 6, skipped: 14, flaky: 3 } },
  { suite: "security", kind: "security", counts: { passed: 214, failed: 0, skipped: 0, flaky: 0 } },
  { suite: "performance", kind: "performance", counts: { passed: 47, failed: 0, skipped: 1, flaky: 0 } },
];

// mTLS is not attested: the probe of the mesh gateway (a TLS 1.3 listener refusing a client without a certificate)
// measures it.
export const ATTESTED: readonly { check: string; by: string }[] = [
  { check: "architecture-review", by: "Technical Lead (demo)" },
  { check: "pqc-enabled", by: "Security Officer (demo)" },
  { check: "production-guides", by: "Technical Lead (demo)" },
  { check: "helm-kustomize-validated", by: "Operations Lead (demo)" },
  { check: "runbooks", by: "Operations Lead (demo)" },
  { check: "compose-stack-tested", by: "Operations Lead (demo)" },
];

/**
 * The link an attestation must carry, for a seeded one: under the reserved .invalid domain (RFC 2606), so it
 * resolves nowhere and reads as what it is, not as documentation that backs the answer.
 */
export function demoSeedEvidenceUrl(check: string): string {
  return `https://demo-seed.invalid/no-evidence/${encodeURIComponent(check)}`;
}

/**
 * Artefacts the demo pushes once each, through the same parsers as CI's: real tool output made on this machine and
 * shipped in the repository, each file saying how it was made (examples/x0tta6bl4/evidence/README.md). Paths are
 * from the repository's root; the project is the one the shipped scorecard names.
 */
export const DEMO_ARTEFACTS: readonly {
  kind: "coverage" | "scan" | "sbom" | "manifests" | "compose";
  file: string;
  format?: "cobertura" | "lcov";
}[] = [
  // This project's own vitest coverage, LCOV first so the Cobertura report is the latest and both are in the trend.
  { kind: "coverage", file: "examples/x0tta6bl4/evidence/coverage.lcov", format: "lcov" },
  { kind: "coverage", file: "examples/x0tta6bl4/evidence/coverage-cobertura.xml", format: "cobertura" },
  { kind: "scan", file: "examples/x0tta6bl4/evidence/eslint.sarif" },
  { kind: "sbom", file: "examples/x0tta6bl4/evidence/sbom.cdx.json" },
  // kubectl kustomize's render of examples/x0tta6bl4/k8s, which fails two rules on purpose.
  { kind: "manifests", file: "lib/evidence/fixtures/k8s-x0tta6bl4-kustomize.yaml" },
  { kind: "compose", file: "examples/x0tta6bl4/docker-compose.yml" },
];

export const DEMO_PROJECT = "x0tta6bl4";

/** Pushes each demo artefact whose kind has nothing stored yet; a file that is missing or refused is an error line. */
export async function seedDemoArtefacts(ctx: TEvidenceContext, root = process.cwd()): Promise<string[]> {
  const { prisma } = ctx;
  const counts = {
    coverage: await prisma.coverageRun.count(),
    scan: await prisma.scanRun.count(),
    sbom: await prisma.sbomRun.count(),
    manifests: await prisma.manifestRun.count(),
    compose: await prisma.composeRun.count(),
  };
  const errors: string[] = [];
  for (const artefact of DEMO_ARTEFACTS) {
    if (counts[artefact.kind] > 0) continue;
    let text: string;
    try {
      text = readFileSync(`${root}/${artefact.file}`, "utf8");
    } catch (error) {
      errors.push(`${artefact.file}: ${(error as Error).message}`);
      continue;
    }
    const project = DEMO_PROJECT;
    let result: TIngestResult;
    if (artefact.kind === "coverage")
      result = await ingestCoverage(ctx, { text, format: artefact.format ?? "cobertura", project });
    else if (artefact.kind === "manifests") result = await ingestManifests(ctx, { text, project });
    else if (artefact.kind === "compose") result = await ingestCompose(ctx, { text, project });
    else {
      const body: unknown = JSON.parse(text);
      result =
        artefact.kind === "scan"
          ? await ingestScan(ctx, { body, bytes: text, project })
          : await ingestSbom(ctx, { body, bytes: text, project });
    }
    if (!result.ok) errors.push(`${artefact.file}: ${result.message}`);
  }
  return errors;
}

/** Seeds once: nothing happens when any test run or attestation is already stored. */
export async function seedDemoEvidence(
  prisma: PrismaClient,
  config: TConfig,
  now = new Date(),
): Promise<{ seeded: boolean; errors: string[] }> {
  const ctx: TEvidenceContext = {
    prisma,
    config,
    source: "demo seed",
    actor: { type: "system", id: null, name: "demo seed" },
    now,
  };
  // Artefact kinds are seeded each on its own, so a demo database from before they existed gets them too.
  const errors = await seedDemoArtefacts(ctx);
  const [runs, attestations] = await Promise.all([prisma.testRun.count(), prisma.attestation.count()]);
  if (runs > 0 || attestations > 0) return { seeded: false, errors };
  for (const { suite, kind, counts } of SUITES) {
    const result = await ingestJUnit(ctx, { xml: demoJUnitReport(suite, counts), suite, kind });
    if (!result.ok) errors.push(`${suite}: ${result.message}`);
  }
  const known = new Set(
    (config.scorecard
      ? [...config.scorecard.categories.flatMap((c) => c.checks), ...config.scorecard.criteria]
      : []
    ).map((c) => c.id),
  );
  for (const { check, by } of ATTESTED.filter((a) => known.has(a.check))) {
    const result = await ingestAttestation(ctx, {
      body: {
        check,
        answer: "yes",
        evidenceUrl: demoSeedEvidenceUrl(check),
        comment: "Demo attestation: answered by the demo seed, not by a person.",
        expiresAt: new Date(now.getTime() + 30 * 86_400_000).toISOString(),
        attestedBy: by,
      },
      attestedBy: by,
    });
    if (!result.ok) errors.push(`${check}: ${result.message}`);
  }
  return { seeded: true, errors };
}
