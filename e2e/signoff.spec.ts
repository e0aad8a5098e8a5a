import { spawn } from "node:child_process";
import { expect, request, test, type Page } from "@playwright/test";
import { pageAs } from "./support/sign-in";
import { AUTH, E2E_TOKEN } from "./support/token";

// Sign-off in the browser (reference section 11): approvers sign their own roles against the snapshot they saw;
// others cannot; a failing evidence push afterwards makes the sign-offs stale and the gate stays closed. And the
// doors: anonymous visitors are sent to the login page, the setup page refuses once anyone has an account.

const junit = (passed: number, failed: number) =>
  `<testsuites><testsuite name="security">${'<testcase classname="t" name="ok"/>'.repeat(passed)}${'<testcase classname="t" name="bad"><failure message="accepted a client without a certificate"/></testcase>'.repeat(failed)}</testsuite></testsuites>`;

/** Signs one role from the page; a snapshot change while the page was open is retried, as a person would. */
async function sign(
  page: Page,
  role: string,
  decision: "Approve go-live" | "Ready (not yet approved)" | "Reject",
  comment = "",
) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.goto("/signoff");
    const form = page.getByTestId(`sign-${role}`);
    await form.getByRole("radio", { name: decision }).check();
    if (comment) await form.getByLabel(/^Comment/).fill(comment);
    await form.getByRole("button", { name: /^Sign as/ }).click();
    // Approving below the gate or with critical blockers asks first, listing them.
    const confirm = form.getByRole("dialog", { name: /anyway\?$/ });
    await expect(form.getByTestId("sign-ok").or(form.getByTestId("sign-error")).or(confirm)).toBeVisible({
      timeout: 15_000,
    });
    if (await confirm.isVisible()) {
      await expect(confirm.getByTestId("confirm-warnings")).toContainText(/against a gate of 90 %|critical blocker/);
      await confirm.getByRole("button", { name: "Approve anyway" }).click();
      await expect(form.getByTestId("sign-ok").or(form.getByTestId("sign-error"))).toBeVisible({ timeout: 15_000 });
    }
    if (await form.getByTestId("sign-ok").isVisible()) return;
    const error = await form.getByTestId("sign-error").textContent();
    if (!error?.includes("readiness changed while you were reading")) throw new Error(`signing failed: ${error}`);
  }
  throw new Error("readiness kept changing while signing");
}

function gate(baseURL: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("npx", [
      "--no-install",
      "preflight",
      "gate",
      "--url",
      baseURL,
      "--token",
      E2E_TOKEN,
      "--min",
      "0",
    ]);
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => resolve({ code, out }));
  });
}

