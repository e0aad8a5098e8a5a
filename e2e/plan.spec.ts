import { expect, test } from "@playwright/test";
import { pageAs } from "./support/sign-in";

// The plan and the risk register (reference sections 6-10), edited in the browser by an editor, read-only for a
// viewer.

test("an editor adds a risk and a task and sees them in the matrix and the timeline; a viewer cannot edit", async ({
  browser,
  baseURL,
}, info) => {
  test.skip(info.project.name !== "embedded", "once is enough");
  const editor = await pageAs(browser, baseURL, "editor");

  // A risk: likely (4) x severe (5) lands in the high cell 4x5 of the matrix, and in the register.
  await editor.goto("/risks");
  const addRisk = editor.getByTestId("add-risk");
  await addRisk.getByLabel("Risk", { exact: true }).fill("Certificate rotation breaks mTLS between services");
  await addRisk.getByLabel("Area").fill("operational");
  await addRisk.getByLabel("Owner").fill("Security Officer");
  await addRisk.getByLabel("Probability").selectOption("4");
  await addRisk.getByLabel("Impact").selectOption("5");
  await addRisk.getByLabel("Mitigation").fill("Rotate in staging first; alert 30 days before expiry");
  await addRisk.getByRole("button", { name: "Add risk" }).click();
  const cell = editor.getByTestId("risk-matrix").locator('[data-cell="4x5"]');
  await expect(cell).toContainText("Certificate rotation breaks mTLS between services");
  await expect(cell).toHaveAttribute("data-level", "high");
  await expect(editor.getByTestId("risks")).toContainText("Certificate rotation breaks mTLS between services");

  // A task on the critical path with a due date already past: it shows, overdue, in the plan's timeline.
  await editor.goto("/plan");
  await editor.getByText("Add a task").click();
  const addTask = editor.getByTestId("add-task");
  await addTask.getByLabel("Task", { exact: true }).fill("Rotate the staging certificates");
  await addTask.getByLabel("Owner").fill("Oli Operations");
  await addTask.getByLabel("Due").fill("2026-01-19");
  await addTask.getByLabel("Phase").selectOption({ label: "Phase 2: Staging Deployment" });
  await addTask.getByRole("button", { name: "Add task" }).click();
  const row = editor.getByTestId("critical-path").locator("tr", { hasText: "Rotate the staging certificates" });
  await expect(row).toHaveAttribute("data-overdue", "true");
  await expect(row).toContainText("Overdue");
  await expect(row).toContainText("Oli Operations");
  await expect(
    editor.getByTestId("phases").locator("li", { hasText: "Phase 2: Staging Deployment" }).first(),
  ).toBeVisible();

  // A bad date is refused by field, and nothing is added.
  await editor.reload();
  await editor.getByText("Add a task").click();
  await addTask.getByLabel("Task", { exact: true }).fill("Never stored");
  await addTask.getByLabel("Due").evaluate((input: HTMLInputElement) => {
    input.type = "text";
    input.value = "2026-02-30";
  });
  await addTask.getByRole("button", { name: "Add task" }).click();
  await expect(addTask.getByLabel("Due")).toHaveAttribute("aria-invalid", "true");
  await expect(addTask.getByText("expected a date such as 2026-01-21").first()).toBeVisible();
  await editor.reload();
  await expect(editor.getByTestId("critical-path")).not.toContainText("Never stored");
  await editor.context().close();

  // A viewer sees both, with no form and no edit control.
  const viewer = await pageAs(browser, baseURL, "viewer");
  for (const path of ["/plan", "/risks"]) {
    await viewer.goto(path);
    await expect(viewer.locator("form")).toHaveCount(1); // the header's sign-out button only
    await expect(viewer.getByRole("button", { name: /^(Add|Save|Delete)/ })).toHaveCount(0);
  }
  await expect(viewer.getByTestId("risk-matrix").locator('[data-cell="4x5"]')).toContainText(
    "Certificate rotation breaks mTLS between services",
  );
  await viewer.context().close();
});
