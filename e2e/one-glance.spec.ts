import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn } from "./support/sign-in";

// Every page, for every role, at a phone's width and a desktop's, in the light theme and the dark one: the page
// never scrolls sideways, axe finds no serious or critical violation (contrast included), and a screenshot is kept
// for a person to look at. The pages come from the navigation itself, so a page added to it is covered by itself.

const ARTIFACTS = "e2e/artifacts/pages";
const WIDTHS = [390, 1440] as const;
const THEMES = ["light", "dark"] as const;
const ROLES = ["admin", "editor", "viewer", "tech-lead"] as const;

type TWho = (typeof ROLES)[number];

async function signedIn(browser: Browser, baseURL: string | undefined, who: TWho): Promise<Page> {
  const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, who);
  return page;
}

/** The pages a person can reach from the header: the main navigation, the admin links, and one component page. */
async function reachable(page: Page): Promise<string[]> {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  const hrefs = await page
    .locator('nav[aria-label="Main"] a[href^="/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? "/"));
  const component = await page.locator("tr[data-component] a").first().getAttribute("href");
  return [...new Set([...hrefs, ...(component ? [component] : [])])];
}

async function settle(page: Page) {
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
}

const slug = (path: string) => (path === "/" ? "overview" : path.slice(1).replaceAll("/", "-"));

for (const who of ROLES) {
  test(`every page for ${who}: no sideways scroll at 390 and 1440 px, no serious axe violation in either theme`, async ({
    browser,
    baseURL,
  }, info) => {
    test.skip(info.project.name !== "embedded", "the walk runs once, on the demo");
    test.setTimeout(300_000);
    const page = await signedIn(browser, baseURL, who);
    const paths = await reachable(page);
    expect(paths.length).toBeGreaterThan(5);
    mkdirSync(ARTIFACTS, { recursive: true });
    const problems: string[] = [];
    for (const path of paths) {
      await page.setViewportSize({ width: WIDTHS[0], height: 844 });
      await page.goto(path);
      await settle(page);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        for (const theme of THEMES) {
          await page.emulateMedia({ colorScheme: theme });
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (overflow > 0) problems.push(`${path} at ${width} px (${theme}) scrolls sideways by ${overflow} px`);
          // Contrast and structure do not depend on the width beyond the layout: axe at the phone's width, both themes.
          if (width === 390) {
            const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
            for (const v of axe.violations.filter((x) => x.impact === "serious" || x.impact === "critical")) {
              problems.push(
                `${path} at ${width} px (${theme}): ${v.id} (${v.impact}) on ${v.nodes.length} node(s): ${v.nodes
                  .slice(0, 3)
                  .map((n) => n.target.join(" "))
                  .join(" | ")}`,
              );
            }
          }
          if (who === "admin")
            await page.screenshot({ path: `${ARTIFACTS}/${who}-${slug(path)}-${width}-${theme}.png`, fullPage: true });
        }
      }
      await page.emulateMedia({ colorScheme: "light" });
    }
    expect(problems, problems.join("\n")).toEqual([]);
    await page.context().close();
  });
}

test("the verdict is the first thing on every page, on the first screen of a phone and of a desktop", async ({
  page,
}) => {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    for (const path of ["/", "/scorecard", "/signoff", "/components/api"]) {
      await page.goto(path);
      const verdict = page.getByTestId("verdict");
      await expect(verdict).toBeVisible();
      await expect(verdict).toHaveAttribute("data-state", /^(approved|awaiting-signoff|not-ready|unscored)$/);
      const box = await verdict.boundingBox();
      expect(box, path).not.toBeNull();
      expect(
        (box?.y ?? 0) + (box?.height ?? 0),
        `${path} at ${width} px: the verdict ends below the first screen`,
      ).toBeLessThanOrEqual(width === 390 ? 844 : 900);
      // Above the page's own heading.
      const heading = await page.getByRole("heading", { level: 1 }).first().boundingBox();
      expect(box?.y ?? 0).toBeLessThan(heading?.y ?? 0);
    }
  }
  // Each part a link to where it is explained, and the line agrees with the go-live card under it.
  await page.goto("/");
  const state = await page.getByTestId("verdict").getAttribute("data-state");
  await expect(page.getByTestId("go-live")).toHaveAttribute("data-approved", String(state === "approved"));
  if (state === "not-ready") await expect(page.getByTestId("go-live-missing")).toContainText("readiness gate:");
  await expect(page.getByTestId("verdict-blockers")).toHaveAttribute("href", "/scorecard#blockers");
  await page.getByTestId("verdict-blockers").click();
  await expect(page).toHaveURL(/\/scorecard#blockers$/);
  await expect(page.locator("#blockers")).toBeInViewport();
  await page.goto("/");
  await expect(page.getByTestId("verdict-score")).toHaveAttribute("href", "/scorecard");
  await expect(page.getByTestId("verdict-signoffs")).toHaveAttribute("href", "/signoff");
});

