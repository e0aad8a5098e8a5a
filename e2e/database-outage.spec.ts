import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { AUTH } from "./support/token";

// The server of this project (e2e/support/start-db-outage.ts) runs on a PostgreSQL of its own, which this spec
// stops and starts through the start script's control server. While it is down: an open overview stops saying
// "Live" and marks every figure stale with its age under a banner saying since when; a page opened then says the
// database is unreachable instead of the framework's error; /login still renders; every API answers 503 with a
// JSON reason; /api/health reports the embedded worker and its buffered results from its heartbeat file.

const CONTROL = "http://127.0.0.1:17398";
const UNREACHABLE = /^Preflight's database is unreachable: /;

async function screenshot(page: Page, name: string) {
  mkdirSync("e2e/artifacts", { recursive: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `e2e/artifacts/${name}-390.png`, fullPage: true });
}

test("Preflight's own database stops: honest pages, stale marks, 503 JSON, the workers' buffer", async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  await page.goto("/");
  const rows = page.locator("tr[data-component]");
  await expect(rows).toHaveCount(3);
  await expect(page.locator('tr[data-component] [data-status="up"]')).toHaveCount(3, { timeout: 30_000 });
  const indicator = page.locator("[data-live]");
  await expect(indicator).toHaveAttribute("data-live", "live", { timeout: 15_000 });
  await expect(page.locator("[data-stale-mark]")).toHaveCount(0);

  expect((await request.post(`${CONTROL}/postgres/stop`)).ok()).toBe(true);
  const fresh = await page.context().newPage();
  try {
    // The open page: not live any more, a banner that says why and since when, and every figure marked with its age.
    await expect(indicator).toHaveAttribute("data-live", "stale", { timeout: 20_000 });
    await expect(indicator).toHaveText("Not live: database unreachable");
    const banner = page.getByTestId("stale-banner");
    await expect(banner).toContainText(
      /Preflight's database is unreachable since \d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2} \S+; figures below are from /,
    );
    const figures = page.locator("[data-figure]");
    const total = await figures.count();
    expect(total).toBeGreaterThanOrEqual(3 * 4);
    await expect(page.locator("[data-figure][data-stale]")).toHaveCount(total);
    await expect(page.locator('tr[data-component="api"] [data-stale-mark]').first()).toHaveText(/stale · \d+s/);
    // The old figures are still there, each under its mark: "✓ Up", but not as a current reading.
    await expect(page.locator('tr[data-component] [data-stale] [data-status="up"]')).toHaveCount(3);
    await screenshot(page, "database-outage-open");

    // The APIs: 503, a JSON reason, Retry-After.
    for (const [path, headers] of [
      ["/api/v1/readiness", AUTH],
      ["/api/v1/report.md", AUTH],
      ["/api/v1/report.pdf", AUTH],
      ["/api/v1/audit/head", AUTH],
      ["/metrics", {}],
    ] as const) {
      const response = await request.get(path, { headers });
      expect(response.status(), path).toBe(503);
      expect(response.headers()["retry-after"], path).toBe("5");
      expect(((await response.json()) as { error: string }).error, path).toMatch(UNREACHABLE);
    }
    // /api/health, from the worker's heartbeat file: running, and results waiting in its buffer.
    // Results wait between two flushes anyway: "buffering" is the worker's word that a write failed, so wait for both.
    await expect
      .poll(
        async () => {
          const { worker } = (await (await request.get("/api/health")).json()) as {
            worker: { bufferedResults: number; buffering: number };
          };
          return worker.buffering === 1 && worker.bufferedResults > 0;
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    const health = await request.get("/api/health");
    expect(health.status()).toBe(503);
    expect(await health.json()).toMatchObject({
      status: "down",
      error: expect.stringMatching(UNREACHABLE),
      database: { ok: false },
      worker: { running: true, workers: 1, buffering: 1, from: ["file"] },
    });

    // A page opened now: the outage state, the workers' word on their buffer, no figure, no framework error.
    await fresh.goto("/");
    const outage = fresh.getByTestId("database-outage");
    await expect(outage).toContainText(
      /Preflight's database is unreachable since \d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2}/,
    );
    await expect(outage).toContainText("No figures are shown until it answers");
    // The driver's own reason, not a framework code.
    await expect(outage).toContainText("ECONNREFUSED");
    await expect(fresh.getByTestId("outage-workers")).toContainText(
      /1 worker checking; \d+ results? waiting to be written/,
    );
    await expect(fresh.getByTestId("account-unavailable")).toBeVisible();
    await expect(fresh.locator("tr[data-component]")).toHaveCount(0);
    await expect(fresh.getByText("This page couldn't load")).toHaveCount(0);
    await screenshot(fresh, "database-outage");
    for (const path of ["/components/api", "/scorecard", "/baselines"]) {
      const other = await page.context().newPage();
      await other.goto(path);
      await expect(other.getByTestId("database-outage"), path).toBeVisible();
      await other.close();
    }

    // /login still renders, and says why no one can sign in.
    const anonymous = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const login = await anonymous.newPage();
    await login.goto("/login");
    await expect(login.getByRole("heading", { name: "Sign in to Preflight" })).toBeVisible();
    await expect(login.getByTestId("signin-unavailable")).toContainText(
      "Sign-in is unavailable: Preflight's database is unreachable since",
    );
    await expect(login.getByLabel("Email")).toBeDisabled();
    await anonymous.close();
  } finally {
    expect((await request.post(`${CONTROL}/postgres/start`)).ok()).toBe(true);
  }

  // Back: both pages come back by themselves, live, with no stale mark.
  await expect(indicator).toHaveAttribute("data-live", "live", { timeout: 30_000 });
  await expect(page.locator("[data-stale-mark]")).toHaveCount(0);
  await expect(page.getByTestId("stale-banner")).toHaveCount(0);
  await expect(fresh.locator("tr[data-component]")).toHaveCount(3, { timeout: 20_000 });
  await expect
    .poll(
      async () => {
        const body = (await (await request.get("/api/health")).json()) as {
          database: { ok: boolean };
          worker: { bufferedResults: number };
        };
        return body.database.ok && body.worker.bufferedResults === 0;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
});

// The race the first test can only hit by chance: a page asks /api/health, hears "it answers", refreshes, and the
// database goes before the server renders. Here the page's event stream is a stand-in that announces a stored batch
// every second, and /api/health answers "ok" once after the database stopped, as it would in that moment. The
// refresh comes back as the outage page; the open page keeps its figures, every one marked stale, and recovers.
test("a refresh that races the database going keeps the open page's figures, marked stale", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  await expect.poll(async () => (await request.get("/api/health")).status(), { timeout: 30_000 }).toBe(200);
  let lie = false;
  let lied = 0;
  await page.route("**/api/events", (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/event-stream",
      body: `retry: 1000\nevent: hello\ndata: {}\n\nevent: results\ndata: {}\n\n`,
    }),
  );
  await page.route("**/api/health", async (route) => {
    if (!lie) return route.fallback();
    lie = false;
    lied += 1;
    return route.fulfill({
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ status: "ok", database: { ok: true } }),
    });
  });
  await page.goto("/");
  const rows = page.locator("tr[data-component]");
  await expect(page.locator('tr[data-component] [data-status="up"]')).toHaveCount(3, { timeout: 30_000 });
  const total = await page.locator("[data-figure]").count();
  expect(total).toBeGreaterThanOrEqual(3 * 4);

  expect((await request.post(`${CONTROL}/postgres/stop`)).ok()).toBe(true);
  try {
    lie = true;
    await expect.poll(() => lied, { timeout: 15_000 }).toBe(1);
    const indicator = page.locator("[data-live]");
    await expect(indicator).toHaveAttribute("data-live", "stale", { timeout: 20_000 });
    await expect(indicator).toHaveText("Not live: database unreachable");
    await expect(page.getByTestId("stale-banner")).toContainText("Preflight's database is unreachable since");
    await expect(page.getByTestId("database-outage")).toHaveCount(0);
    await expect(rows).toHaveCount(3);
    await expect(page.locator("[data-figure][data-stale]")).toHaveCount(total);
    await expect(page.locator('tr[data-component] [data-stale] [data-status="up"]')).toHaveCount(3);
  } finally {
    expect((await request.post(`${CONTROL}/postgres/start`)).ok()).toBe(true);
  }
  await expect(page.locator("[data-live]")).not.toHaveAttribute("data-live", "stale", { timeout: 30_000 });
  await expect(page.getByTestId("stale-banner")).toHaveCount(0);
  await expect(page.locator("[data-stale-mark]")).toHaveCount(0);
  await expect(rows).toHaveCount(3);
});
