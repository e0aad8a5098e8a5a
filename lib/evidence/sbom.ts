import { z } from "zod";
import { describeValue } from "./input";
import { quoteText } from "./quote";
import { formatZodError } from "./zod-issues";

// Software bills of materials and the vulnerabilities scanners list in them: CycloneDX 1.5 and 1.6 JSON (npm sbom,
// @cyclonedx/cyclonedx-npm, Trivy, Grype, Syft…) and SPDX 2.3 JSON (npm sbom, Trivy, Syft…). Pure: the parsed JSON
// in, figures out. These are third-party formats: keys Preflight does not read are allowed and ignored.
//
// Decisions (README, "SBOM and vulnerabilities"):
// - A component is every CycloneDX component, nested ones included, except the subject (metadata.component, or a
//   component with its bom-ref); in SPDX every package except the ones the document DESCRIBES.
// - Only packages are held to "a version and a licence": a CycloneDX component with a purl, or of type library or
//   framework. A scanner's grouping nodes (Trivy's operating system and lock-file components, Syft's files) carry
//   no purl, and no licence either by nature; they are counted, not judged.
// - A licence is absent when none is given or it says NOASSERTION, NONE or UNKNOWN: none of them is a licence a
//   person can comply with. SPDX: licenseConcluded, else licenseDeclared.
// - Severity: the highest of a vulnerability's ratings. CycloneDX marks no rating as the primary one, and Trivy
//   writes one per source (NVD, GHSA, the distribution…) that often disagree; a gate on "0 critical" reads the
//   worst. A rating without a severity gets one from its CVSS score (v2, v3, v3.1, v4 scales); other methods'
//   scores (EPSS, KEV, OWASP) are not severities and are skipped. No usable rating: "unknown".
// - A fix is available when the tool names a fixed version: an affects[].versions[] entry with status
//   "unaffected" (Grype: range "vers:generic/>=1.2.1"), or Trivy's recommendation "Upgrade x to version 1.2.3";
//   or when analysis.response lists "update". Free text alone ("apply the vendor patch") is not read as one.
// - Counted: every vulnerability whose analysis (VEX) state is not not_affected, false_positive, resolved or
//   resolved_with_pedigree. Each vulnerabilities[] entry is one vulnerability, as the tool wrote it (Trivy writes
//   one per advisory, Grype one per package it matched).
// - SPDX 2.3 has no vulnerability section: an SPDX document lists none.

export const SEVERITIES = ["critical", "high", "medium", "low", "info", "none", "unknown"] as const;
export type TSeverity = (typeof SEVERITIES)[number];

export type TSbomComponent = {
  name: string;
  version: string | null;
  /** An SPDX id or expression, or a licence name; several CycloneDX licences are joined with ", ". */
  licence: string | null;
  purl: string | null;
};

export type TVulnerability = {
  id: string;
  severity: TSeverity;
  /** The components it affects, as name@version (name alone when there is no version, the ref when none matches). */
  components: string[];
  fixAvailable: boolean;
  /** The fixed version(s) the tool names, ", "-joined; null when it names none (even with a fix available). */
  fixedIn: string | null;
  /** ISO 8601, as Date#toISOString writes it. */
  published: string | null;
  updated: string | null;
  analysisState: string | null;
  counted: boolean;
  /** The source the tool names (nvd, ghsa…). */
  source: string | null;
};

export type TSbomReport = {
  format: "cyclonedx" | "spdx";
  /** "1.5", "1.6" or "SPDX-2.3". */
  specVersion: string;
  subject: { name: string | null; version: string | null };
  tool: string | null;
  /** All components, nested included, the subject excluded. */
  components: number;
  withoutVersion: number;
  withoutLicence: number;
  /** The first MAX_MISSING packages without a version or a licence. */
  missing: TSbomComponent[];
  /** The first MAX_VULNERABILITIES. */
  vulnerabilities: TVulnerability[];
  /** Counted vulnerabilities by severity, all of them (not only the ones kept). */
  counts: Record<TSeverity, number>;
};