test("the navigation: a menu button on a phone, a row on a desktop, a skip link first, and only what the role may open", async ({
  page,
  browser,
  baseURL,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  const links = page.getByTestId("nav-links");
  const button = page.getByTestId("nav-menu-button");
  await expect(links).toBeHidden();
  await expect(button).toHaveAttribute("aria-expanded", "false");
  // The header is one row on a phone: brand and menu button, not four rows of links.
  const header = await page.locator("header nav").boundingBox();
  expect(header?.height ?? 0).toBeLessThan(80);
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  await expect(links).toBeVisible();
  await links.getByRole("link", { name: "Scorecard" }).click();
  await expect(page).toHaveURL(/\/scorecard$/);
  await expect(links).toBeHidden();
  await button.click();
  await expect(links.getByRole("link", { name: "Scorecard" })).toHaveAttribute("aria-current", "page");

  // The first tab stop is the skip link, and it moves focus past the header to the page.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  await expect(button).toBeHidden();
  await expect(links).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();

  // A viewer is not offered what it cannot open.
  const viewer = await signedIn(browser, baseURL, "viewer");
  await viewer.setViewportSize({ width: 1440, height: 900 });
  await viewer.goto("/");
  const nav = viewer.getByTestId("nav-links");
  await expect(nav.getByRole("link", { name: "Scorecard" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Evidence" })).toHaveCount(0);
  await expect(viewer.getByRole("link", { name: "Users" })).toHaveCount(0);
  await viewer.goto("/components/api");
  await expect(viewer.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(viewer.getByRole("button", { name: /Probe now/i })).toHaveCount(0);
  await viewer.context().close();
  // An admin is.
  await page.goto("/");
  await expect(links.getByRole("link", { name: "Evidence" })).toBeVisible();
});

test("charts say how much they know, and the 90-day bar is one tab stop walked with the arrow keys", async ({
  page,
}, info) => {
  test.skip(info.project.name !== "embedded", "the demo has just started: little data");
  await page.setViewportSize({ width: 1440, height: 900 });
  // The demo started minutes ago: the 30-day trend and the 30-day latency chart are collecting, and say how much.
  await page.goto("/");
  const trend = page.getByTestId("readiness-trend");
  await expect(trend).toHaveAttribute("data-coverage", "partial");
  await expect(trend.getByTestId("chart-coverage")).toHaveText(/^collecting: \S+( \S+)? of 30d/);
  await expect(trend.getByRole("img").first()).toHaveAccessibleName(/Readiness/i);
  await page.goto("/components/api?window=30d");
  const latency = page.getByTestId("latency-chart");
  await expect(latency.getByTestId("chart-coverage")).toHaveText(/^collecting: \S+( \S+)? of 30d/);
  // No chart graphic is a tab stop.
  expect(await page.locator(".recharts-wrapper [tabindex='0'], .recharts-surface[tabindex='0']").count()).toBe(0);

  // The 90-day bar: one tab stop; the arrow keys move between days and each says its day and uptime.
  const bars = page.getByRole("list", { name: /Daily uptime over the last 90 days/ }).getByRole("img");
  await expect(bars).toHaveCount(90);
  expect(await bars.evaluateAll((els) => els.filter((e) => e.getAttribute("tabindex") === "0").length)).toBe(1);
  const stop = bars.and(page.locator("[tabindex='0']"));
  await stop.focus();
  const today = await stop.getAttribute("data-day");
  await page.keyboard.press("ArrowLeft");
  const focused = page.locator(":focus");
  await expect(focused).not.toHaveAttribute("data-day", today ?? "");
  await expect(focused).toHaveAttribute("aria-label", /\d{1,2} \w{3} \d{4}/);
  // Compared by day: the labels are live (today's uptime moves with every stored batch).
  await page.keyboard.press("Home");
  await expect(page.locator(":focus")).toHaveAttribute("data-day", (await bars.first().getAttribute("data-day")) ?? "");
  await page.keyboard.press("End");
  await expect(page.locator(":focus")).toHaveAttribute("data-day", (await bars.last().getAttribute("data-day")) ?? "");
  // Tab leaves the bar at once: it was one stop.
  await page.keyboard.press("Tab");
  await expect(page.locator(":focus")).not.toHaveAttribute("role", "img");

  // On a phone the bar groups weeks: 13 bars, not 90 hairlines.
  await page.setViewportSize({ width: 390, height: 844 });
  const weeks = page.getByTestId("uptime-bar").getByRole("img").filter({ visible: true });
  await expect(weeks).toHaveCount(13);
});
