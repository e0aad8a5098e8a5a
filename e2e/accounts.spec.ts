import { expect, request as newRequest, test } from "@playwright/test";
import { signIn } from "./support/sign-in";
import { E2E_PASSWORD, userEmail } from "./support/token";

// Accounts as an attacker and a careless person try them (Trust II). Runs last, on the stale server only: the last
// two tests lock an account and this machine's address on purpose.

test.describe.configure({ mode: "serial" });

test("a wrong password says so on the form, never an error page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(userEmail("editor"));
  await page.getByLabel("Password").fill("not-the-password-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#login-error")).toHaveText("wrong email or password");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText("This page couldn't load")).toHaveCount(0);
  // An unknown account reads the same: nobody learns which emails exist.
  await page.getByLabel("Email").fill("nobody@x0tta6bl4.demo");
  await page.getByLabel("Password").fill("not-the-password-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#login-error")).toHaveText("wrong email or password");
});

for (const next of [
  "/%5Cevil.example",
  "/%09/evil.example",
  "//evil.example",
  "/\\evil.example",
  "https://evil.example/",
]) {
  test(`after sign-in, next=${next} stays on this site`, async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto(`/login?next=${encodeURIComponent(next).replaceAll("%25", "%")}`);
    await page.getByLabel("Email").fill(userEmail("editor"));
    await page.getByLabel("Password").fill(E2E_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).not.toHaveURL(/\/login/);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL ?? "").origin);
    expect(new URL(page.url()).pathname).toBe("/");
    await context.close();
  });
}

test("nobody renames themselves through the auth API: profile changes are not exposed", async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, "ops");
  const response = await page.request.post("/api/auth/update-user", {
    data: { name: "Sam Security" },
    headers: { origin: baseURL ?? "" },
  });
  expect(response.status()).toBe(404);
  expect(((await response.json()) as { error: string }).error).toMatch(/managed by an admin/);
  for (const path of ["/api/auth/change-email", "/api/auth/delete-user", "/api/auth/sign-up/email"]) {
    expect((await page.request.post(path, { data: {}, headers: { origin: baseURL ?? "" } })).status(), path).toBe(404);
  }
  const session = (await (await page.request.get("/api/auth/get-session")).json()) as { user: { name: string } };
  expect(session.user.name).not.toBe("Sam Security");
  await context.close();
});

test("thirty parallel wrong passwords for one account get exactly five tries", async ({ baseURL }) => {
  const api = await newRequest.newContext({ baseURL });
  const attempts = await Promise.all(
    Array.from({ length: 30 }, () =>
      api.post("/api/auth/sign-in/email", {
        data: { email: userEmail("viewer"), password: "wrong-password-12345" },
        headers: { origin: baseURL ?? "" },
      }),
    ),
  );
  const statuses = attempts.map((r) => r.status());
  expect(statuses.filter((s) => s === 401)).toHaveLength(5);
  expect(statuses.filter((s) => s === 429)).toHaveLength(25);
  // The right password is refused too while the account is locked.
  const locked = await api.post("/api/auth/sign-in/email", {
    data: { email: userEmail("viewer"), password: E2E_PASSWORD },
    headers: { origin: baseURL ?? "" },
  });
  expect(locked.status()).toBe(429);
  await api.dispose();
});

test("a client-sent X-Forwarded-For does not reset the per-address limit", async ({ baseURL }) => {
  const api = await newRequest.newContext({ baseURL });
  const attempt = (i: number) =>
    api.post("/api/auth/sign-in/email", {
      data: { email: `nobody-${i}@x0tta6bl4.demo`, password: "wrong-password-12345" },
      headers: { origin: baseURL ?? "", "x-forwarded-for": `10.78.0.${i}` },
    });
  // The address already has a few failures from the tests above; 20 in all is its limit.
  let refusedAt = -1;
  for (let i = 1; i <= 25; i++) {
    const response = await attempt(i);
    if (response.status() === 429) {
      refusedAt = i;
      expect(((await response.json()) as { message?: string }).message ?? "").toMatch(/from this address/);
      break;
    }
    expect(response.status()).toBe(401);
  }
  expect(refusedAt, "locked although each attempt claimed another address").toBeGreaterThan(0);
  expect((await attempt(99)).status()).toBe(429);
  await api.dispose();
});
