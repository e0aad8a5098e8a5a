import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { expect, request, test, type APIRequestContext } from "@playwright/test";
import { pageAs } from "./support/sign-in";
import { AUTH, E2E_TOKEN } from "./support/token";

// Evidence in through the CI endpoints, the score and the gate out: a failing JUnit run lowers the score, makes
// the security check a blocker, and closes `npx preflight gate`; a chaos experiment's recovery is measured from
// the dashboard's own probe history.

const CONTROL = "http://127.0.0.1:17399";
const SECURITY_CHECK = "Security suite (zero trust, mTLS, PQC)";

type Readiness = {
  overallPct: number | null;
  gate: { passed: boolean; reasons: string[] };
  checks: { id: string; verdict: string; measured: string | null; source: string | null }[];
  blockers: { id: string }[];
  snapshot: { hash: string } | null;
  components: { id: string; status: string }[];
};

function junit(passed: number, failed: number): string {
  const cases = [
    ...Array.from(
      { length: passed },
      (_, i) => `<testcase classname="tests.security.test_mtls" name="test_ok_${i}" time="0.01"/>`,
    ),
    ...Array.from(
      { length: failed },
      (_, i) =>
        `<testcase classname="tests.security.test_mtls" name="test_refused_${i}" time="0.02"><failure message="client without certificate was accepted">AssertionError</failure></testcase>`,
    ),
  ];
  return `<?xml version="1.0"?><testsuites><testsuite name="security">${cases.join("")}</testsuite></testsuites>`;
}

async function readiness(api: APIRequestContext): Promise<Readiness> {
  const response = await api.get("/api/v1/readiness", { headers: AUTH });
  expect(response.status()).toBe(200);
  return (await response.json()) as Readiness;
}

function gate(baseURL: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      "npx",
      ["--no-install", "preflight", "gate", "--url", baseURL, "--token", E2E_TOKEN, "--min", "90"],
      { env: process.env },
    );
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout }));
  });
}

test("the evidence and readiness APIs refuse a caller without a token, and store nothing", async ({ request: api }) => {
  const before = await readiness(api);
  const push = await api.post("/api/v1/evidence/junit?suite=security&kind=security", {
    data: junit(0, 50),
    headers: { "content-type": "application/xml" },
  });
  expect(push.status()).toBe(401);
  expect(await push.json()).toEqual({ error: "missing Authorization header: send `Authorization: Bearer pf_…`" });
  expect((await api.get("/api/v1/readiness")).status()).toBe(401);
  const after = await readiness(api);
  expect(after.checks.find((c) => c.id === "security-tests")).toEqual(
    before.checks.find((c) => c.id === "security-tests"),
  );
});

/** A chunked upload over a plain socket, as curl -T - sends one: no Content-Length, `total` bytes of spaces. */
function chunkedUpload(
  baseURL: string,
  path: string,
  headers: Record<string, string>,
  total: number,
): Promise<{ status: number; body: string; sent: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let sent = 0;
    const req = httpRequest(
      new URL(path, baseURL),
      { method: "POST", headers: { ...headers, "transfer-encoding": "chunked" } },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sent, ms: Date.now() - started }));
      },
    );
    // The server may answer and close before the upload is through: that is the point, not an error.
    req.on("error", (error) => (answered ? undefined : reject(error)));
    let answered = false;
    req.on("response", () => (answered = true));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (sent < total && !answered) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

test("the real server: a 50 MiB chunked upload is refused at the limit, not cut and parsed; a NUL in a test name is a 422; any Content-Type is not accepted", async ({
  request: api,
  baseURL,
}) => {
  const before = await readiness(api);
  const fifty = 50 * 1024 * 1024;
  const anonymous = await chunkedUpload(
    baseURL ?? "",
    "/api/v1/evidence/junit?suite=security&kind=security",
    { "content-type": "application/xml" },
    fifty,
  );
  expect(anonymous.status).toBe(401);
  const big = await chunkedUpload(
    baseURL ?? "",
    "/api/v1/evidence/junit?suite=security&kind=security",
    { ...AUTH, "content-type": "application/xml" },
    fifty,
  );
  expect(big.status).toBe(413);
  expect(JSON.parse(big.body)).toEqual({ error: "the body is larger than the 10 MiB limit (evidence.maxUploadBytes)" });

  const nul = await api.post("/api/v1/evidence/junit?suite=security&kind=security", {
    data: '<testsuites><testsuite name="security"><testcase name="mtls&#0;refused"/></testsuite></testsuites>',
    headers: { ...AUTH, "content-type": "application/xml" },
  });
  expect(nul.status()).toBe(422);
  expect(((await nul.json()) as { error: string }).error).toContain(
    'testcase "mtls\\u0000refused": attribute name: control character U+0000 (NUL)',
  );
  const form = await api.post("/api/v1/evidence/junit?suite=security&kind=security", {
    data: "<testsuites/>",
    headers: { ...AUTH, "content-type": "application/x-www-form-urlencoded" },
  });
  expect(form.status()).toBe(415);
  expect(((await form.json()) as { error: string }).error).toBe(
    'Content-Type "application/x-www-form-urlencoded" is not accepted here: send application/xml or text/xml',
  );
  expect(form.headers()["x-content-type-options"]).toBe("nosniff");

  const after = await readiness(api);
  expect(after.checks.find((c) => c.id === "security-tests")).toEqual(
    before.checks.find((c) => c.id === "security-tests"),
  );
});

