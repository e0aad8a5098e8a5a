import { execFile } from "node:child_process";
import { access, constants, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toDocument } from "./document";
import { reportFixture } from "./fixture";
import { escapeHtml, renderHtml, REPORT_PRINT_CSS } from "./html";
import { PAGE_MARGIN_MM, PT_PER_MM } from "./page";
import { chromiumPath, renderPdf } from "./pdf";
import type { TReport } from "./types";

// The report's layout measured on the PDF the machine's Chromium prints, not on the HTML: pdftotext -bbox-layout
// (poppler-utils) gives every word's box in points, and each must lie inside the page less its @page margins, long
// unbroken values (a 200-character URL, a 64-hex digest, a component name with no break in it) wrapped rather than
// run past the right edge. Page 1 carries the title, the summary and the start of the content: no forced break or
// table kept whole that leaves it half empty.
//
// Chromium and pdftotext are what the other PDF tests need too (README: `npm test`; .ci/run installs both). On a
// machine without them this file is skipped with the reason, outside CI only: under CI it runs and fails.

const run = promisify(execFile);
const TOLERANCE_PT = 1;
/** How far down page 1 the text must reach (its lowest word's bottom, over the page's height) when more pages follow. */
const PAGE_ONE_MIN_FILL = 0.7;

/** 200 characters, no space: a path and a query string. */
const LONG_URL = `https://evidence.example.com/attestations/${"mtls-enforcement-".repeat(4)}run?id=${"0123456789abcdef".repeat(5)}fff`;
const DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const LONG_NAME = "PaymentsGatewayReconciliationWorkerEuWest1PrimaryCanary";

async function missingTools(): Promise<string[]> {
  const missing: string[] = [];
  await access(chromiumPath(), constants.X_OK).catch(() =>
    missing.push(`Chromium at ${chromiumPath()} (apt-get install chromium, or set CHROMIUM_PATH)`),
  );
  await run("pdftotext", ["-v"]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") missing.push("pdftotext (apt-get install poppler-utils)");
  });
  return missing;
}

const missing = await missingTools();
const skip = missing.length > 0 && !process.env.CI;
if (skip) console.warn(`pdf-layout.integration.test.ts skipped, missing: ${missing.join("; ")}`);

type TWord = { text: string; xMin: number; yMin: number; xMax: number; yMax: number };
type TPage = { width: number; height: number; words: TWord[] };

const unescape = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** The pages of `pdftotext -bbox-layout` output: size in points and every word's box. */
function parseBboxLayout(xhtml: string): TPage[] {
  return [...xhtml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((p) => ({
    width: Number(p[1]),
    height: Number(p[2]),
    words: [
      ...(p[3] ?? "").matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
      ),
    ].map((w) => ({
      xMin: Number(w[1]),
      yMin: Number(w[2]),
      xMax: Number(w[3]),
      yMax: Number(w[4]),
      text: unescape(w[5] ?? ""),
    })),
  }));
}

/** The fixture with the values that break layouts: long unbroken tokens in table cells, and eight components. */
function withLongValues(): TReport {
  const r = reportFixture();
  const [api, database] = r.components.rows;
  if (!api || !database) throw new Error("the fixture has two components");
  api.name = LONG_NAME;
  api.service = `registry.example.com/payments/reconciler@sha256:${DIGEST}`;
  for (const name of ["Gateway", "Mesh node A", "Mesh node B", "Redis", "Prometheus", "Worker"])
    r.components.rows.push({ ...(name.length % 2 === 0 ? api : database), id: name.toLowerCase(), name });
  const attested = r.security[0]?.attestation;
  if (!attested) throw new Error("the fixture's first security check is attested");
  attested.evidenceUrl = LONG_URL;
  const finding = r.artefacts.security[0]?.findings[0];
  if (!finding) throw new Error("the fixture has a SARIF finding");
  finding.object = `sha256:${DIGEST}`;
  const baseline = r.baselines.rows[0];
  if (!baseline) throw new Error("the fixture has a baseline");
  baseline.measured = { ...baseline.measured, source: LONG_URL };
  r.appendix.endpoints.push({ component: "api", name: LONG_NAME, probeType: "http", target: LONG_URL });
  r.signOff.rows[0] = { ...r.signOff.rows[0]!, comment: `Checked the image sha256:${DIGEST} against ${LONG_URL}` };
  return r;
}