export type TParseSbomResult = { ok: true; report: TSbomReport } | { ok: false; error: string };

export const CYCLONEDX_VERSIONS = ["1.5", "1.6"] as const;
export const SPDX_VERSIONS = ["SPDX-2.3"] as const;
export const MAX_MISSING = 200;
export const MAX_VULNERABILITIES = 1000;
const TEXT_MAX = 500;

// --- CycloneDX ------------------------------------------------------------------------------------------------

const CDX_SEVERITIES = ["critical", "high", "medium", "low", "info", "none", "unknown"] as const;
const ANALYSIS_STATES = [
  "resolved",
  "resolved_with_pedigree",
  "exploitable",
  "in_triage",
  "false_positive",
  "not_affected",
] as const;
const ANALYSIS_RESPONSES = ["can_not_fix", "will_not_fix", "update", "rollback", "workaround_available"] as const;
/** VEX states meaning the vulnerability does not apply here, or no longer does. */
const NOT_COUNTED_STATES: ReadonlySet<string> = new Set([
  "not_affected",
  "false_positive",
  "resolved",
  "resolved_with_pedigree",
]);

const oneOf = (values: readonly string[]) =>
  `expected ${values
    .slice(0, -1)
    .map((v) => `"${v}"`)
    .join(", ")} or "${values[values.length - 1]}"`;

// The schema says format "date-time"; a date Preflight cannot read would silently never go stale, so it is refused.
const ZDateTime = z
  .string()
  .refine((text) => !Number.isNaN(Date.parse(text)), { error: "expected an ISO 8601 date-time" });

const ZLicenseChoice = z.object({
  license: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  expression: z.string().optional(),
});

const ZCdxComponent = z.object({
  type: z.string().optional(),
  "bom-ref": z.string().optional(),
  group: z.string().optional(),
  name: z.string(),
  version: z.string().optional(),
  licenses: z.array(ZLicenseChoice).optional(),
  purl: z.string().optional(),
  get components(): z.ZodOptional<z.ZodArray<typeof ZCdxComponent>> {
    return z.array(ZCdxComponent).optional();
  },
});
type TCdxComponent = z.infer<typeof ZCdxComponent>;

// Who made the tool: vendor (1.4 tools), group (1.5 components: Trivy's "aquasecurity"), else author (Grype's "anchore").
const ZTool = z.object({
  vendor: z.string().optional(),
  group: z.string().optional(),
  author: z.string().optional(),
  name: z.string().optional(),
  version: z.string().optional(),
});

const ZRating = z.object({
  source: z.object({ name: z.string().optional() }).optional(),
  score: z.number().optional(),
  severity: z.enum(CDX_SEVERITIES, { error: oneOf(CDX_SEVERITIES) }).optional(),
  method: z.string().optional(),
});

