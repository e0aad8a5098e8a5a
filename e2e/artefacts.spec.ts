import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { AUTH } from "./support/token";

// Measured, not attested, end to end on the shipped x0tta6bl4 scorecard: CI pushes a SARIF log with error-level
// results and rendered manifests with a Deployment no PodDisruptionBudget covers; the named checks turn failed on
// the scorecard, the Security and Infrastructure pages list the findings with where they are, the gate names them
// as what closes it, and the report carries the findings. Then the demo's own artefacts are pushed again, and the
// checks read them: a file pushed again is the latest again.

const PROJECT = "x0tta6bl4";
const fixture = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

// A workload the shipped scorecard's manifest checks read, with two replicas and no PodDisruptionBudget.
const NO_PDB = `apiVersion: apps/v1
kind: Deployment
metadata: { name: checkout, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: checkout } }
  template:
    metadata: { labels: { app: checkout } }
    spec:
      containers:
        - name: checkout
          image: ghcr.io/x0tta6bl4/checkout:1.4.2
`;

type Readiness = {
  gate: { passed: boolean; reasons: string[] };
  checks: { id: string; verdict: string; reason: string | null; source: string | null }[];
  blockers: { id: string }[];
};

async function readiness(api: APIRequestContext): Promise<Readiness> {
  const response = await api.get("/api/v1/readiness", { headers: AUTH });
  expect(response.status()).toBe(200);
  return (await response.json()) as Readiness;
}

async function push(api: APIRequestContext, kind: string, type: string, body: string) {
  const response = await api.post(`/api/v1/evidence/${kind}?project=${PROJECT}`, {
    data: body,
    headers: { ...AUTH, "content-type": type },
  });
  expect([200, 201], await response.text()).toContain(response.status());
}

test("a failing scan and a manifest without a PDB fail their checks on every page, close the gate, and reach the report", async ({
  page,
  request: api,
}) => {
  await push(api, "sarif", "application/sarif+json", fixture("lib/evidence/fixtures/sarif-eslint.sarif"));
  await push(api, "manifests", "application/yaml", NO_PDB);

  const after = await readiness(api);
  const check = (id: string) => after.checks.find((c) => c.id === id);
  expect(check("code-scan")).toMatchObject({
    verdict: "failed",
    reason: expect.stringMatching(/^2 results at or above error: @typescript-eslint\/no-explicit-any/),
    source: expect.stringMatching(/^SARIF #\d+ \(ESLint\) from token /),
  });
  expect(check("pod-disruption-budgets")).toMatchObject({
    verdict: "failed",
    reason: expect.stringContaining("Deployment/shop/checkout"),
  });
  expect(after.blockers.map((b) => b.id)).toContain("code-scan");
  expect(after.gate.passed).toBe(false);
  expect(after.gate.reasons.join("\n")).toContain("No error-level result from the code scanners");

  await page.goto("/scorecard");
  await expect(page.locator('tr[data-check="code-scan"]')).toHaveAttribute("data-verdict", "failed");
  await expect(page.locator('tr[data-check="pod-disruption-budgets"]')).toHaveAttribute("data-verdict", "failed");
  await expect(page.locator('tr[data-check="pod-disruption-budgets"]')).toContainText("Deployment/shop/checkout");

  await page.goto("/security");
  const scan = page.locator(`[data-testid="scan-project"][data-project="${PROJECT}"]`);
  await expect(scan.getByTestId("scan-counts")).toContainText("2 errors, 1 warning");
  await expect(scan.locator('[data-check="code-scan"]')).toHaveAttribute("data-verdict", "failed");
  await expect(scan.locator('[data-testid="findings"] tr[data-rule="no-var"]')).toContainText("sarif-sample-tmp.ts:3");
  await expect(scan.getByTestId("artefact-source")).toContainText("from token");

  await page.goto("/infrastructure");
  const manifests = page.locator(`[data-testid="manifest-project"][data-project="${PROJECT}"]`);
  await expect(manifests.locator('[data-check="pod-disruption-budgets"]')).toHaveAttribute("data-verdict", "failed");
  await expect(manifests.locator('[data-testid="findings"] tr[data-rule="disruptionBudget"]')).toContainText(
    "Deployment/shop/checkout",
  );
  await expect(manifests.locator('[data-testid="rules"] tr[data-rule="disruptionBudget"]')).toHaveAttribute(
    "data-failed",
    "1",
  );

  const markdown = await (await api.get("/api/v1/report.md", { headers: AUTH })).text();
  const security = markdown.slice(markdown.indexOf("1.3 Security"), markdown.indexOf("1.4 Infrastructure"));
  expect(security).toContain("no-var");
  expect(security).toMatch(/No error-level result from the code scanners: failed/);
  const infrastructure = markdown.slice(markdown.indexOf("1.4 Infrastructure"), markdown.indexOf("2. Test framework"));
  expect(infrastructure).toContain("Deployment/shop/checkout");
  expect(infrastructure).toContain("disruptionBudget");

  // The demo's own artefacts again: each is the latest once more, and the checks read it.
  await push(api, "sarif", "application/sarif+json", fixture("examples/x0tta6bl4/evidence/eslint.sarif"));
  await push(api, "manifests", "application/yaml", fixture("lib/evidence/fixtures/k8s-x0tta6bl4-kustomize.yaml"));
  const restored = await readiness(api);
  expect(restored.checks.find((c) => c.id === "code-scan")).toMatchObject({ verdict: "passed" });
  expect(restored.checks.find((c) => c.id === "pod-disruption-budgets")).toMatchObject({
    verdict: "failed",
    reason: expect.stringContaining("Deployment/x0tta6bl4/worker"),
  });
  expect(restored.checks.find((c) => c.id === "network-policies")).toMatchObject({ verdict: "passed" });
});

test("coverage reads on the Tests page with its check, its source and its packages", async ({ page, request: api }) => {
  await push(api, "coverage", "application/xml", fixture("examples/x0tta6bl4/evidence/coverage-cobertura.xml"));
  await page.goto("/tests");
  const project = page.locator(`[data-testid="coverage-project"][data-project="${PROJECT}"]`);
  await expect(project.getByTestId("coverage-figures")).toContainText("lines 99.07 % (1592 of 1607)");
  await expect(project.locator('[data-check="coverage-75"]')).toHaveAttribute("data-verdict", "passed");
  await expect(project.getByTestId("artefact-source")).toContainText("coverage report #");
  await project.getByText(/^Per package/).click();
  await expect(project.getByTestId("coverage-packages").locator("li").first()).toContainText("%");
});