/**
 * The fixture as a running demo fills it: eight components with their uptime spans, and the summary's longer lists.
 * Its component table does not fit under the summary on page 1: kept whole, it left page 1 half empty.
 */
function asTheDemoFillsIt(): TReport {
  const r = reportFixture();
  const api = r.components.rows[0];
  if (!api) throw new Error("the fixture has a component");
  const span = (window: string) => ({
    value: `90.86 % (observed 5m 28s of ${window})`,
    window: `last ${window}`,
    source: "status history",
    verified: true,
    note: null,
  });
  const row = {
    ...api,
    uptime: { "24h": span("1d 0h"), "7d": span("7d 0h"), "30d": span("30d 0h"), "90d": span("90d 0h") },
  };
  r.components.rows = ["API", "Database", "Cache", "Metrics", "Dashboards", "Alerts", "Tracing", "Mesh gateway"].map(
    (name) => ({ ...row, id: name.toLowerCase(), name }),
  );
  r.summary.statements.push(
    '8 critical checks or criteria block go-live: "0 critical vulnerabilities, at most 2 high" and 5 more.',
    "20 of 38 scorecard checks have no evidence yet.",
    "10 critical-path tasks are overdue.",
  );
  r.summary.gate.reasons.push(
    'critical check "API restart recovers in under 30 s" is pending: nothing measured, needs recovers within 30s; no run of experiment "api-restart"',
    'critical criterion "Error rates within SLA (< 0.1 %)" is failed: measured 0.35 %, needs value < 0.1 %',
  );
  return r;
}

