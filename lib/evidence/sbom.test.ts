import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_MISSING, MAX_VULNERABILITIES, parseSbom, staleFixes, type TSbomReport, type TVulnerability } from "./sbom";

// SBOMs as real tools wrote them here (npm 11's `npm sbom`, @cyclonedx/cyclonedx-npm 6, on a throwaway project with
// a vendored package that declares no licence: fixtures/README), vulnerability BOMs written after Trivy's and
// Grype's CycloneDX output (no scanner runs here), and the rules of CycloneDX and SPDX on documents written inline.

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as unknown;

function read(input: unknown): TSbomReport {
  const result = parseSbom(input);
  if (!result.ok) throw new Error(result.error);
  return result.report;
}

const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0, none: 0, unknown: 0 };
const internalUtils = { name: "internal-utils", version: "0.3.0", licence: null, purl: "pkg:npm/internal-utils@0.3.0" };

const bom = (extra: Record<string, unknown> = {}) => ({ bomFormat: "CycloneDX", specVersion: "1.6", ...extra });
const lib = (name: string, version?: string, more: Record<string, unknown> = {}) => ({
  type: "library",
  name,
  ...(version ? { version } : {}),
  licenses: [{ license: { id: "MIT" } }],
  purl: `pkg:npm/${name}${version ? `@${version}` : ""}`,
  ...more,
});
const vuln = (more: Record<string, unknown>) => ({ id: "CVE-2024-0001", ratings: [{ severity: "high" }], ...more });
const onlyVuln = (more: Record<string, unknown>): TVulnerability => {
  const [v] = read(bom({ vulnerabilities: [vuln(more)] })).vulnerabilities;
  if (!v) throw new Error("no vulnerability read");
  return v;
};

describe("parseSbom on SBOMs real tools wrote here", () => {
  it("reads npm sbom's CycloneDX 1.5: 12 components, the vendored package without a licence, no vulnerabilities", () => {
    expect(read(fixture("sbom-npm-cyclonedx.json"))).toEqual({
      format: "cyclonedx",
      specVersion: "1.5",
      subject: { name: "sbom-demo", version: "1.0.0" },
      tool: "npm/cli 11.19.1",
      components: 12,
      withoutVersion: 0,
      withoutLicence: 1,
      missing: [internalUtils],
      vulnerabilities: [],
      counts: zero,
    });
  });

  it("reads npm sbom's SPDX 2.3 alike: the DESCRIBES root is the subject, licenseDeclared NOASSERTION is no licence", () => {
    expect(read(fixture("sbom-npm-spdx.json"))).toMatchObject({
      format: "spdx",
      specVersion: "SPDX-2.3",
      subject: { name: "sbom-demo", version: "1.0.0" },
      tool: "npm/cli-11.19.1",
      components: 12,
      withoutVersion: 0,
      withoutLicence: 1,
      missing: [internalUtils],
      vulnerabilities: [],
      counts: zero,
    });
  });

  it("reads cyclonedx-npm's 1.6, nested components included (debug's own ms@2.1.3), groups as @scope/name", () => {
    const report = read(fixture("sbom-cyclonedx-npm-1.6.json"));
    expect(report).toMatchObject({
      format: "cyclonedx",
      specVersion: "1.6",
      subject: { name: "sbom-demo", version: "1.0.0" },
      components: 12,
      withoutVersion: 0,
      withoutLicence: 1,
      missing: [internalUtils],
    });
    expect(report.tool).toBe("npm 11.19.1, @cyclonedx/cyclonedx-npm 6.0.1, @cyclonedx/cyclonedx-library 10.3.0");
    const top = (
      fixture("sbom-cyclonedx-npm-1.6.json") as {
        components: { name: string; group?: string; components?: { name: string; version: string }[] }[];
      }
    ).components;
    expect(top).toHaveLength(11);
    expect(top.find((c) => c.name === "debug")?.components).toEqual([
      expect.objectContaining({ name: "ms", version: "2.1.3" }),
    ]);
    expect(top.find((c) => c.name === "entities")?.group).toBe("@nodable");
  });

  it("reads cyclonedx-npm's --spec-version 1.5 with the same figures", () => {
    const { specVersion, ...rest } = read(fixture("sbom-cyclonedx-npm-1.5.json"));
    const { specVersion: other, ...rest16 } = read(fixture("sbom-cyclonedx-npm-1.6.json"));
    expect([specVersion, other]).toEqual(["1.5", "1.6"]);
    expect(rest).toEqual(rest16);
  });
});

