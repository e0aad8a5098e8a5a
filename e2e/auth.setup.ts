import { mkdirSync } from "node:fs";
import { expect, test as setup } from "@playwright/test";
import { signIn } from "./support/sign-in";

// Signs in as the demo admin through the login page and keeps the session for the project's tests.
setup("sign in as the admin", async ({ page }, info) => {
  mkdirSync("e2e/.auth", { recursive: true });
  await signIn(page, "admin");
  await expect(page.getByTestId("user-menu")).toContainText("Ada Admin");
  await page.context().storageState({ path: `e2e/.auth/${info.project.name.replace(/-setup$/, "")}.json` });
});
