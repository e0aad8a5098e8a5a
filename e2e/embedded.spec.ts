import { expect, test } from "@playwright/test";

// Which database each project's server runs on, as the dashboard itself reports it.
test("the dashboard reports the database it runs on", async ({ page, request }, info) => {
  const health = (await (await request.get("/api/health")).json()) as {
    database: { kind: string; ok: boolean };
    redis: { configured: boolean; ok?: boolean };
  };
  if (info.project.name === "embedded") {
    expect(health.database).toMatchObject({ kind: "embedded", ok: true });
    expect(health.redis).toEqual({ configured: false });
  } else {
    expect(health.database).toMatchObject({ kind: "postgresql", ok: true });
    expect(health.redis).toMatchObject({ configured: true, ok: true });
  }
  await page.goto("/");
  await expect(page.getByTestId("health-summary")).toBeVisible();
});
