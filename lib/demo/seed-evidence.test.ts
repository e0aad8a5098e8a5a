import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfigFile } from "../config/load";
import { parseAttestationInput } from "../evidence/attestation";
import { attestationChecks } from "../services/evidence/ingest";
import { ATTESTED, demoSeedEvidenceUrl } from "./seed-evidence";

const { config } = loadConfigFile(join(import.meta.dirname, "..", "..", "preflight.config.yaml"), {});

describe("the demo's seeded attestations", () => {
  it("answer only attestation checks of the shipped scorecard, and never what a probe measures", () => {
    const attestable = new Set(attestationChecks(config).map((c) => c.id));
    expect(ATTESTED.map((a) => a.check).filter((id) => !attestable.has(id))).toEqual([]);
    expect(ATTESTED.map((a) => a.check)).not.toContain("mtls-enforced");
  });

  it("carry an evidence link that the attestation schema takes but that points at no documentation", () => {
    const url = demoSeedEvidenceUrl("runbooks");
    expect(new URL(url).hostname).toMatch(/\.invalid$/);
    expect(url).not.toMatch(/docs|readiness/);
    const now = new Date("2026-01-14T12:00:00Z");
    const parsed = parseAttestationInput(
      {
        check: "runbooks",
        answer: "yes",
        evidenceUrl: url,
        expiresAt: "2026-02-13T12:00:00Z",
        attestedBy: "Operations Lead (demo)",
      },
      now,
    );
    expect(parsed).toMatchObject({ ok: true, attestation: { evidenceUrl: url } });
  });
});
