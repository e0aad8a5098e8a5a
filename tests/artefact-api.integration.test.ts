import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../lib/testing/database";
import { writeTempConfig } from "../lib/testing/worker-process";
import { createToken } from "../lib/tokens/store";

// POST /api/v1/evidence/{sbom,manifests,compose} through their route handlers on a real database, one table for the
// three: real tool output is stored with what the parser measured, audited, and pushed twice it is one row; hostile
// input of each kind is refused with nothing stored; and the scorecard checks that name the project judge the
// stored evidence as the shipped scorecard does (failed with the finding named, pending without evidence). The
// input policy is walked for every endpoint in input-policy.integration.test.ts.

const CONFIG = `version: 1
system: { name: artefact-api-test }
defaults: { interval: 1h, timeout: 5s }
components:
  - { id: api, name: API, service: Node, probe: { type: tcp, host: 127.0.0.1, port: 9 } }
scorecard:
  categories:
    - id: security
      name: Security
      checks:
        - { id: no-critical, name: No critical vulnerability, kind: vulnerabilities, project: shop, maxCritical: 0 }
        - { id: old-fixes, name: No old fix unapplied, kind: vulnerabilities, project: shop, maxCritical: 99, maxHigh: 99, maxFixAge: 14d }
        - { id: sbom, name: SBOM with versions, kind: sbom, project: shop, minComponents: 5 }
        - { id: own-vulns, name: Own SBOM vulnerabilities, kind: vulnerabilities, project: own }
    - id: orchestration
      name: Orchestration
      checks:
        - { id: pdbs, name: Disruption budgets, kind: manifests, project: x0, rules: [disruptionBudget] }
        - { id: netpol, name: Network policies, kind: manifests, project: x0, rules: [networkPolicy] }
        - { id: three-replicas, name: Three replicas, kind: manifests, project: x0, rules: [replicas], minReplicas: 3 }
        - { id: compose-health, name: Compose healthchecks, kind: compose, project: x0, rules: [healthcheck, restart] }
        - { id: preflight-ports, name: Preflight binds loopback, kind: compose, project: preflight, rules: [ports] }
        - { id: flip-health, name: Flip healthchecks, kind: compose, project: flip, rules: [healthcheck] }
        - { id: preflight-ports-any, name: Preflight may bind anywhere, kind: compose, project: preflight, rules: [ports], bindHosts: ["127.0.0.1", "0.0.0.0"] }
`;

let database: TestDatabase;
let prisma: PrismaClient;
let handlers: Record<"sbom" | "manifests" | "compose", (request: Request) => Promise<Response>>;
let token = "";
const savedEnv = { ...process.env };
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const fixture = (name: string) => read(`lib/evidence/fixtures/${name}`);

beforeAll(async () => {
  database = await createTestDatabase("pf_artefact_api");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: writeTempConfig(CONFIG).path,
    PREFLIGHT_EMBEDDED_WORKER: "false",
    REDIS_URL: "",
  });
  handlers = {
    sbom: (await import("../app/api/v1/evidence/sbom/route")).POST,
    manifests: (await import("../app/api/v1/evidence/manifests/route")).POST,
    compose: (await import("../app/api/v1/evidence/compose/route")).POST,
  };
  prisma = getPrisma();
  token = (await createToken(prisma, { name: "ci", scopes: ["evidence:write"], createdBy: "test" })).token;
});

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  await database.drop();
  process.env = savedEnv;
});