describe("parseSbom on scanners' vulnerability BOMs (written after Trivy's and Grype's CycloneDX output)", () => {
  it("counts Trivy's by the highest rating: CVE-2024-5535 is critical by NVD though Debian rates it low", () => {
    const report = read(fixture("sbom-trivy-cyclonedx-1.6-vulns.json"));
    expect(report.counts).toEqual({ ...zero, critical: 2, high: 3, medium: 1 });
    expect(report.tool).toBe("aquasecurity/trivy 0.58.1");
    expect(report.subject).toEqual({ name: "ghcr.io/acme/shop:1.4.2", version: null });
    expect(report.vulnerabilities.find((v) => v.id === "CVE-2024-5535")).toEqual({
      id: "CVE-2024-5535",
      severity: "critical",
      components: ["libssl3@3.0.11-1~deb12u2"],
      fixAvailable: true,
      fixedIn: "3.0.14-1~deb12u1",
      published: "2024-06-27T11:15:24.000Z",
      updated: "2024-07-12T14:15:16.000Z",
      analysisState: null,
      counted: true,
      source: "debian",
    });
  });

  it("reads Trivy's fixes from its recommendation, a list of versions kept whole; none without one (ip)", () => {
    const byId = new Map(read(fixture("sbom-trivy-cyclonedx-1.6-vulns.json")).vulnerabilities.map((v) => [v.id, v]));
    expect(byId.get("CVE-2021-44906")).toMatchObject({
      fixAvailable: true,
      fixedIn: "1.2.6, 0.2.4",
      components: ["minimist@1.2.5"],
    });
    expect(byId.get("CVE-2022-24999")?.fixedIn).toBe("6.10.3, 6.9.7, 6.8.3, 6.7.3, 6.6.1, 6.5.3, 6.4.1, 6.3.3, 6.2.4");
    expect(byId.get("CVE-2024-29415")).toMatchObject({ fixAvailable: false, fixedIn: null, severity: "high" });
  });

  it("counts Trivy's operating system and lock-file nodes as components but holds only packages to a licence", () => {
    const report = read(fixture("sbom-trivy-cyclonedx-1.6-vulns.json"));
    expect(report).toMatchObject({ components: 9, withoutVersion: 0, withoutLicence: 1 });
    expect(report.missing).toEqual([
      { name: "@acme/shop-utils", version: "0.4.0", licence: null, purl: "pkg:npm/%40acme/shop-utils@0.4.0" },
    ]);
  });

  it("reads Grype's: fixes from unaffected vers ranges, EPSS ratings skipped, one entry per match (minimist twice)", () => {
    const report = read(fixture("sbom-grype-cyclonedx-1.6-vulns.json"));
    expect(report.counts).toEqual({ ...zero, critical: 2, high: 1, medium: 1, low: 1 });
    expect(report).toMatchObject({ tool: "anchore/grype 0.84.0", components: 6, withoutLicence: 1 });
    expect(report.vulnerabilities.map((v) => [v.id, v.severity, v.fixedIn, v.components.join()])).toEqual([
      ["GHSA-35jh-r3h4-6jhm", "high", "4.17.21", "lodash@4.17.20"],
      ["GHSA-29mw-wpgm-hmr9", "medium", "4.17.21", "lodash@4.17.20"],
      ["GHSA-xvch-5gv4-984h", "critical", "1.2.6", "minimist@1.2.5"],
      ["GHSA-xvch-5gv4-984h", "critical", "1.2.6", "minimist@1.2.5"],
      ["CVE-2024-5535", "low", "3.0.14-1~deb12u1", "libssl3@3.0.11-1~deb12u2"],
    ]);
    expect(report.vulnerabilities.every((v) => v.published === null && v.updated === null && v.fixAvailable)).toBe(
      true,
    );
  });
});

