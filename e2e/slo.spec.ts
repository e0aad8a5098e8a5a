import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, request, test } from "@playwright/test";
import { AUTH, E2E_TOKEN } from "./support/token";

// An outage of the demo's API burns its availability SLO's error budget: the SLO card says fast burn, the scorecard's
// slo check fails, and `npx preflight gate --no-fast-burn` exits 1 naming the SLO. The SLO page shows the budget.

const CONTROL = "http://127.0.0.1:17399";
const BIN = join(import.meta.dirname, "..", "bin", "preflight.mjs");

type TSlo = { id: string; state: string; alert: string | null; budget: { remainingPct: number | null } };
type TReadiness = { slos: TSlo[]; checks: { id: string; verdict: string; reason: string | null }[] };

async function setMode(service: string, mode: "healthy" | "down") {
  const api = await request.newContext();
  const response = await api.post(`${CONTROL}/services/${service}/mode`, { data: { mode } });
  expect(response.ok()).toBe(true);
  await api.dispose();
}

function gate(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "gate", ...args], {
      env: { ...process.env, PREFLIGHT_TOKEN: E2E_TOKEN },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

test.afterEach(async ({ request: api }) => {
  await setMode("api", "healthy");
  // Every e2e server probes the same demo services: leave only once this one has seen the API up again, and one
  // probe interval more, so the next spec (of any project) starts with it up.
  await expect
    .poll(
      async () => {
        const body = (await (await api.get("/api/v1/readiness", { headers: AUTH })).json()) as {
          components: { id: string; observedStatus: string }[];
        };
        return body.components.find((c) => c.id === "api")?.observedStatus;
      },
      { timeout: 30_000, intervals: [1_000] },
    )
    .toBe("up");
  await new Promise((resolve) => setTimeout(resolve, 5_000));
});

test("an outage burns the budget: the SLO card shows fast burn, the slo check fails, the gate exits 1 naming it", async ({
  page,
  request: api,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const readiness = async () => (await (await api.get("/api/v1/readiness", { headers: AUTH })).json()) as TReadiness;
  await page.goto("/");
  const card = page.locator('[data-slo="api-availability"]');
  await expect(card).toBeVisible();
  await expect(card.getByRole("meter", { name: /Error budget left/ })).toBeVisible();

  await setMode("api", "down");
  await expect
    .poll(async () => (await readiness()).slos.find((s) => s.id === "api-availability")?.alert, {
      timeout: 60_000,
      intervals: [1_000],
    })
    .toBe("fast burn");
  const body = await readiness();
  const check = body.checks.find((c) => c.id === "api-availability-slo");
  expect(check?.verdict).toBe("failed");
  expect(check?.reason).toMatch(/fast burn|of the error budget left/);

  await page.reload();
  await expect(card).toHaveAttribute("data-slo-alert", "fast burn");
  await expect(card).toContainText("Fast burn");

  const closed = await gate(["--url", baseURL ?? "", "--score-only", "--no-fast-burn", "--min-budget", "25"]);
  expect(closed.code).toBe(1);
  expect(closed.stdout).toContain('no-fast-burn: SLO "API availability" is in fast burn');
  expect(closed.stdout).toMatch(/min-budget: SLO "API availability": -?[\d.]+ % of its error budget left, below 25 %/);

  await page.goto("/slos");
  const section = page.locator('section[data-slo="api-availability"]');
  await expect(section.getByRole("heading", { name: "API availability" })).toBeVisible();
  await expect(section.locator('[data-burn-alert="fast burn"][data-firing="true"]').first()).toBeVisible();
  await expect(section.getByTestId("slo-budget-chart").or(section.getByText("No budget figure yet"))).toBeVisible();
});