type TKind = keyof typeof handlers;
const TYPE: Record<TKind, string> = {
  sbom: "application/vnd.cyclonedx+json",
  manifests: "application/yaml",
  compose: "application/yaml",
};
const push = (kind: TKind, body: string, project: string, type = TYPE[kind]) =>
  handlers[kind](
    new Request(`http://preflight.test/api/v1/evidence/${kind}?project=${project}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": type },
      body,
    }),
  );

async function rows() {
  const [sbom, manifests, compose, audit] = await Promise.all([
    prisma.sbomRun.count(),
    prisma.manifestRun.count(),
    prisma.composeRun.count(),
    prisma.auditLog.count(),
  ]);
  return { sbom, manifests, compose, audit };
}

async function verdicts() {
  const { refreshReadiness } = await import("../lib/services/readiness/refresh");
  const { getConfig } = await import("../lib/config/current");
  const view = await refreshReadiness({ prisma, config: getConfig().config });
  return new Map(view.result.checks.map((c) => [c.id, c]));
}

type TAnswer = { id: string; kind: string; summary: Record<string, unknown>; duplicate?: boolean; error?: string };

/** One real artefact per kind: what the row must hold, and the audit action. */
const STORED: {
  kind: TKind;
  file: string;
  project: string;
  row: (id: bigint) => Promise<Record<string, unknown> | null>;
  expect: Record<string, unknown>;
}[] = [
  {
    kind: "sbom",
    file: "lib/evidence/fixtures/sbom-trivy-cyclonedx-1.6-vulns.json",
    project: "shop",
    row: (id) => prisma.sbomRun.findUnique({ where: { id } }),
    expect: {
      format: "cyclonedx",
      specVersion: "1.6",
      tool: "aquasecurity/trivy 0.58.1",
      components: 9,
      withoutLicence: 1,
      scanned: true,
      critical: 2,
      high: 3,
      medium: 1,
      low: 0,
    },
  },
  {
    kind: "sbom",
    file: "examples/x0tta6bl4/evidence/sbom.cdx.json",
    project: "own",
    row: (id) => prisma.sbomRun.findUnique({ where: { id } }),
    expect: { format: "cyclonedx", specVersion: "1.6", subjectName: "preflight", scanned: false, critical: 0 },
  },
  {
    kind: "manifests",
    file: "lib/evidence/fixtures/k8s-x0tta6bl4-kustomize.yaml",
    project: "x0",
    row: (id) => prisma.manifestRun.findUnique({ where: { id } }),
    expect: { objects: 26 },
  },
  {
    kind: "compose",
    file: "examples/x0tta6bl4/docker-compose.yml",
    project: "x0",
    row: (id) => prisma.composeRun.findUnique({ where: { id } }),
    expect: { services: expect.arrayContaining(["gateway", "api"]) },
  },
  {
    kind: "compose",
    file: "lib/evidence/fixtures/compose-preflight.yml",
    project: "preflight",
    row: (id) => prisma.composeRun.findUnique({ where: { id } }),
    expect: { services: expect.arrayContaining(["web", "worker", "migrate"]) },
  },
];

describe.each(STORED)("POST /api/v1/evidence/$kind with $file", ({ kind, file, project, row, expect: fields }) => {
  const text = read(file);

  it("stores what the parser measured, audited in the same transaction", async () => {
    const before = await rows();
    const response = await push(kind, text, project);
    const body = (await response.json()) as TAnswer;
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.kind).toBe(kind);
    expect(await row(BigInt(body.id))).toMatchObject({ project, source: "token ci", ...fields });
    const after = await rows();
    expect(after[kind]).toBe(before[kind] + 1);
    expect(await prisma.auditLog.count({ where: { action: `evidence.${kind}.create`, entityId: body.id } })).toBe(1);
  });

  it("is idempotent: the same bytes again are the same row (200, duplicate), received again now, and the push audited", async () => {
    const before = await rows();
    const response = await push(kind, text, project);
    const body = (await response.json()) as TAnswer;
    expect({ status: response.status, duplicate: body.duplicate }).toEqual({ status: 200, duplicate: true });
    expect(await rows()).toEqual({ ...before, audit: before.audit + 1 });
    const [repush] = await prisma.auditLog.findMany({
      where: { action: `evidence.${kind}.repush`, entityId: body.id },
    });
    expect(repush?.before).toMatchObject({ receivedAt: expect.any(String), source: "token ci" });
    const stored = await row(BigInt(body.id));
    expect((stored?.receivedAt as Date).getTime()).toBeGreaterThan(
      Date.parse((repush?.before as { receivedAt: string }).receivedAt),
    );
  });
});

/** Hostile or wrong input per kind: refused with the status and a message naming what is wrong, nothing stored. */
const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]",
].join("\n");
const DEPLOYMENT =
  "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { replicas: 2, selector: { matchLabels: { app: api } }, template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: api, image: api:1 }] } } }\n";
const REFUSED: { kind: TKind; name: string; body: string; status: number; says: string; type?: string }[] = [
  {
    kind: "manifests",
    name: "an alias bomb",
    body: `${BOMB}\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n`,
    status: 422,
    says: "alias",
  },
  {
    kind: "manifests",
    name: "a language tag",
    body: `${DEPLOYMENT}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\ndata: { run: !!python/object/apply:os.system ["id"] }\n`,
    status: 422,
    says: "tag",
  },
  {
    kind: "manifests",
    name: "a custom tag",
    body: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: !env NAME }\n`,
    status: 422,
    says: '"!env"',
  },
  {
    kind: "manifests",
    name: "replicas that are not a number",
    body: DEPLOYMENT.replace("replicas: 2", 'replicas: "three"'),
    status: 422,
    says: "spec.replicas",
  },
  {
    kind: "manifests",
    name: "a NUL in a name",
    body: DEPLOYMENT.replace("name: api }", 'name: "a\\0pi" }'),
    status: 422,
    says: "NUL",
  },
  {
    kind: "manifests",
    name: "a compose file sent as manifests",
    body: read("examples/x0tta6bl4/docker-compose.yml"),
    status: 400,
    says: "apiVersion",
  },
  {
    kind: "manifests",
    name: "YAML that does not parse",
    body: "apiVersion: v1\nkind: [ConfigMap\n",
    status: 400,
    says: "YAML",
  },
  {
    kind: "compose",
    name: "an alias bomb",
    body: `x-bomb:\n${BOMB.replace(/^/gm, "  ")}\nservices: { web: { image: "nginx:1.27" } }\n`,
    status: 422,
    says: "alias",
  },
  {
    kind: "compose",
    name: "two YAML documents",
    body: 'services: { web: { image: "nginx:1.27" } }\n---\nservices: { db: { image: "postgres:16" } }\n',
    status: 422,
    says: "document",
  },
  { kind: "compose", name: "services as a list", body: "services:\n  - web\n", status: 422, says: "services" },
  {
    kind: "compose",
    name: "a custom tag",
    body: 'services: { web: { image: !secret "nginx:1.27" } }\n',
    status: 422,
    says: '"!secret"',
  },
  { kind: "compose", name: "manifests sent as a compose file", body: DEPLOYMENT, status: 400, says: "compose" },
  {
    kind: "sbom",
    name: "a CycloneDX version Preflight does not read",
    body: JSON.stringify({ bomFormat: "CycloneDX", specVersion: "1.2", version: 1, components: [] }),
    status: 422,
    says: "1.2",
  },
  {
    kind: "sbom",
    name: "a SARIF log sent as an SBOM",
    body: fixture("sarif-eslint.sarif"),
    status: 422,
    says: "CycloneDX",
  },
  {
    kind: "sbom",
    name: "__proto__ in a component",
    body: '{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"library","name":"x","__proto__":{"admin":true}}]}',
    status: 422,
    says: "__proto__",
  },
  {
    kind: "sbom",
    name: "a severity that is not one",
    body: JSON.stringify({
      bomFormat: "CycloneDX",
      specVersion: "1.6",
      version: 1,
      components: [],
      vulnerabilities: [{ id: "CVE-1", ratings: [{ severity: "apocalyptic" }] }],
    }),
    status: 422,
    says: "severity",
  },
  { kind: "sbom", name: "YAML sent as JSON", body: DEPLOYMENT, status: 400, says: "JSON" },
];