describe("staleFixes", () => {
  const now = new Date("2026-12-01T00:00:00Z");
  const days = (n: number) => n * 24 * 60 * 60 * 1000;

  it("lists Trivy's counted vulnerabilities with a fix published more than 14 days ago, not ip's (no fix)", () => {
    const stale = staleFixes(read(fixture("sbom-trivy-cyclonedx-1.6-vulns.json")).vulnerabilities, days(14), now);
    expect(stale.map((v) => v.id)).toEqual([
      "CVE-2024-5535",
      "CVE-2022-24999",
      "CVE-2021-44906",
      "CVE-2021-23337",
      "CVE-2020-28500",
    ]);
  });

  it("never lists one without a date: Grype writes none", () => {
    expect(staleFixes(read(fixture("sbom-grype-cyclonedx-1.6-vulns.json")).vulnerabilities, days(14), now)).toEqual([]);
  });

  it("ages from published, else updated; leaves out recent, fixless and not-counted ones", () => {
    const fixed = { affects: [{ ref: "x", versions: [{ version: "2.0.0", status: "unaffected" }] }] };
    const report = read(
      bom({
        vulnerabilities: [
          vuln({ id: "old", published: "2026-11-01T00:00:00Z", ...fixed }),
          vuln({ id: "recent", published: "2026-11-25T00:00:00Z", updated: "2025-01-01T00:00:00Z", ...fixed }),
          vuln({ id: "updated-only", updated: "2026-11-01T00:00:00Z", ...fixed }),
          vuln({ id: "no-fix", published: "2026-01-01T00:00:00Z" }),
          vuln({ id: "vex", published: "2026-01-01T00:00:00Z", analysis: { state: "not_affected" }, ...fixed }),
          vuln({ id: "just-14-days", published: "2026-11-17T00:00:00Z", ...fixed }),
        ],
      }),
    );
    expect(staleFixes(report.vulnerabilities, days(14), now).map((v) => v.id)).toEqual(["old", "updated-only"]);
  });
});