test("a failing JUnit run drops the score, blocks on the security check and closes the gate", async ({
  page,
  request: api,
  baseURL,
}) => {
  const pushSecurity = (passed: number, failed: number) =>
    api.post("/api/v1/evidence/junit?suite=security&kind=security", {
      data: junit(passed, failed),
      headers: { ...AUTH, "content-type": "application/xml" },
    });

  const passing = await pushSecurity(50, 0);
  expect(passing.status()).toBe(201);
  const before = await readiness(api);
  expect(before.checks.find((c) => c.id === "security-tests")).toMatchObject({
    verdict: "passed",
    measured: "100 %: 50 of 50 run passed",
  });
  expect(before.blockers.map((b) => b.id)).not.toContain("security-tests");
  const open = await gate(baseURL ?? "");
  expect(open.stdout).not.toContain(SECURITY_CHECK);

  const failing = await pushSecurity(40, 10);
  expect(failing.status()).toBe(201);
  const pushed = (await failing.json()) as {
    summary: { tests: number; failed: number; passRatePct: number };
    readiness: { overallPct: number };
  };
  expect(pushed.summary).toMatchObject({ tests: 50, failed: 10, passRatePct: 80 });

  const after = await readiness(api);
  expect(after.overallPct).toBeLessThan(before.overallPct ?? 0);
  expect(pushed.readiness.overallPct).toBe(after.overallPct);
  expect(after.checks.find((c) => c.id === "security-tests")).toMatchObject({
    verdict: "failed",
    measured: "80 %: 40 of 50 run passed",
    source: expect.stringMatching(/^JUnit run #\d+ \(security\) from token /),
  });
  expect(after.blockers.map((b) => b.id)).toContain("security-tests");
  expect(after.gate.passed).toBe(false);
  expect(after.snapshot?.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(after.snapshot?.hash).not.toBe(before.snapshot?.hash);

  // The pages say the same: the check failed with its measured value, the blocker on the overview.
  await page.goto("/scorecard");
  const row = page.locator('tr[data-check="security-tests"]');
  await expect(row).toHaveAttribute("data-verdict", "failed");
  await expect(row).toContainText("80 %: 40 of 50 run passed");
  await expect(page.getByTestId("blockers")).toContainText(SECURITY_CHECK);
  await page.goto("/tests");
  await expect(page.locator('tr[data-suite="security"] [data-testid="pass-rate"]')).toHaveText(/^80 %/);
  await expect(page.getByTestId("failures").first()).toContainText("test_refused_0");
  await page.goto("/criteria");
  await expect(page.locator('[data-criterion="security-configured"]')).toBeVisible();
  await page.goto("/");
  await expect(page.getByTestId("readiness-card")).toContainText(SECURITY_CHECK);
  await expect(page.getByTestId("readiness-score")).toHaveText(
    `${(Math.floor((after.overallPct ?? 0) * 10) / 10).toFixed(1)} %`,
  );

  const closed = await gate(baseURL ?? "");
  expect(closed.code).toBe(1);
  expect(closed.stdout).toContain("gate closed: x0tta6bl4 scores");
  // The gate line names the measured value and the threshold.
  expect(closed.stdout).toContain(
    `critical check "${SECURITY_CHECK}" is failed: measured 80 %: 40 of 50 run passed, needs pass rate ≥ 99 %; 80 % is below 99 %: 10 failed`,
  );

  // Leave the demo as it was found.
  expect((await pushSecurity(50, 0)).status()).toBe(201);
});

test("a chaos experiment's recovery is measured from the dashboard's own probe history", async ({
  request: api,
}, info) => {
  test.skip(info.project.name !== "embedded", "the demo stack is shared: one outage is enough");
  const control = await request.newContext();
  const setMode = async (mode: "down" | "healthy") =>
    expect((await control.post(`${CONTROL}/services/api/mode`, { data: { mode } })).ok()).toBe(true);
  const apiStatus = async () => (await readiness(api)).components.find((c) => c.id === "api")?.status;

  await expect.poll(apiStatus, { timeout: 30_000 }).toBe("up");
  const startedAt = new Date().toISOString();
  await setMode("down");
  await expect.poll(apiStatus, { timeout: 30_000, intervals: [1_000] }).toBe("down");
  await setMode("healthy");
  const endedAt = new Date().toISOString();
  await expect.poll(apiStatus, { timeout: 30_000, intervals: [1_000] }).toBe("up");
  await control.dispose();

  const push = await api.post("/api/v1/evidence/chaos", {
    data: { name: "api-restart", fault: "service stopped", target: "api", startedAt, endedAt },
    headers: AUTH,
  });
  expect(push.status()).toBe(201);
  const check = (await readiness(api)).checks.find((c) => c.id === "api-restart-recovery");
  expect(check).toMatchObject({ verdict: "passed", source: expect.stringMatching(/recovery from probe history$/) });
  const [, value, unit] = /^recovered in (\d+)(ms|s)$/.exec(check?.measured ?? "") ?? [];
  const seconds = Number(value) / (unit === "ms" ? 1000 : 1);
  // Probes run every 5 s: the API is seen up again within an interval or two of the fault's end.
  expect(seconds).toBeGreaterThanOrEqual(0);
  expect(seconds).toBeLessThanOrEqual(15);
  test.info().annotations.push({ type: "measured recovery", description: check?.measured ?? "" });
});

test("a k6 summary uploaded in the browser by an editor is judged against its thresholds; a viewer cannot upload", async ({
  browser,
  baseURL,
}, info) => {
  test.skip(info.project.name !== "embedded", "one upload through the form is enough");
  const viewer = await pageAs(browser, baseURL, "viewer");
  const refused = await viewer.goto("/evidence");
  expect(refused?.status()).toBe(403);
  await expect(viewer.getByRole("heading", { name: "Not permitted" })).toBeVisible();
  await viewer.context().close();

  const page = await pageAs(browser, baseURL, "editor");
  await page.goto("/load-chaos");
  await expect(page.locator('[data-load-test="k6-baseline"] tr[data-run]')).toHaveCount(0);
  await page.goto("/evidence");
  const form = page.getByTestId("k6-form");
  await form.getByLabel("Summary file").setInputFiles("lib/evidence/fixtures/k6-summary-export.json");
  await form.getByLabel("Test name").fill("k6-baseline");
  await form.getByRole("button", { name: "Upload summary" }).click();
  await expect(page.getByTestId("upload-ok")).toBeVisible({ timeout: 15_000 });
  await page.goto("/load-chaos");
  const runs = page.locator('[data-load-test="k6-baseline"] tr[data-run]');
  await expect(runs).toHaveCount(1);
  // The fixture's http_req_failed threshold was crossed (summary-export: true means failed).
  await expect(runs.first().locator('[data-threshold-passed="false"]')).not.toHaveCount(0);
  await page.goto("/scorecard");
  await expect(page.locator('tr[data-check="k6-baseline"]')).toHaveAttribute("data-verdict", "failed");
  await page.context().close();
});

test("an attestation answered in the browser: a javascript: link is refused by field, a real one passes the check", async ({
  page,
}, info) => {
  test.skip(info.project.name !== "embedded", "one form is enough");
  const fill = async (url: string) => {
    await page.goto("/evidence");
    const form = page.getByTestId("attestation-form");
    await form.getByLabel("Check").selectOption("k8s-cluster-deployed");
    await form.getByLabel("Yes").check();
    await form.getByLabel("Evidence URL").fill(url);
    await form.getByLabel("Expires at").fill("2030-01-01T00:00");
    await form.getByRole("button", { name: "Save attestation" }).click();
    return form;
  };
  const refused = await fill("javascript:alert(1)");
  await expect(refused.getByTestId("upload-error")).toBeVisible();
  // The field says what is wrong, beside the field.
  await expect(refused.getByLabel("Evidence URL")).toHaveAttribute("aria-invalid", "true");
  await expect(refused.getByText("expected an http or https URL", { exact: true })).toBeVisible();
  await page.goto("/scorecard");
  await expect(page.locator('tr[data-check="k8s-cluster-deployed"]')).toHaveAttribute("data-verdict", "pending");

  const saved = await fill("https://ci.x0tta6bl4.example/staging/deploy/42");
  await expect(saved.getByTestId("upload-ok")).toBeVisible({ timeout: 15_000 });
  await page.goto("/scorecard");
  const row = page.locator('tr[data-check="k8s-cluster-deployed"]');
  await expect(row).toHaveAttribute("data-verdict", "passed");
  await expect(row.getByRole("link", { name: /ci\.x0tta6bl4\.example/ })).toHaveAttribute(
    "href",
    "https://ci.x0tta6bl4.example/staging/deploy/42",
  );
  // The criterion that takes this check's verdict follows it.
  await page.goto("/criteria");
  await expect(page.locator('[data-criterion="cluster-deployment"]')).toHaveAttribute("data-verdict", "passed");
});