describe("hostile or wrong input is refused, with nothing stored", () => {
  it.each(REFUSED)("$kind: $name → $status", async ({ kind, body, status, says, type }) => {
    const before = await rows();
    const response = await push(kind, body, "hostile", type);
    const answer = (await response.json()) as TAnswer;
    expect(response.status, JSON.stringify(answer)).toBe(status);
    expect(answer.error).toContain(says);
    expect(await rows()).toEqual(before);
  });

  it("refuses a project name that is not one, on every kind", async () => {
    for (const kind of Object.keys(handlers) as TKind[]) {
      const response = await push(kind, "x", "bad%00name");
      expect({ kind, status: response.status }).toEqual({ kind, status: 422 });
      expect(((await response.json()) as TAnswer).error).toContain("project");
    }
  });
});

describe("the scorecard judges the stored artefacts", () => {
  it("judges the file pushed last: A, then B, then A again is A, one row each", async () => {
    const good = read("examples/x0tta6bl4/docker-compose.yml");
    const bad = 'services:\n  web:\n    image: "nginx:1.27"\n    restart: always\n';
    expect((await push("compose", good, "flip")).status).toBe(201);
    expect((await verdicts()).get("flip-health")).toMatchObject({ verdict: "passed" });
    expect((await push("compose", bad, "flip")).status).toBe(201);
    expect((await verdicts()).get("flip-health")).toMatchObject({
      verdict: "failed",
      reason: expect.stringContaining("web"),
    });
    expect((await push("compose", good, "flip")).status).toBe(200);
    expect((await verdicts()).get("flip-health")).toMatchObject({ verdict: "passed" });
    expect(await prisma.composeRun.count({ where: { project: "flip" } })).toBe(2);
  });

  it("fails the vulnerability and fix-age checks naming the CVEs, and the SBOM check on its components", async () => {
    const v = await verdicts();
    expect(v.get("no-critical")).toMatchObject({
      verdict: "failed",
      reason: expect.stringMatching(/^2 critical \(at most 0\): CVE-2024-5535, CVE-2021-44906/),
    });
    // Pushed now, so the fixes published in 2021-2024 have been available for years.
    expect(v.get("old-fixes")).toMatchObject({
      verdict: "failed",
      reason: expect.stringContaining("with a fix available for longer than 14d"),
    });
    expect(v.get("sbom")).toMatchObject({
      verdict: "passed",
      measured: expect.stringContaining("9 components (CycloneDX 1.6)"),
    });
  });

  it("keeps a vulnerability check pending on an SBOM that carries no scanner's results: unknown is not zero", async () => {
    expect((await verdicts()).get("own-vulns")).toMatchObject({
      verdict: "pending",
      reason: expect.stringContaining("carries no vulnerability analysis"),
    });
  });

  it("fails the manifest rule the x0tta6bl4 render breaks on purpose, passes the one it keeps, and re-judges replicas with the check's own minimum", async () => {
    const v = await verdicts();
    expect(v.get("pdbs")).toMatchObject({
      verdict: "failed",
      reason: expect.stringContaining("Deployment/x0tta6bl4/worker"),
    });
    expect(v.get("netpol")).toMatchObject({ verdict: "passed" });
    expect(v.get("three-replicas")).toMatchObject({ verdict: "failed", reason: expect.stringContaining("replicas") });
  });

  it("passes the x0tta6bl4 compose healthchecks, and judges Preflight's own port 3000 against each check's bind addresses", async () => {
    const v = await verdicts();
    expect(v.get("compose-health")).toMatchObject({ verdict: "passed" });
    expect(v.get("preflight-ports")).toMatchObject({ verdict: "failed", reason: expect.stringContaining("web") });
    expect(v.get("preflight-ports-any")).toMatchObject({ verdict: "passed" });
  });
});