describe.skipIf(skip)("the printed report's layout (A4 portrait, measured on the PDF)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pf-report-layout-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function print(html: string, name: string, footer = ""): Promise<{ pages: TPage[]; raw: string }> {
    const file = join(dir, `${name}.pdf`);
    await writeFile(file, await renderPdf(html, { executablePath: chromiumPath(), footer }));
    const [{ stdout: bbox }, { stdout: raw }] = await Promise.all([
      run("pdftotext", ["-bbox-layout", "-enc", "UTF-8", file, "-"], { maxBuffer: 64 << 20 }),
      run("pdftotext", ["-raw", "-enc", "UTF-8", file, "-"], { maxBuffer: 64 << 20 }),
    ]);
    return { pages: parseBboxLayout(bbox), raw };
  }

  const printReport = (report: TReport, name: string) =>
    print(renderHtml(report), name, `${report.system.name} readiness report, ${report.generatedAt.slice(0, 10)}`);

  function outside(pages: TPage[]): string[] {
    const left = PAGE_MARGIN_MM.left * PT_PER_MM - TOLERANCE_PT;
    const top = PAGE_MARGIN_MM.top * PT_PER_MM - TOLERANCE_PT;
    return pages.flatMap((p, i) => {
      const right = p.width - PAGE_MARGIN_MM.right * PT_PER_MM + TOLERANCE_PT;
      return p.words
        .filter((w) => w.xMin < left || w.xMax > right || w.yMin < top || w.yMax > p.height)
        .map(
          (w) =>
            `page ${i + 1}: "${w.text.slice(0, 40)}" x ${w.xMin.toFixed(1)}–${w.xMax.toFixed(1)} pt (printable ${left.toFixed(1)}–${right.toFixed(1)})`,
        );
    });
  }

  /** The bottom of page 1's lowest word above the footer, as a share of the page's height. */
  function pageOneFill(pages: TPage[]): number {
    const page = pages[0];
    if (!page) return 0;
    const bodyEnd = page.height - PAGE_MARGIN_MM.bottom * PT_PER_MM;
    return Math.max(0, ...page.words.filter((w) => w.yMin < bodyEnd).map((w) => w.yMax)) / page.height;
  }

  /** The title's first word printed alone: its width is what the report's must be when nothing shrank the page. */
  let titleWordPt = 0;
  beforeAll(async () => {
    const { pages } = await print(
      `<!doctype html><html><head><style>${REPORT_PRINT_CSS}</style></head><body><h1>${escapeHtml(toDocument(reportFixture()).title)}</h1></body></html>`,
      "calibration",
    );
    const word = pages[0]?.words[0];
    titleWordPt = word ? word.xMax - word.xMin : 0;
    expect(titleWordPt).toBeGreaterThan(20);
  }, 60_000);

  for (const [name, build] of [
    ["the fixture report", reportFixture],
    ["the fixture with long unbroken values and eight components", withLongValues],
    ["the fixture as a running demo fills it", asTheDemoFillsIt],
  ] as const) {
    it(`${name}: every word inside the page's margins at full size, every column printed, page 1 full`, async () => {
      const report = build();
      const { pages, raw } = await printReport(report, name.replace(/\W+/g, "-"));
      // Measured, not vacuous: A4 portrait pages (Chromium's A4 is 595.92 × 842.88 pt) with the report's words on them.
      expect(pages.length).toBeGreaterThan(1);
      for (const p of pages) {
        expect(Math.abs(p.width - 595.3)).toBeLessThan(1.5);
        expect(Math.abs(p.height - 841.9)).toBeLessThan(1.5);
      }
      expect(pages.reduce((n, p) => n + p.words.length, 0)).toBeGreaterThan(500);
      expect(outside(pages)).toEqual([]);
      // Chromium shrinks the whole document when something is wider than the page, and clips what is still wider:
      // words would then sit inside the margins only because they are small, or missing. The title prints at the
      // size it has alone, and every column of every table is in the text.
      const title = pages[0]?.words[0];
      expect(title?.text).toBe(`${report.system.name}:`);
      expect((title ? title.xMax - title.xMin : 0) / titleWordPt).toBeCloseTo(1, 2);
      const text = raw.replace(/\s+/g, "");
      const headers = toDocument(report).sections.flatMap((s) =>
        s.blocks.flatMap((b) => (b.type === "table" && b.rows.length > 0 ? b.columns : [])),
      );
      expect(headers.length).toBeGreaterThan(50);
      expect(headers.filter((h) => !text.includes(h.replace(/\s+/g, "")))).toEqual([]);
      expect(pageOneFill(pages)).toBeGreaterThanOrEqual(PAGE_ONE_MIN_FILL);
      // Page 1 goes on past the summary into the content.
      expect(pages[0]?.words.map((w) => w.text).join(" ")).toContain("1. Validation results");
    }, 60_000);
  }

  it("wraps the long values inside their cells: all of each is printed, on several lines, none cut off", async () => {
    const { pages, raw } = await printReport(withLongValues(), "long-values");
    expect(outside(pages)).toEqual([]);
    expect(LONG_URL).toHaveLength(200);
    const text = raw.replace(/\s+/g, "");
    for (const value of [LONG_URL, DIGEST, LONG_NAME, `sha256:${DIGEST}`]) expect(text).toContain(value);
    // No word of the PDF is a whole long value: each was broken onto lines that fit its cell.
    const words = pages.flatMap((p) => p.words.map((w) => w.text));
    expect(words.filter((w) => w.includes(LONG_URL) || w.includes(DIGEST) || w.includes(LONG_NAME))).toEqual([]);
    expect(words.filter((w) => w.length >= 8 && LONG_URL.includes(w)).length).toBeGreaterThan(2);
  }, 60_000);
});
