import { expect, test } from "@playwright/test";
import { pageAs } from "./support/sign-in";
import { AUTH } from "./support/token";

// The server of this project (e2e/support/start-stale.ts) holds a state row for every component saying "up since
// three days ago", last checked two days ago, and runs no worker. Nothing vouches for that state any more, so
// every page and API must say unknown, the stability and uptime checks must be pending, and a sign-off must not
// bind to a snapshot that says up.

type TCheck = { id: string; verdict: string; measured: string | null; reason: string | null };
type TReadiness = {
  components: { id: string; status: string; since: string | null; display: { inState: string | null } }[];
  checks: TCheck[];
  criteria: TCheck[];
  snapshot: { hash: string };
  signOffs: { role: string; snapshot: { hash: string } | null }[];
};

test("a state nobody has checked for two days reads unknown everywhere, and nothing is scored on it", async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  const api = (await (await request.get("/api/v1/readiness", { headers: AUTH })).json()) as TReadiness;
  expect(api.components.length).toBeGreaterThanOrEqual(7);
  for (const c of api.components)
    expect(c, c.id).toMatchObject({ status: "unknown", since: null, display: { inState: null } });
  const check = (id: string) => [...api.checks, ...api.criteria].find((c) => c.id === id);
  // Stability (componentUp) and uptime checks: pending, never passed on a stored "up".
  for (const id of ["api-serving", "prometheus-up", "api-uptime", "database-stable"])
    expect(check(id)?.verdict, id).toBe("pending");
  expect(check("api-serving")?.reason).toContain("unknown");

  await page.goto("/");
  const rows = page.locator("tr[data-component]");
  await expect(rows).toHaveCount(api.components.length);
  await expect(page.locator('tr[data-component] [data-status="unknown"]')).toHaveCount(api.components.length);
  await expect(page.getByTestId("health-summary")).toContainText(`0/${api.components.length} services operational`);

  await page.goto("/components/api");
  await expect(page.locator('header [data-status="unknown"]')).toBeVisible();
  await expect(page.getByTestId("in-state")).toHaveText("no recent check vouches for a state");

  await page.goto("/scorecard");
  for (const id of ["api-serving", "api-uptime"])
    await expect(page.locator(`#check-${id}`)).toHaveAttribute("data-verdict", "pending");

  const report = await (await request.get("/api/v1/report.md")).text();
  const apiLine = report.split("\n").find((l) => l.startsWith("| API | FastAPI Server |"));
  expect(apiLine).toContain("**unverified** (unknown)");
  expect(apiLine).toContain("no worker is checking");
  expect(apiLine).not.toMatch(/\bup for\b/);

  const metrics = await (await request.get("/metrics")).text();
  expect(metrics).toContain('preflight_component_status{component="api",status="unknown"} 1');
  expect(metrics).toContain('preflight_component_status{component="api",status="up"} 0');
  expect(metrics).not.toMatch(/^preflight_component_up\{/m);

  // An approver signs: the snapshot the sign-off is bound to is the one that says unknown and pending.
  const lead = await pageAs(browser, baseURL, "tech-lead");
  await lead.goto("/signoff");
  const form = lead.getByTestId("sign-technical-lead");
  await form.getByRole("radio", { name: "Ready (not yet approved)" }).check();
  await form.getByRole("button", { name: /^Sign as/ }).click();
  await expect(form.getByTestId("sign-ok")).toBeVisible({ timeout: 15_000 });
  const after = (await (await request.get("/api/v1/readiness", { headers: AUTH })).json()) as TReadiness;
  const bound = after.signOffs.find((s) => s.role === "technical-lead")?.snapshot?.hash;
  expect(bound).toBe(after.snapshot.hash);
  expect(after.checks.find((c) => c.id === "api-serving")?.verdict).toBe("pending");
  await lead.context().close();
});