test("anonymous visitors are sent to the login page, and mutating endpoints refuse them", async ({ baseURL }) => {
  const anonymous = await request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  for (const path of ["/", "/scorecard", "/signoff", "/admin/users", "/audit"]) {
    const response = await anonymous.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(307);
    expect(response.headers().location, path).toMatch(/^\/login/);
  }
  expect((await anonymous.post("/api/v1/components/api/probe")).status()).toBe(401);
  expect((await anonymous.get("/api/events")).status()).toBe(401);
  // Public sign-up is off: accounts come from invitations only.
  const signUp = await anonymous.post("/api/auth/sign-up/email", {
    data: { email: "mallory@example.com", password: "correct horse battery", name: "M" },
    headers: { origin: baseURL ?? "" },
  });
  expect(signUp.ok()).toBe(false);
  // Pages carry a CSP with a nonce and the usual security headers.
  const login = await anonymous.get("/login");
  expect(login.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(login.headers()["x-frame-options"]).toBe("DENY");
  expect(login.headers()["x-content-type-options"]).toBe("nosniff");
  await anonymous.dispose();
});

test("the setup page refuses once a user exists", async ({ page }) => {
  await page.goto("/setup");
  await expect(page.getByTestId("setup-closed")).toContainText("Setup is done: an administrator already exists");
  await expect(page.getByRole("button", { name: "Create the administrator" })).toHaveCount(0);
});

test("two approvers sign in the browser; others are refused; a failing push makes the sign-offs stale and the gate stays closed", async ({
  browser,
  baseURL,
  request: api,
}, info) => {
  test.skip(info.project.name !== "embedded", "the browser flow once is enough");
  test.setTimeout(120_000);
  const security = await pageAs(browser, baseURL, "security");
  const techLead = await pageAs(browser, baseURL, "tech-lead");

  await sign(security, "security-officer", "Approve go-live");
  await sign(techLead, "technical-lead", "Approve go-live");

  // The grid: names, dates and the snapshot each was given against.
  await techLead.goto("/signoff");
  const grid = techLead.getByTestId("signoff-grid");
  for (const [role, name] of [
    ["security-officer", "Sam Security"],
    ["technical-lead", "Tia Tech-Lead"],
  ] as const) {
    const row = grid.locator(`tr[data-role="${role}"]`);
    await expect(row).toHaveAttribute("data-state", "approved");
    await expect(row.getByTestId("signed-by")).toHaveText(name);
    await expect(row.getByTestId("signed-snapshot")).toContainText(/\d+\.\d %/);
    await expect(row.getByTestId("signed-snapshot")).toContainText(/[0-9a-f]{12}/);
  }
  await expect(grid.locator('tr[data-role="product-owner"]')).toHaveAttribute("data-state", "pending");

  // A viewer sees the grid but no form; an approver of another role has no form for this one, and a forged
  // submission (their own form, its role field changed in the page) is refused with nothing stored.
  const viewer = await pageAs(browser, baseURL, "viewer");
  await viewer.goto("/signoff");
  await expect(viewer.getByTestId("signoff-grid")).toBeVisible();
  await expect(viewer.locator('form[data-testid^="sign-"]')).toHaveCount(0);
  const ops = await pageAs(browser, baseURL, "ops");
  await ops.goto("/signoff");
  await expect(ops.getByTestId("sign-security-officer")).toHaveCount(0);
  const form = ops.getByTestId("sign-operations-lead");
  await form.locator('input[name="role"]').evaluate((input: HTMLInputElement) => (input.value = "security-officer"));
  await form.getByRole("radio", { name: "Reject" }).check();
  await form.getByLabel(/^Comment/).fill("forged");
  await form.getByRole("button", { name: /^Sign as/ }).click();
  await expect(form.getByTestId("sign-error")).toContainText("you do not hold the Security Officer sign-off role");
  // A refused submission keeps what was chosen and written.
  await expect(form.getByLabel(/^Comment/)).toHaveValue("forged");
  await expect(form.getByRole("radio", { name: "Reject" })).toBeChecked();
  await security.goto("/signoff");
  await expect(security.locator('tr[data-role="security-officer"] [data-testid="signed-by"]')).toHaveText(
    "Sam Security",
  );
  const before = (await (await api.get("/api/v1/readiness", { headers: AUTH })).json()) as {
    signOffs: { role: string; decision: string | null; comment: string | null }[];
  };
  expect(before.signOffs.find((s) => s.role === "security-officer")).toMatchObject({
    decision: "approve",
    comment: "",
  });

  // The security suite now fails: both sign-offs go stale, and go-live lists them.
  const push = await api.post("/api/v1/evidence/junit?suite=security&kind=security", {
    data: junit(40, 10),
    headers: { ...AUTH, "content-type": "application/xml" },
  });
  expect(push.status()).toBe(201);
  await security.goto("/signoff");
  for (const role of ["security-officer", "technical-lead"]) {
    await expect(security.locator(`tr[data-role="${role}"]`)).toHaveAttribute("data-state", "stale");
  }
  await expect(security.locator('tr[data-role="security-officer"]')).toContainText(
    "readiness regressed after signing: a critical check failed",
  );
  // What regressed, check by check, before and after.
  await expect(security.locator('tr[data-role="security-officer"] [data-testid="regressed"]')).toContainText(
    /→ failed \(/,
  );
  await expect(security.getByTestId("signoff-grace")).toContainText("10 min");
  await security.goto("/");
  await expect(security.getByTestId("go-live")).toHaveAttribute("data-approved", "false");
  await expect(security.getByTestId("go-live-missing")).toContainText(
    "Security Officer: sign-off stale (Sam Security)",
  );
  const closed = await gate(baseURL ?? "");
  expect(closed.code).toBe(1);
  expect(closed.out).toContain("sign-off: Security Officer: sign-off stale (Sam Security)");
  const after = (await (await api.get("/api/v1/readiness", { headers: AUTH })).json()) as {
    goLive: { approved: boolean };
    signOffs: { role: string; state: string }[];
  };
  expect(after.goLive.approved).toBe(false);
  expect(
    after.signOffs
      .filter((s) => s.state === "stale")
      .map((s) => s.role)
      .sort(),
  ).toEqual(["security-officer", "technical-lead"]);

  // Leave the suite green again for the tests that follow (the sign-offs stay stale until given again).
  expect(
    (
      await api.post("/api/v1/evidence/junit?suite=security&kind=security", {
        data: junit(50, 0),
        headers: { ...AUTH, "content-type": "application/xml" },
      })
    ).status(),
  ).toBe(201);
  for (const p of [security, techLead, viewer, ops]) await p.context().close();
});

test("an approver is told their sign-off is requested, confirms an approval below the gate, then sees their decision", async ({
  browser,
  baseURL,
}, info) => {
  test.skip(info.project.name !== "embedded", "the browser flow once is enough");
  test.setTimeout(90_000);
  const ops = await pageAs(browser, baseURL, "ops");
  await ops.goto("/");
  await expect(ops.getByTestId("signoff-requested")).toContainText("Operations Lead");
  await expect(ops.getByTestId("signoff-badge")).toContainText("1");
  const y = async (testId: string) => (await ops.getByTestId(testId).boundingBox())?.y ?? Number.POSITIVE_INFINITY;
  for (let attempt = 0; ; attempt++) {
    await ops.goto("/signoff");
    // Their form is the first thing on the page.
    expect(await y("own-signoff")).toBeLessThan(await y("go-live"));
    expect(await y("own-signoff")).toBeLessThan(await y("signoff-grid"));
    const panel = ops.getByTestId("sign-operations-lead");
    const row = ops.getByTestId("signoff-grid").locator('tr[data-role="operations-lead"]');
    await panel.getByRole("radio", { name: "Approve go-live" }).check();
    await panel.getByRole("button", { name: /^Sign as/ }).click();
    // Below the gate and with critical blockers: a confirmation that lists them; cancelling stores nothing.
    const dialog = panel.getByRole("dialog", { name: "Approve go-live as Operations Lead anyway?" });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
    await expect(dialog.getByTestId("confirm-warnings")).toContainText(/critical blocker|against a gate of 90 %/);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    // Nothing was stored: read again from the server.
    await ops.reload();
    await expect(row).toHaveAttribute("data-state", "pending");
    await panel.getByRole("radio", { name: "Approve go-live" }).check();
    await panel.getByRole("button", { name: /^Sign as/ }).click();
    await dialog.getByRole("button", { name: "Approve anyway" }).click();
    await expect(panel.getByTestId("sign-ok").or(panel.getByTestId("sign-error"))).toBeVisible({ timeout: 15_000 });
    if (await panel.getByTestId("sign-ok").isVisible()) break;
    // The readiness changed while the page was open: read it again, as a person would.
    expect(await panel.getByTestId("sign-error").textContent()).toContain("readiness changed while you were reading");
    expect(attempt).toBeLessThan(2);
  }
  const panel = ops.getByTestId("sign-operations-lead");
  // The form is closed and shows the decision; it can be changed while the round is open.
  await expect(panel.getByTestId("own-decision")).toHaveAttribute("data-decision", "approve");
  await expect(panel.getByRole("radio")).toHaveCount(0);
  await expect(ops.getByTestId("signoff-grid").locator('tr[data-role="operations-lead"]')).toHaveAttribute(
    "data-state",
    "approved",
  );
  await expect(ops.getByTestId("signoff-badge")).toHaveCount(0);
  await panel.getByRole("button", { name: "Change my decision" }).click();
  await expect(panel.getByRole("radio", { name: "Reject" })).toBeVisible();
  await panel.getByRole("button", { name: "Keep my decision" }).click();
  await expect(panel.getByTestId("own-decision")).toBeVisible();
  // Signed: the overview asks nothing of them any more.
  await ops.goto("/");
  await expect(ops.getByTestId("signoff-requested")).toHaveCount(0);
  await ops.context().close();
});

test("admins read the audit log with its chain intact; other roles are refused", async ({
  page,
  browser,
  baseURL,
}, info) => {
  test.skip(info.project.name !== "embedded", "once is enough");
  await page.goto("/audit");
  await expect(page.getByTestId("audit-chain")).toHaveAttribute("data-chain", "intact");
  await expect(page.getByTestId("audit-chain")).toContainText(/Chain: intact, \d+ entries/);
  // The sign-offs and evidence pushes of the tests before this one are there, with who did them.
  await expect(page.getByTestId("audit-log")).toContainText("signoff.sign");
  await expect(page.getByTestId("audit-log")).toContainText("Sam Security");
  const editor = await pageAs(browser, baseURL, "editor");
  expect((await editor.goto("/audit"))?.status()).toBe(403);
  expect((await editor.goto("/admin/users"))?.status()).toBe(403);
  await editor.context().close();
});
