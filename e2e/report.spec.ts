import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { AUTH } from "./support/token";

// The generated assessment: the page shows every section of the reference, the Markdown download parses and
// carries the live score, and the PDF rendered by the server's Chromium says the system's name and its score.

const SECTIONS = [
  "Executive summary",
  "1. Validation results",
  "2. Test framework",
  "3. Load & chaos",
  "4. Scorecard",
  "5. Approval criteria",
  "6. Deployment strategy",
  "7. Critical path",
  "8. Blockers & mitigations",
  "9. Risk assessment",
  "10. Recommendations & checklists",
  "11. Approval sign-off",
  "Conclusion",
  "Appendix: quick reference",
];

const liveScore = async (api: import("@playwright/test").APIRequestContext) => {
  const body = (await (await api.get("/api/v1/readiness", { headers: AUTH })).json()) as { overallPct: number };
  return `${(Math.floor(body.overallPct * 10) / 10).toFixed(1)} %`;
};

test("the report page shows every section of the reference, in its order", async ({ page }) => {
  await page.goto("/report");
  const headings = await page.locator('[data-testid="report"] section > h2').allTextContents();
  expect(headings.map((h) => h.trim())).toEqual(SECTIONS);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("x0tta6bl4");
  await expect(
    page.locator("#component-health-table, [data-section='validation-results'] table").first(),
  ).toBeVisible();
});

test("the Markdown download parses and carries the live score", async ({ request: api }) => {
  const response = await api.get("/api/v1/report.md");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^text\/markdown/);
  expect(response.headers()["content-disposition"]).toMatch(
    /attachment; filename="x0tta6bl4-readiness-\d{4}-\d{2}-\d{2}\.md"/,
  );
  const text = await response.text();
  // Parses: one H1, the sections as H2 in order, and every table row with as many cells as its header.
  expect(text.match(/^# /gm)).toHaveLength(1);
  const h2 = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]?.trim());
  expect(h2).toEqual(SECTIONS);
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (/^\|( ?:?-{3,}:? ?\|)+$/.test(line)) {
      const cells = (l: string) => l.replace(/\\\|/g, "").split("|").length;
      const width = cells(lines[i - 1] ?? "");
      for (let j = i + 1; j < lines.length && (lines[j] ?? "").startsWith("|"); j++)
        expect(cells(lines[j] ?? ""), `row ${j + 1}: ${lines[j]}`).toBe(width);
    }
  }
  expect(text).toContain(await liveScore(api));
  // The database probe's password (the example's default, "demo") is masked, never printed.
  expect(text).toContain("postgresql://x0tta6bl4:\\*\\*\\*\\*@127.0.0.1:15432/x0tta6bl4");
  expect(text).not.toContain(":demo@");
});

test("the PDF download is a valid PDF whose text has the system's name and the score", async ({ request: api }) => {
  test.setTimeout(60_000);
  const response = await api.get("/api/v1/report.pdf");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  const bytes = await response.body();
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const dir = mkdtempSync(join(tmpdir(), "pf-report-"));
  writeFileSync(join(dir, "report.pdf"), bytes);
  const text = execFileSync("pdftotext", ["-layout", join(dir, "report.pdf"), "-"], { encoding: "utf8" });
  expect(text).toContain("x0tta6bl4");
  expect(text).toContain(await liveScore(api));
});

test("the downloads refuse a caller with neither a session nor a token", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  expect((await anonymous.get("/api/v1/report.md")).status()).toBe(401);
  expect((await anonymous.get("/api/v1/report.pdf")).status()).toBe(401);
  expect((await anonymous.get("/api/v1/report.md", { headers: AUTH })).status()).toBe(200);
  await anonymous.dispose();
});