describe("parseSbom on the rules of CycloneDX", () => {
  it("counts a vulnerability unless its analysis says not_affected, false_positive, resolved or resolved_with_pedigree", () => {
    const states = ["not_affected", "false_positive", "resolved", "resolved_with_pedigree", "exploitable", "in_triage"];
    const report = read(
      bom({
        vulnerabilities: [...states.map((state) => vuln({ id: state, analysis: { state } })), vuln({ id: "none" })],
      }),
    );
    expect(report.vulnerabilities.map((v) => [v.id, v.analysisState, v.counted])).toEqual([
      ["not_affected", "not_affected", false],
      ["false_positive", "false_positive", false],
      ["resolved", "resolved", false],
      ["resolved_with_pedigree", "resolved_with_pedigree", false],
      ["exploitable", "exploitable", true],
      ["in_triage", "in_triage", true],
      ["none", null, true],
    ]);
    expect(report.counts).toEqual({ ...zero, high: 3 });
  });

  it.each([
    ["a CVSS v3.1 score alone", [{ score: 9.1, method: "CVSSv31" }], "critical"],
    ["a CVSS v2 score alone (no critical on that scale)", [{ score: 9.3, method: "CVSSv2" }], "high"],
    ["a CVSS v4 score of 0", [{ score: 0, method: "CVSSv4" }], "none"],
    ["severity unknown beside a score", [{ severity: "unknown", score: 5, method: "CVSSv3" }], "medium"],
    ["an EPSS score (method other)", [{ score: 0.97, method: "other" }], "unknown"],
    ["no ratings", [], "unknown"],
    [
      "the highest of several",
      [{ severity: "low" }, { severity: "info" }, { severity: "medium" }, { severity: "none" }],
      "medium",
    ],
  ])("takes the severity from %s", (_name, ratings, severity) => {
    expect(onlyVuln({ ratings }).severity).toBe(severity);
  });

  it("reads a fix from unaffected versions and ranges, Trivy's recommendation, or analysis.response update", () => {
    expect(
      onlyVuln({
        affects: [
          {
            ref: "a",
            versions: [
              { version: "1.0.0", status: "affected" },
              { version: "1.0.1", status: "unaffected" },
              { range: "vers:npm/>=2.0.0|<3.0.0", status: "unaffected" },
            ],
          },
        ],
      }),
    ).toMatchObject({ fixAvailable: true, fixedIn: "1.0.1, >=2.0.0|<3.0.0" });
    expect(onlyVuln({ recommendation: "Upgrade lodash to version 4.17.21" })).toMatchObject({
      fixAvailable: true,
      fixedIn: "4.17.21",
    });
    expect(onlyVuln({ analysis: { state: "exploitable", response: ["update"] } })).toMatchObject({
      fixAvailable: true,
      fixedIn: null,
    });
    expect(
      onlyVuln({ recommendation: "Apply the vendor's patch when it ships", analysis: { response: ["can_not_fix"] } }),
    ).toMatchObject({ fixAvailable: false, fixedIn: null });
    expect(
      onlyVuln({
        affects: [
          {
            ref: "a",
            versions: [
              { version: "1.0.0", status: "affected" },
              { range: "vers:npm/>=1.0.0", status: "unknown" },
            ],
          },
        ],
      }).fixAvailable,
    ).toBe(false);
  });

  it("names affected components by bom-ref, BOM-Link fragment or, unmatched, the ref itself; the subject too", () => {
    const report = read(
      bom({
        metadata: { component: { type: "application", "bom-ref": "app", name: "shop", version: "1.4.2" } },
        components: [
          lib("lodash", "4.17.20", { "bom-ref": "pkg:npm/lodash@4.17.20" }),
          lib("left-pad", undefined, { "bom-ref": "lp" }),
        ],
        vulnerabilities: [
          vuln({
            affects: [
              { ref: "pkg:npm/lodash@4.17.20" },
              { ref: "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#lp" },
              { ref: "app" },
              { ref: "gone" },
              { ref: "lp" },
            ],
          }),
        ],
      }),
    );
    expect(report.vulnerabilities[0]?.components).toEqual(["lodash@4.17.20", "left-pad", "shop@1.4.2", "gone"]);
  });

  it("excludes the subject when a tool lists it among the components too, and counts the subject's sub-components", () => {
    const report = read(
      bom({
        metadata: {
          component: {
            type: "application",
            "bom-ref": "app",
            name: "shop",
            version: "1",
            components: [lib("plugin", "0.1.0")],
          },
        },
        components: [
          { type: "application", "bom-ref": "app", name: "shop", version: "1" },
          lib("a", "1.0.0", { components: [lib("b", "2.0.0", { components: [lib("c")] })] }),
        ],
      }),
    );
    expect(report).toMatchObject({
      subject: { name: "shop", version: "1" },
      components: 4,
      withoutVersion: 1,
      withoutLicence: 0,
    });
    expect(report.missing).toEqual([{ name: "c", version: null, licence: "MIT", purl: "pkg:npm/c" }]);
  });

  it("reads licences by id, name or expression; NOASSERTION, NONE, UNKNOWN and empty are none", () => {
    // No version on any of them, so that each is listed in missing with the licence read.
    const p = (licenses: unknown[]) => ({ type: "library", name: "p", licenses });
    const report = read(
      bom({
        components: [
          p([{ expression: "MIT OR Apache-2.0" }]),
          p([{ license: { name: "Public Domain" } }]),
          p([{ license: { id: "MIT" } }, { license: { name: "Apache 2" } }, { license: { id: "MIT" } }]),
          p([{ license: { id: "NOASSERTION" } }]),
          p([{ license: { name: "none" } }]),
          p([{ license: { name: "UNKNOWN" } }, { expression: " " }]),
          p([]),
          { type: "library", name: "q", version: "", licenses: [{ license: { id: "MIT" } }] },
        ],
      }),
    );
    expect(report.missing.map((m) => m.licence)).toEqual([
      "MIT OR Apache-2.0",
      "Public Domain",
      "MIT, Apache 2",
      null,
      null,
      null,
      null,
      "MIT",
    ]);
    expect(report).toMatchObject({ components: 8, withoutVersion: 8, withoutLicence: 4 });
  });

  it("judges only packages: a purl, or type library or framework; files and grouping nodes are counted, not judged", () => {
    const report = read(
      bom({
        components: [
          { type: "file", name: "/etc/passwd" },
          { type: "operating-system", name: "alpine", version: "3.20" },
          { type: "framework", name: "spring" },
          { type: "application", name: "cli", purl: "pkg:generic/cli" },
        ],
      }),
    );
    expect(report).toMatchObject({ components: 4, withoutVersion: 2, withoutLicence: 2 });
    expect(report.missing.map((m) => m.name)).toEqual(["spring", "cli"]);
  });

  it("keeps the first 1000 vulnerabilities and 200 packages missing something, and counts them all", () => {
    const report = read(
      bom({
        components: Array.from({ length: 300 }, (_, i) => ({ type: "library", name: `p${i}` })),
        vulnerabilities: Array.from({ length: 1500 }, (_, i) => vuln({ id: `CVE-2024-${i}` })),
      }),
    );
    expect(report.vulnerabilities).toHaveLength(MAX_VULNERABILITIES);
    expect(report.missing).toHaveLength(MAX_MISSING);
    expect(report).toMatchObject({ withoutVersion: 300, withoutLicence: 300, counts: { ...zero, high: 1500 } });
  });

  it("allows keys it does not read, at every level (third-party formats grow)", () => {
    const report = read(
      bom({
        x: 1,
        metadata: { lifecycles: [{ phase: "build" }], component: { type: "application", name: "s", hashes: [] } },
        components: [lib("a", "1.0.0", { evidence: {} })],
        vulnerabilities: [vuln({ cwes: [79], proofOfConcept: {} })],
      }),
    );
    expect(report).toMatchObject({ components: 1, counts: { ...zero, high: 1 } });
  });
});

