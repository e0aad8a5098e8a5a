import { access, constants } from "node:fs/promises";
import { chromium } from "playwright-core";
import { PAGE_MARGIN_MM } from "./page";
import { createRenderQueue, type TRenderQueue } from "./pdf-queue";

// Prints the report's HTML to PDF with the server's own headless Chromium (Debian's, never a downloaded browser),
// through playwright-core. Without Chromium the caller answers with a clear message: the report page prints from
// the reader's browser instead.

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumPath(env: Record<string, string | undefined> = process.env): string {
  return env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

/** Chromium is missing or would not start: the server cannot print, the reader's browser still can. */
export class PdfUnavailableError extends Error {
  constructor(
    readonly executablePath: string,
    readonly detail: string,
  ) {
    super(
      `PDF rendering needs Chromium on the server: ${detail}. Set CHROMIUM_PATH to a Chromium executable or install chromium ` +
        "(Debian: apt-get install chromium). The report page (/report) prints to PDF from your browser without it.",
    );
    this.name = "PdfUnavailableError";
  }
}

/** A render is running and the queue is full: the caller should answer 429 and try again shortly. */
export class PdfBusyError extends Error {
  constructor() {
    super("the PDF renderer is busy, try again in a few seconds");
    this.name = "PdfBusyError";
  }
}

export type TPdfOptions = { executablePath?: string; timeoutMs?: number; footer?: string };

// One Chromium at a time per process: each render starts a browser (~150 MB), and two at once would starve a small
// server. A short queue absorbs a double click or two readers at once; beyond it, callers are refused rather than
// queued without limit (each waiting request holds its report in memory and its socket open). On globalThis so that
// every copy of this module in the process (Next loads route modules separately) shares one queue.
const globalForPdf = globalThis as unknown as { preflightPdfQueue?: TRenderQueue };

function getPdfQueue(): TRenderQueue {
  globalForPdf.preflightPdfQueue ??= createRenderQueue({ concurrency: 1, maxWaiting: 2 });
  return globalForPdf.preflightPdfQueue;
}

/** Whether a render asked for now would be refused: lets a caller skip gathering a report it could not print. */
export function isPdfRendererBusy(): boolean {
  return getPdfQueue().isFull();
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split("\n").find((l) => l.trim() !== "") ?? "unknown error")
    .replace(/^browserType\.launch:\s*/, "")
    .slice(0, 300);
}

async function render(html: string, options: TPdfOptions): Promise<Buffer> {
  const executablePath = options.executablePath ?? chromiumPath();
  const timeout = options.timeoutMs ?? 30_000;
  try {
    await access(executablePath, constants.X_OK);
  } catch {
    throw new PdfUnavailableError(executablePath, `no executable at ${executablePath}`);
  }
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout });
  } catch (error) {
    throw new PdfUnavailableError(executablePath, `${executablePath} did not start (${firstLine(error)})`);
  }
  try {
    // The document is self-contained: no script runs and nothing is fetched, whatever the data in it says.
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route("**/*", (route) => route.abort());
    await page.setContent(html, { waitUntil: "load", timeout });
    const footer = (options.footer ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return await page.pdf({
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="font-size:7pt;width:100%;padding:0 ${PAGE_MARGIN_MM.right}mm 0 ${PAGE_MARGIN_MM.left}mm;display:flex;justify-content:space-between;color:#333"><span>${footer}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      // The same margins as the stylesheet's @page rule, for HTML that has none.
      margin: {
        top: `${PAGE_MARGIN_MM.top}mm`,
        bottom: `${PAGE_MARGIN_MM.bottom}mm`,
        left: `${PAGE_MARGIN_MM.left}mm`,
        right: `${PAGE_MARGIN_MM.right}mm`,
      },
    });
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/**
 * The HTML printed to an A4 PDF, one render at a time. Throws PdfBusyError when the queue is full, and
 * PdfUnavailableError when Chromium is missing or does not start; a failed render frees its place in the queue.
 */
export async function renderPdf(html: string, options: TPdfOptions = {}): Promise<Buffer> {
  const queued = await getPdfQueue().run(() => render(html, options));
  if (!queued.ok) throw new PdfBusyError();
  return queued.value;
}
