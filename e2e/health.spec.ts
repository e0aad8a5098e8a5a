import { expect, request, test, type Page } from "@playwright/test";
import { AUTH } from "./support/token";

// Stops a demo service and watches its row in the browser, with no reload: down within two probe
// intervals (plus the page's own refresh), and up again after it recovers.

const CONTROL = "http://127.0.0.1:17399";
const PROBE_INTERVAL_MS = 5_000;
const PAGE_REFRESH_MS = 3_000;

async function setMode(service: string, mode: "healthy" | "down") {
  const api = await request.newContext();
  const response = await api.post(`${CONTROL}/services/${service}/mode`, { data: { mode } });
  expect(response.ok()).toBe(true);
  await api.dispose();
}

/** The distinct fill colours of every icon link's circle: one colour, on every link, or the tab shows the wrong one. */
const iconColours = (page: Page) =>
  page.evaluate(() => [
    ...new Set(
      [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')].map(
        (l) => /<circle[^>]*fill="(#[0-9a-f]{6})"/.exec(decodeURIComponent(l.href))?.[1] ?? l.href,
      ),
    ),
  ]);

const row = (page: Page, id: string) => page.locator(`tr[data-component="${id}"]`);

test.afterEach(async () => {
  await setMode("api", "healthy");
  await setMode("redis", "healthy");
});

test("readiness API lists the eight components of x0tta6bl4, all up", async ({ request: api }) => {
  await expect
    .poll(
      async () => {
        const body = (await (await api.get("/api/v1/readiness", { headers: AUTH })).json()) as {
          components: { status: string }[];
        };
        return body.components.map((c) => c.status);
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toEqual(Array(8).fill("up"));
  const health = (await (await api.get("/api/health")).json()) as { status: string; worker: { running: boolean } };
  expect(health).toMatchObject({ status: "ok", worker: { running: true } });
});

test("the overview shows the component health table, live", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "x0tta6bl4" })).toBeVisible();
  await expect(page.getByTestId("health-summary")).toHaveText(/8\/8 services operational/, { timeout: 30_000 });
  for (const service of ["FastAPI Server", "PostgreSQL", "Redis", "Prometheus", "Grafana", "AlertManager", "Jaeger"]) {
    await expect(page.getByRole("cell", { name: service, exact: true })).toBeVisible();
  }
  await expect(row(page, "database")).toContainText("SELECT 1 → 1");
  await expect(row(page, "cache")).toContainText("PONG");
  await expect(row(page, "api")).toContainText("HTTP 200");
});

for (const [service, component, name] of [
  ["api", "api", "API"],
  ["redis", "cache", "Cache"],
] as const) {
  test(`a stopped ${service} turns its row down within two probe intervals, and up after recovery`, async ({
    page,
  }) => {
    await page.goto("/");
    const badge = row(page, component).locator("[data-status]");
    await expect(badge).toHaveAttribute("data-status", "up", { timeout: 30_000 });

    const stoppedAt = Date.now();
    await setMode(service, "down");
    await expect(badge).toHaveAttribute("data-status", "down", {
      timeout: 2 * PROBE_INTERVAL_MS + PAGE_REFRESH_MS + 1_000,
    });
    await expect(row(page, component)).toContainText("connection refused");
    await expect(page.getByTestId("health-summary")).toHaveText(/7\/8 services operational/);
    test.info().annotations.push({ type: "down after", description: `${Date.now() - stoppedAt} ms` });
    // The operator's signs: a banner naming it, a tinted row, the tab's title and a red favicon.
    await expect(page.getByTestId("outage-banner")).toContainText(`Outage: ${name} down`);
    await expect(row(page, component)).toHaveAttribute("data-down", "");
    await expect(page).toHaveTitle("▼ 1 down · x0tta6bl4");
    await expect.poll(() => iconColours(page)).toEqual(["#b91c1c"]);
    // Another page says so too.
    const other = await page.context().newPage();
    await other.goto("/scorecard");
    await expect(other.getByTestId("outage-banner")).toContainText(name);
    await expect(other).toHaveTitle("▼ 1 down · x0tta6bl4");
    await other.close();

    const recoveredAt = Date.now();
    await setMode(service, "healthy");
    await expect(badge).toHaveAttribute("data-status", "up", {
      timeout: 2 * PROBE_INTERVAL_MS + PAGE_REFRESH_MS + 1_000,
    });
    await expect(page.getByTestId("health-summary")).toHaveText(/8\/8 services operational/);
    test.info().annotations.push({ type: "up after", description: `${Date.now() - recoveredAt} ms` });
    // Recovery is announced the same way, and the title and favicon say so.
    await expect(page.getByTestId("outage-banner")).toHaveCount(0);
    await expect(page.getByTestId("recovery-banner")).toContainText(`Recovered: ${name} up again at`);
    await expect(row(page, component)).not.toHaveAttribute("data-down", "");
    await expect(page).toHaveTitle("▲ recovered · x0tta6bl4");
    await expect.poll(() => iconColours(page)).toEqual(["#047857"]);
  });
}

test("the demo is labelled as a demo and its control page lists the seven simulators", async ({ page }, info) => {
  test.skip(info.project.name !== "embedded", "only the demo server runs the demo stack's control page");
  await page.goto("/demo");
  await expect(page.getByRole("note")).toContainText("Demo");
  await expect(page.locator("tr[data-demo-service]")).toHaveCount(8);
});
