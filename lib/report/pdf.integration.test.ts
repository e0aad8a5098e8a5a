import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportFixture } from "./fixture";
import { renderHtml } from "./html";
import { chromiumPath, PdfUnavailableError, renderPdf } from "./pdf";

// The PDF printed by the machine's real Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH), its text read
// back with pdftotext (poppler-utils).

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pf-report-pdf-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pdfText(bytes: Buffer): Promise<string> {
  const file = join(dir, `report-${Date.now()}.pdf`);
  await writeFile(file, bytes);
  const { stdout } = await run("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]);
  return stdout;
}

describe("renderPdf", () => {
  it("prints the report to an A4 PDF that carries the system name, the score and the sections", async () => {
    const report = reportFixture();
    const pdf = await renderPdf(renderHtml(report), {
      executablePath: chromiumPath(),
      footer: "x0tta6bl4 readiness report",
    });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(pdf);
    expect(text).toContain("x0tta6bl4: production readiness report, 2026-01-14");
    expect(text).toMatch(/Overall production readiness\s+87\.5 %/);
    for (const heading of [
      "Executive summary",
      "1. Validation results",
      "4. Scorecard",
      "9. Risk assessment",
      "11. Approval sign-off",
      "Conclusion",
    ])
      expect(text).toContain(heading);
    expect(text).toContain("UNVERIFIED");
    expect(text).toMatch(/page 1 of \d+/);
  }, 60_000);

  it("runs no script and fetches nothing, whatever the HTML asks for", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.end("x");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const html = `<!doctype html><html><head><link rel="stylesheet" href="http://127.0.0.1:${port}/a.css"></head><body><p>static text</p><img src="http://127.0.0.1:${port}/b.png"><iframe src="http://127.0.0.1:${port}/c"></iframe><script>document.body.textContent = "PWNED"</script></body></html>`;
      const text = await pdfText(await renderPdf(html));
      expect(text).toContain("static text");
      expect(text).not.toContain("PWNED");
      expect(hits).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);

  it("says clearly that it needs Chromium when the executable does not exist", async () => {
    const missing = join(dir, "no-chromium-here");
    const error = await renderPdf("<p>x</p>", { executablePath: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdfUnavailableError);
    expect((error as Error).message).toBe(
      `PDF rendering needs Chromium on the server: no executable at ${missing}. Set CHROMIUM_PATH to a Chromium executable or install chromium ` +
        "(Debian: apt-get install chromium). The report page (/report) prints to PDF from your browser without it.",
    );
    expect(chromiumPath({ CHROMIUM_PATH: "/opt/chrome" })).toBe("/opt/chrome");
    expect(chromiumPath({})).toBe("/usr/bin/chromium");
  });

  it("says so too when the executable is there but is not a browser", async () => {
    const fake = join(dir, "fake-chromium");
    await writeFile(fake, "#!/bin/sh\necho 'not a browser' >&2\nexit 3\n", { mode: 0o755 });
    const error = await renderPdf("<p>x</p>", { executablePath: fake, timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PdfUnavailableError);
    expect((error as Error).message).toMatch(
      new RegExp(`^PDF rendering needs Chromium on the server: ${fake} did not start \\(.+\\)\\. Set CHROMIUM_PATH`),
    );
  }, 30_000);
});
