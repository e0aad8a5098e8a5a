import { expect, type Browser, type Page } from "@playwright/test";
import { E2E_PASSWORD, userEmail } from "./token";

type TWho = Parameters<typeof userEmail>[0];

/** Signs in through the login page, as a person would. */
export async function signIn(page: Page, who: TWho): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(userEmail(who));
  await page.getByLabel("Password").fill(E2E_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** A fresh browser context signed in as someone else, beside the suite's admin. */
export async function pageAs(browser: Browser, baseURL: string | undefined, who: TWho): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, who);
  return page;
}
