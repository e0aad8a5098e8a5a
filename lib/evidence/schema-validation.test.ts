import { readdirSync, readFileSync } from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";

// Every SARIF, CycloneDX and SPDX fixture against its published JSON schema (fixtures/schemas/, provenance in
// fixtures/README), so a hand-written fixture cannot drift from what the format allows, and one broken copy per
// schema shows the check can fail. Offline: no schema is fetched, every $ref resolves to a file here.

const fixtures = new URL("./fixtures/", import.meta.url);
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), "utf8"));
const files = readdirSync(fixtures);

// SARIF 2.1.0 with Errata 01, the OASIS standard's current schema: JSON Schema draft-04 (its "id", not "$id").
const sarifAjv = new AjvDraft04({ allErrors: true });
addFormats(sarifAjv);
const validateSarif = sarifAjv.compile(load("schemas/sarif-schema-2.1.0.json") as object);

// SPDX 2.3 (spdx/spdx-spec): JSON Schema 2019-09.
const spdxAjv = new Ajv2019({ allErrors: true });
addFormats(spdxAjv);
const validateSpdx = spdxAjv.compile(load("schemas/spdx-schema-2.3.json") as object);

// CycloneDX 1.5 and 1.6: draft-07, as @cyclonedx/cyclonedx-library ships them. Their relative $refs
// ("spdx.SNAPSHOT.schema.json", "jsf-0.82.SNAPSHOT.schema.json") resolve against http://cyclonedx.org/schema/, so the
// two are registered under those URIs, as the library's own validator does. strict: false because the schemas use
// annotation keywords of their own ("meta:enum"); iri-reference has no checker in ajv-formats and is taken as any
// string, as the library takes it; idn-email gets a loose check (one @, no spaces).
const cdxAjv = new Ajv({ allErrors: true, strict: false });
addFormats(cdxAjv);
cdxAjv.addFormat("iri-reference", true);
cdxAjv.addFormat("idn-email", /^[^\s@]+@[^\s@]+$/u);
cdxAjv.addSchema(
  load("schemas/spdx.SNAPSHOT.schema.json") as object,
  "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
);
cdxAjv.addSchema(
  load("schemas/jsf-0.82.SNAPSHOT.schema.json") as object,
  "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
);
const validateCdx: Record<string, ValidateFunction> = {
  "1.5": cdxAjv.compile(load("schemas/bom-1.5.SNAPSHOT.schema.json") as object),
  "1.6": cdxAjv.compile(load("schemas/bom-1.6.SNAPSHOT.schema.json") as object),
};

const sarifFiles = files.filter((f) => f.endsWith(".sarif"));
const sbomFiles = files.filter((f) => /^sbom-.*\.json$/.test(f));
const cdxFiles = sbomFiles.filter((f) => (load(f) as { bomFormat?: unknown }).bomFormat === "CycloneDX");
const spdxFiles = sbomFiles.filter((f) => "spdxVersion" in (load(f) as object));