const ZVulnerability = z.object({
  "bom-ref": z.string().optional(),
  id: z.string().optional(),
  source: z.object({ name: z.string().optional() }).optional(),
  ratings: z.array(ZRating).optional(),
  recommendation: z.string().optional(),
  published: ZDateTime.optional(),
  updated: ZDateTime.optional(),
  affects: z
    .array(
      z.object({
        ref: z.string(),
        versions: z
          .array(
            z.object({
              version: z.string().optional(),
              range: z.string().optional(),
              status: z
                .enum(["affected", "unaffected", "unknown"], { error: oneOf(["affected", "unaffected", "unknown"]) })
                .optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  analysis: z
    .object({
      state: z.enum(ANALYSIS_STATES, { error: oneOf(ANALYSIS_STATES) }).optional(),
      response: z.array(z.enum(ANALYSIS_RESPONSES, { error: oneOf(ANALYSIS_RESPONSES) })).optional(),
    })
    .optional(),
});
type TCdxVulnerability = z.infer<typeof ZVulnerability>;

export const ZCycloneDx = z.object({
  bomFormat: z.literal("CycloneDX"),
  specVersion: z.enum(CYCLONEDX_VERSIONS),
  metadata: z
    .object({
      // 1.4's array of tools, deprecated in 1.5 but still written (npm sbom), or 1.5's { components, services }.
      tools: z
        .union(
          [z.array(ZTool), z.object({ components: z.array(ZTool).optional(), services: z.array(ZTool).optional() })],
          { error: "expected an array of tools or an object of tool components and services" },
        )
        .optional(),
      component: ZCdxComponent.optional(),
    })
    .optional(),
  components: z.array(ZCdxComponent).optional(),
  vulnerabilities: z.array(ZVulnerability).optional(),
});

// --- SPDX -----------------------------------------------------------------------------------------------------

export const ZSpdx = z.object({
  spdxVersion: z.enum(SPDX_VERSIONS),
  creationInfo: z.object({ creators: z.array(z.string()).optional() }).optional(),
  documentDescribes: z.array(z.string()).optional(),
  packages: z
    .array(
      z.object({
        SPDXID: z.string(),
        name: z.string(),
        versionInfo: z.string().optional(),
        licenseConcluded: z.string().optional(),
        licenseDeclared: z.string().optional(),
        externalRefs: z
          .array(z.object({ referenceCategory: z.string(), referenceType: z.string(), referenceLocator: z.string() }))
          .optional(),
      }),
    )
    .optional(),
  relationships: z
    .array(z.object({ spdxElementId: z.string(), relatedSpdxElement: z.string(), relationshipType: z.string() }))
    .optional(),
});

// --- reading --------------------------------------------------------------------------------------------------

const clip = (text: string) => text.slice(0, TEXT_MAX);

/** Empty text and the SPDX and packaging words for "we do not know" are no value. */
const NO_VALUE: ReadonlySet<string> = new Set(["", "NOASSERTION", "NONE", "UNKNOWN"]);
const valueOrNull = (text: string | undefined): string | null =>
  text === undefined || NO_VALUE.has(text.trim().toUpperCase()) ? null : clip(text.trim());

const emptyCounts = (): Record<TSeverity, number> => ({
  critical: 0,
  high: 0,
  medium: 0,
  low: 0,
  info: 0,
  none: 0,
  unknown: 0,
});

type TTally = { components: number; withoutVersion: number; withoutLicence: number; missing: TSbomComponent[] };

function tallyPackage(tally: TTally, pkg: TSbomComponent): void {
  if (pkg.version === null) tally.withoutVersion += 1;
  if (pkg.licence === null) tally.withoutLicence += 1;
  if ((pkg.version === null || pkg.licence === null) && tally.missing.length < MAX_MISSING) tally.missing.push(pkg);
}

/** npm scopes and Maven groups read as the purl writes them: @scope/name, org.group/name. */
const componentName = (c: { group?: string; name: string }) => clip(c.group ? `${c.group}/${c.name}` : c.name);
const nameAtVersion = (c: TSbomComponent) => (c.version === null ? c.name : `${c.name}@${c.version}`);

function cdxLicence(licenses: TCdxComponent["licenses"]): string | null {
  const found: string[] = [];
  for (const choice of licenses ?? []) {
    const text = valueOrNull(choice.expression) ?? valueOrNull(choice.license?.id) ?? valueOrNull(choice.license?.name);
    if (text !== null && !found.includes(text)) found.push(text);
  }
  return found.length === 0 ? null : clip(found.join(", "));
}

const toSbomComponent = (c: TCdxComponent): TSbomComponent => ({
  name: componentName(c),
  version: valueOrNull(c.version),
  licence: cdxLicence(c.licenses),
  purl: c.purl ? clip(c.purl) : null,
});

const isPackage = (c: TCdxComponent) =>
  (c.purl !== undefined && c.purl !== "") || c.type === "library" || c.type === "framework";

function toolName(tool: z.infer<typeof ZTool>): string | null {
  if (!tool.name) return null;
  const owner = tool.group ?? tool.vendor ?? tool.author;
  return `${owner ? `${owner}/` : ""}${tool.name}${tool.version ? ` ${tool.version}` : ""}`;
}

const SEVERITY_RANK: Record<TSeverity, number> = {
  critical: 6,
  high: 5,
  medium: 4,
  low: 3,
  info: 2,
  none: 1,
  unknown: 0,
};

/** CVSS qualitative scales: v2 has no "none" and no "critical"; v3, v3.1 and v4 share one. */
function severityFromScore(method: string | undefined, score: number | undefined): TSeverity | null {
  if (score === undefined || score < 0 || score > 10) return null;
  if (method === "CVSSv2") return score >= 7 ? "high" : score >= 4 ? "medium" : "low";
  if (method === "CVSSv3" || method === "CVSSv31" || method === "CVSSv4")
    return score >= 9 ? "critical" : score >= 7 ? "high" : score >= 4 ? "medium" : score > 0 ? "low" : "none";
  return null;
}

function highestSeverity(ratings: TCdxVulnerability["ratings"]): TSeverity {
  let best: TSeverity = "unknown";
  for (const rating of ratings ?? []) {
    const severity =
      rating.severity !== undefined && rating.severity !== "unknown"
        ? rating.severity
        : severityFromScore(rating.method, rating.score);
    if (severity !== null && SEVERITY_RANK[severity] > SEVERITY_RANK[best]) best = severity;
  }
  return best;
}

// Trivy: "Upgrade lodash to version 4.17.21" (its fixed versions may be a list: "1.5.13, 1.3.15").
const TRIVY_RECOMMENDATION = /^Upgrade .+ to version (.+)$/;

/** "vers:generic/>=1.2.1" → "1.2.1"; any other range is named as written, less its scheme. */
function fixedFromRange(range: string): string {
  const constraints = range.replace(/^vers:[^/]*\//, "");
  const atLeast = /^>=\s*([^|<>=!]+)$/.exec(constraints);
  return (atLeast?.[1] ?? constraints).trim();
}

const toIso = (text: string | undefined) => (text === undefined ? null : new Date(Date.parse(text)).toISOString());

function readCdxVulnerability(v: TCdxVulnerability, index: number, names: Map<string, string>): TVulnerability {
  const fixes: string[] = [];
  const add = (text: string) => {
    const trimmed = text.trim();
    if (trimmed !== "" && !fixes.includes(trimmed)) fixes.push(trimmed);
  };
  const components: string[] = [];
  for (const affect of v.affects ?? []) {
    // A BOM-Link (urn:cdx:serial/version#bom-ref) names a component of another BOM by its bom-ref.
    const ref =
      affect.ref.startsWith("urn:cdx:") && affect.ref.includes("#")
        ? affect.ref.slice(affect.ref.indexOf("#") + 1)
        : affect.ref;
    const name = names.get(ref) ?? clip(ref);
    if (!components.includes(name)) components.push(name);
    for (const entry of affect.versions ?? []) {
      if (entry.status !== "unaffected") continue;
      if (entry.version) add(entry.version);
      else if (entry.range) add(fixedFromRange(entry.range));
    }
  }
  const recommended = v.recommendation === undefined ? null : TRIVY_RECOMMENDATION.exec(v.recommendation.trim());
  if (recommended?.[1]) for (const version of recommended[1].split(",")) add(version);
  const state = v.analysis?.state ?? null;
  return {
    id: clip(v.id ?? v["bom-ref"] ?? `vulnerabilities[${index}]`),
    severity: highestSeverity(v.ratings),
    components,
    fixAvailable: fixes.length > 0 || (v.analysis?.response ?? []).includes("update"),
    fixedIn: fixes.length === 0 ? null : clip(fixes.join(", ")),
    published: toIso(v.published),
    updated: toIso(v.updated),
    analysisState: state,
    counted: state === null || !NOT_COUNTED_STATES.has(state),
    source: valueOrNull(v.source?.name),
  };
}

function readCycloneDx(bom: z.infer<typeof ZCycloneDx>): TSbomReport {
  const subject = bom.metadata?.component;
  const subjectRef = subject?.["bom-ref"];
  const tally: TTally = { components: 0, withoutVersion: 0, withoutLicence: 0, missing: [] };
  const names = new Map<string, string>();
  if (subject?.["bom-ref"]) names.set(subject["bom-ref"], nameAtVersion(toSbomComponent(subject)));
  // Iterative: nesting follows node_modules and can be deep; the order is the document's.
  const stack: TCdxComponent[] = [...(bom.components ?? []), ...(subject?.components ?? [])].reverse();
  while (stack.length > 0) {
    const component = stack.pop() as TCdxComponent;
    for (let i = (component.components ?? []).length - 1; i >= 0; i -= 1)
      stack.push((component.components ?? [])[i] as TCdxComponent);
    if (subjectRef !== undefined && component["bom-ref"] === subjectRef) continue;
    const pkg = toSbomComponent(component);
    tally.components += 1;
    if (component["bom-ref"]) names.set(component["bom-ref"], nameAtVersion(pkg));
    if (isPackage(component)) tallyPackage(tally, pkg);
  }
  const tools = bom.metadata?.tools;
  const toolList =
    tools === undefined ? [] : Array.isArray(tools) ? tools : [...(tools.components ?? []), ...(tools.services ?? [])];
  const toolNames = toolList.map(toolName).filter((n): n is string => n !== null);
  const counts = emptyCounts();
  const vulnerabilities: TVulnerability[] = [];
  (bom.vulnerabilities ?? []).forEach((entry, index) => {
    const vuln = readCdxVulnerability(entry, index, names);
    if (vuln.counted) counts[vuln.severity] += 1;
    if (vulnerabilities.length < MAX_VULNERABILITIES) vulnerabilities.push(vuln);
  });
  return {
    format: "cyclonedx",
    specVersion: bom.specVersion,
    subject: { name: subject ? componentName(subject) : null, version: valueOrNull(subject?.version) },
    tool: toolNames.length === 0 ? null : clip(toolNames.join(", ")),
    components: tally.components,
    withoutVersion: tally.withoutVersion,
    withoutLicence: tally.withoutLicence,
    missing: tally.missing,
    vulnerabilities,
    counts,
  };
}

function readSpdx(doc: z.infer<typeof ZSpdx>): TSbomReport {
  // The roots: documentDescribes (deprecated, still written) and SPDXRef-DOCUMENT DESCRIBES x / x DESCRIBED_BY it.
  const roots = new Set(doc.documentDescribes ?? []);
  for (const r of doc.relationships ?? []) {
    if (r.spdxElementId === "SPDXRef-DOCUMENT" && r.relationshipType === "DESCRIBES") roots.add(r.relatedSpdxElement);
    if (r.relatedSpdxElement === "SPDXRef-DOCUMENT" && r.relationshipType === "DESCRIBED_BY")
      roots.add(r.spdxElementId);
  }
  const tally: TTally = { components: 0, withoutVersion: 0, withoutLicence: 0, missing: [] };
  let subject: TSbomReport["subject"] | null = null;
  for (const p of doc.packages ?? []) {
    const purl = p.externalRefs?.find((ref) => ref.referenceType === "purl")?.referenceLocator;
    const pkg: TSbomComponent = {
      name: clip(p.name),
      version: valueOrNull(p.versionInfo),
      licence: valueOrNull(p.licenseConcluded) ?? valueOrNull(p.licenseDeclared),
      purl: purl ? clip(purl) : null,
    };
    if (roots.has(p.SPDXID)) {
      subject ??= { name: pkg.name, version: pkg.version };
      continue;
    }
    tally.components += 1;
    tallyPackage(tally, pkg);
  }
  const tools = (doc.creationInfo?.creators ?? [])
    .filter((c) => c.startsWith("Tool:"))
    .map((c) => c.slice("Tool:".length).trim());
  return {
    format: "spdx",
    specVersion: doc.spdxVersion,
    subject: subject ?? { name: null, version: null },
    tool: tools.length === 0 ? null : clip(tools.join(", ")),
    components: tally.components,
    withoutVersion: tally.withoutVersion,
    withoutLicence: tally.withoutLicence,
    missing: tally.missing,
    vulnerabilities: [],
    counts: emptyCounts(),
  };
}

/** Tells CycloneDX (bomFormat "CycloneDX") from SPDX (spdxVersion) and reads either. */
export function parseSbom(input: unknown): TParseSbomResult {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { ok: false, error: `expected a CycloneDX BOM or an SPDX document, got ${describeValue(input)}` };
  const doc = input as Record<string, unknown>;
  if ("bomFormat" in doc) {
    if (doc.bomFormat !== "CycloneDX")
      return {
        ok: false,
        error: `bomFormat: expected "CycloneDX", got ${typeof doc.bomFormat === "string" ? quoteText(doc.bomFormat.slice(0, 40)) : describeValue(doc.bomFormat)}`,
      };
    // Named before the schema runs, so that a 1.4 or 1.7 BOM is told which versions are read, not what else is off.
    if (!(CYCLONEDX_VERSIONS as readonly unknown[]).includes(doc.specVersion)) {
      const got =
        typeof doc.specVersion === "string"
          ? `CycloneDX ${quoteText(doc.specVersion.slice(0, 20))} is not accepted`
          : `expected a string, got ${describeValue(doc.specVersion)}`;
      return { ok: false, error: `specVersion: ${got}: Preflight reads CycloneDX 1.5 and 1.6 JSON` };
    }
    const parsed = ZCycloneDx.safeParse(input);
    return parsed.success
      ? { ok: true, report: readCycloneDx(parsed.data) }
      : { ok: false, error: `invalid CycloneDX BOM: ${formatZodError(parsed.error)}` };
  }
  if ("spdxVersion" in doc) {
    if (!(SPDX_VERSIONS as readonly unknown[]).includes(doc.spdxVersion)) {
      const got =
        typeof doc.spdxVersion === "string"
          ? `${quoteText(doc.spdxVersion.slice(0, 20))} is not accepted`
          : `expected a string, got ${describeValue(doc.spdxVersion)}`;
      return { ok: false, error: `spdxVersion: ${got}: Preflight reads SPDX-2.3 JSON` };
    }
    const parsed = ZSpdx.safeParse(input);
    return parsed.success
      ? { ok: true, report: readSpdx(parsed.data) }
      : { ok: false, error: `invalid SPDX document: ${formatZodError(parsed.error)}` };
  }
  // SPDX 3 is JSON-LD: an @context and an @graph, no spdxVersion.
  if ("@context" in doc && JSON.stringify(doc["@context"]).includes("spdx.org"))
    return {
      ok: false,
      error: "SPDX 3 (JSON-LD) is not accepted: Preflight reads SPDX-2.3 JSON and CycloneDX 1.5 and 1.6 JSON",
    };
  return {
    ok: false,
    error: 'expected a CycloneDX BOM (bomFormat "CycloneDX") or an SPDX document (spdxVersion), found neither key',
  };
}

/** Counted vulnerabilities with a fix available, published (or, absent that, updated) more than `olderThanMs` before `now`. */
export function staleFixes(vulns: TVulnerability[], olderThanMs: number, now: Date): TVulnerability[] {
  return vulns.filter((v) => {
    const since = v.published ?? v.updated;
    // No date, no age: a vulnerability the tool gives no date for is never stale (Grype writes none).
    return v.counted && v.fixAvailable && since !== null && now.getTime() - Date.parse(since) > olderThanMs;
  });
}
