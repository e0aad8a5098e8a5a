import { expect, test } from "@playwright/test";
import { AUTH } from "./support/token";

// After go-live: an editor (here the admin) marks the release deployed in the browser, once; the card and the
// readiness API watch it against the configured criteria; CI's second mark answers the stored one.

test("marking the release deployed starts the post-deployment watch, once", async ({ page, request: api }) => {
  await page.goto("/signoff");
  const card = page.locator("#post-deployment");
  await expect(card).toHaveAttribute("data-postdeploy-state", "not deployed");
  page.once("dialog", (dialog) => void dialog.accept());
  await card.getByRole("button", { name: "Mark deployed now" }).click();
  // The page re-renders with the watch: who marked it and when, and no button any more.
  await expect(card).toContainText(/marked deployed .* by Ada Admin/);
  await expect(card).toHaveAttribute("data-postdeploy-state", "watching");
  await expect(card).toContainText(/watching \(/);
  await expect(card.getByRole("button", { name: "Mark deployed now" })).toHaveCount(0);

  const body = (await (await api.get("/api/v1/readiness", { headers: AUTH })).json()) as {
    postDeployment: { state: string; release: string; rows: { component: string; criterion: string }[] } | null;
  };
  expect(body.postDeployment?.state).toBe("watching");
  const release = body.postDeployment?.release ?? "";
  expect(body.postDeployment?.rows.map((r) => `${r.component}/${r.criterion}`)).toEqual(
    expect.arrayContaining(["api/error rate", "api/p95", "gateway/coverage"]),
  );
  const again = await api.post(`/api/v1/releases/${encodeURIComponent(release)}/deployed`, { headers: AUTH });
  expect(again.status()).toBe(200);
  expect(await again.json()).toMatchObject({ created: false });
  const other = await api.post("/api/v1/releases/not-this-one/deployed", { headers: AUTH });
  expect(other.status()).toBe(404);
});