const explain = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`)
    .join("; ");
const paths = (errors: ErrorObject[] | null | undefined) => (errors ?? []).map((e) => e.instancePath);

function cdxValidator(doc: unknown): ValidateFunction {
  const version = (doc as { specVersion?: string }).specVersion ?? "";
  const validate = validateCdx[version];
  if (!validate) throw new Error(`no CycloneDX ${version} schema here`);
  return validate;
}

const copy = <T>(value: T): T => structuredClone(value);

describe("the fixtures Preflight's parsers are tested on", () => {
  it("are all found: four SARIF logs, five CycloneDX BOMs, one SPDX document, each SBOM one of the two", () => {
    expect(sarifFiles.sort()).toEqual([
      "sarif-codeql.sarif",
      "sarif-eslint.sarif",
      "sarif-semgrep.sarif",
      "sarif-trivy.sarif",
    ]);
    expect(cdxFiles).toHaveLength(5);
    expect(spdxFiles).toEqual(["sbom-npm-spdx.json"]);
    expect(cdxFiles.length + spdxFiles.length).toBe(sbomFiles.length);
  });

  it("use the schemas they claim: SARIF 2.1.0 errata 01, SPDX 2.3, CycloneDX 1.5 and 1.6", () => {
    expect((load("schemas/sarif-schema-2.1.0.json") as { id: string }).id).toBe(
      "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
    );
    expect(load("schemas/spdx-schema-2.3.json")).toMatchObject({
      $id: "http://spdx.org/rdf/terms/2.3",
      title: "SPDX 2.3",
    });
    expect((load("schemas/bom-1.5.SNAPSHOT.schema.json") as { $id: string }).$id).toBe(
      "http://cyclonedx.org/schema/bom-1.5.schema.json",
    );
    expect((load("schemas/bom-1.6.SNAPSHOT.schema.json") as { $id: string }).$id).toBe(
      "http://cyclonedx.org/schema/bom-1.6.schema.json",
    );
  });

  it.each(sarifFiles)("%s is valid SARIF 2.1.0", (file) => {
    const valid = validateSarif(load(file));
    expect(valid, explain(validateSarif.errors)).toBe(true);
  });

  it.each(cdxFiles)("%s is a valid CycloneDX BOM of its specVersion", (file) => {
    const doc = load(file);
    const validate = cdxValidator(doc);
    expect(validate(doc), explain(validate.errors)).toBe(true);
  });

  it.each(spdxFiles)("%s is a valid SPDX 2.3 document", (file) => {
    expect(validateSpdx(load(file)), explain(validateSpdx.errors)).toBe(true);
  });
});

describe("a broken copy is refused by its schema", () => {
  it("SARIF: a level SARIF does not have", () => {
    const log = copy(load("sarif-eslint.sarif")) as { runs: { results: { level: string }[] }[] };
    (log.runs[0]?.results[0] as { level: string }).level = "fatal";
    expect(validateSarif(log)).toBe(false);
    expect(paths(validateSarif.errors)).toContain("/runs/0/results/0/level");
  });

  it("SARIF: a suppression's 'state', the 2.1.0 draft's name for what the standard calls 'status'", () => {
    const log = copy(load("sarif-codeql.sarif")) as { runs: { results: { suppressions?: object[] }[] }[] };
    (log.runs[0]?.results[1] as { suppressions: object[] }).suppressions = [{ kind: "inSource", state: "accepted" }];
    expect(validateSarif(log)).toBe(false);
    expect(validateSarif.errors).toContainEqual(
      expect.objectContaining({
        instancePath: "/runs/0/results/1/suppressions/0",
        params: { additionalProperty: "state" },
      }),
    );
  });

  it("CycloneDX 1.5: a version that is a number", () => {
    const doc = copy(load("sbom-npm-cyclonedx.json")) as { components: { version: unknown }[] };
    (doc.components[0] as { version: unknown }).version = 4;
    const validate = cdxValidator(doc);
    expect(validate(doc)).toBe(false);
    expect(paths(validate.errors)).toContain("/components/0/version");
  });

  it("CycloneDX 1.6: a severity CycloneDX does not have", () => {
    const doc = copy(load("sbom-trivy-cyclonedx-1.6-vulns.json")) as {
      vulnerabilities: { ratings: { severity: string }[] }[];
    };
    (doc.vulnerabilities[0]?.ratings[0] as { severity: string }).severity = "severe";
    const validate = cdxValidator(doc);
    expect(validate(doc)).toBe(false);
    expect(paths(validate.errors)).toContain("/vulnerabilities/0/ratings/0/severity");
  });

  it("CycloneDX 1.6: a licence id that is not on the SPDX list (so the referenced spdx schema is read)", () => {
    const doc = copy(load("sbom-cyclonedx-npm-1.6.json")) as {
      components: { licenses: { license: { id: string } }[] }[];
    };
    (doc.components[0]?.licenses[0] as { license: { id: string } }).license.id = "MIT-ish";
    const validate = cdxValidator(doc);
    expect(validate(doc)).toBe(false);
    expect(paths(validate.errors)).toContain("/components/0/licenses/0/license/id");
  });

  it("SPDX 2.3: a versionInfo that is a number", () => {
    const doc = copy(load("sbom-npm-spdx.json")) as { packages: { versionInfo: unknown }[] };
    (doc.packages[1] as { versionInfo: unknown }).versionInfo = 1;
    expect(validateSpdx(doc)).toBe(false);
    expect(paths(validateSpdx.errors)).toContain("/packages/1/versionInfo");
  });
});