describe("parseSbom on the rules of SPDX", () => {
  const spdx = (packages: unknown[], extra: Record<string, unknown> = {}) => ({
    spdxVersion: "SPDX-2.3",
    SPDXID: "SPDXRef-DOCUMENT",
    name: "d",
    ...extra,
    packages,
  });
  const pkg = (id: string, more: Record<string, unknown> = {}) => ({
    SPDXID: `SPDXRef-${id}`,
    name: id,
    versionInfo: "1.0.0",
    downloadLocation: "NOASSERTION",
    licenseConcluded: "MIT",
    ...more,
  });

  it("reads licenseConcluded, else licenseDeclared; NOASSERTION and NONE are none", () => {
    const report = read(
      spdx([
        pkg("a", { licenseConcluded: "NOASSERTION", licenseDeclared: "Apache-2.0" }),
        pkg("b", { licenseConcluded: undefined, licenseDeclared: "NOASSERTION" }),
        pkg("c", { licenseConcluded: "NONE" }),
        pkg("d", {
          versionInfo: undefined,
          externalRefs: [
            { referenceCategory: "PACKAGE_MANAGER", referenceType: "purl", referenceLocator: "pkg:pypi/d" },
          ],
        }),
      ]),
    );
    expect(report).toMatchObject({
      components: 4,
      withoutVersion: 1,
      withoutLicence: 2,
      subject: { name: null, version: null },
      tool: null,
    });
    expect(report.missing).toEqual([
      { name: "b", version: "1.0.0", licence: null, purl: null },
      { name: "c", version: "1.0.0", licence: null, purl: null },
      { name: "d", version: null, licence: "MIT", purl: "pkg:pypi/d" },
    ]);
  });

  it("takes out every described root: documentDescribes, DESCRIBES and DESCRIBED_BY", () => {
    const relationships = [
      { spdxElementId: "SPDXRef-DOCUMENT", relatedSpdxElement: "SPDXRef-root", relationshipType: "DESCRIBES" },
      { spdxElementId: "SPDXRef-second", relatedSpdxElement: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBED_BY" },
      { spdxElementId: "SPDXRef-a", relatedSpdxElement: "SPDXRef-root", relationshipType: "DEPENDENCY_OF" },
    ];
    const report = read(
      spdx([pkg("a"), pkg("root", { versionInfo: "3.1.0" }), pkg("second"), pkg("third"), pkg("b")], {
        relationships,
        documentDescribes: ["SPDXRef-third"],
        creationInfo: {
          created: "2026-01-01T00:00:00Z",
          creators: ["Organization: Acme", "Tool: trivy-0.58.1", "Tool: custom"],
        },
      }),
    );
    expect(report).toMatchObject({
      components: 2,
      subject: { name: "root", version: "3.1.0" },
      tool: "trivy-0.58.1, custom",
      vulnerabilities: [],
      counts: zero,
    });
  });
});

describe("parseSbom refuses", () => {
  it.each([
    [
      "CycloneDX 1.4",
      bom({ specVersion: "1.4" }),
      'specVersion: CycloneDX "1.4" is not accepted: Preflight reads CycloneDX 1.5 and 1.6 JSON',
    ],
    ["CycloneDX 1.7", bom({ specVersion: "1.7" }), 'specVersion: CycloneDX "1.7" is not accepted'],
    [
      "a numeric specVersion",
      bom({ specVersion: 1.6 }),
      "specVersion: expected a string, got a number: Preflight reads CycloneDX 1.5 and 1.6 JSON",
    ],
    [
      "SPDX 2.2",
      { spdxVersion: "SPDX-2.2", packages: [] },
      'spdxVersion: "SPDX-2.2" is not accepted: Preflight reads SPDX-2.3 JSON',
    ],
    ["another bomFormat", { bomFormat: "SWID" }, 'bomFormat: expected "CycloneDX", got "SWID"'],
    [
      "SPDX 3",
      { "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [] },
      "SPDX 3 (JSON-LD) is not accepted",
    ],
    [
      "neither format",
      { name: "x" },
      'expected a CycloneDX BOM (bomFormat "CycloneDX") or an SPDX document (spdxVersion), found neither key',
    ],
    ["an array", [], "expected a CycloneDX BOM or an SPDX document, got an array"],
    [
      "a component without a name",
      bom({ components: [lib("a", "1", { components: [{ type: "library" }] })] }),
      "invalid CycloneDX BOM: components[0].components[0].name: expected string",
    ],
    [
      "an unknown severity",
      bom({ vulnerabilities: [vuln({ ratings: [{ severity: "severe" }] })] }),
      'vulnerabilities[0].ratings[0].severity: expected "critical", "high", "medium", "low", "info", "none" or "unknown"',
    ],
    [
      "an unknown analysis state",
      bom({ vulnerabilities: [vuln({ analysis: { state: "not-affected" } })] }),
      'vulnerabilities[0].analysis.state: expected "resolved", "resolved_with_pedigree", "exploitable", "in_triage", "false_positive" or "not_affected"',
    ],
    [
      "a date that is not one",
      bom({ vulnerabilities: [vuln({ published: "last Tuesday" })] }),
      "vulnerabilities[0].published: expected an ISO 8601 date-time",
    ],
    [
      "an affects entry without a ref",
      bom({ vulnerabilities: [vuln({ affects: [{}] })] }),
      "vulnerabilities[0].affects[0].ref: expected string",
    ],
    [
      "an SPDX package without an SPDXID",
      { spdxVersion: "SPDX-2.3", packages: [{ name: "a" }] },
      "invalid SPDX document: packages[0].SPDXID: expected string",
    ],
  ])("%s, naming what is wrong", (_name, input, error) => {
    expect(parseSbom(input)).toMatchObject({ ok: false, error: expect.stringContaining(error) });
  });
});
