import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "../db/client";
import type { PrismaClient } from "../generated/prisma/client";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { writeTempConfig } from "../testing/worker-process";
import { createToken } from "../tokens/store";
import { PdfBusyError, PdfUnavailableError, renderPdf } from "./pdf";

// The render queue as the route uses it, without a real Chromium: a fake "browser" that logs when it starts and
// stops, takes a moment, then exits (so playwright-core's launch fails with PdfUnavailableError, as with a broken
// Chromium). Renders never overlap, the fourth at once is refused, and failed renders free the queue.

const CONFIG = `version: 1
system: { name: "pdf busy test" }
defaults: { interval: 1h, timeout: 5s }
components:
  - { id: web, name: Web, service: nginx, probe: { type: tcp, host: 127.0.0.1, port: 9 } }
`;

type THandler = (request: Request) => Promise<Response>;

let dir: string;
let slowBrowser: string;
let log: string;
let database: TestDatabase;
let prisma: PrismaClient;
let route: THandler;
let token = "";
const savedEnv = { ...process.env };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pf-pdf-busy-"));
  log = join(dir, "renders.log");
  slowBrowser = join(dir, "slow-browser");
  await writeFile(slowBrowser, `#!/bin/sh\necho start >> '${log}'\nsleep 0.5\necho end >> '${log}'\nexit 3\n`, {
    mode: 0o755,
  });
  database = await createTestDatabase("pf_pdf_busy");
  Object.assign(process.env, {
    DATABASE_URL: database.url,
    PREFLIGHT_CONFIG: writeTempConfig(CONFIG).path,
    PREFLIGHT_EMBEDDED_WORKER: "false",
    REDIS_URL: "",
  });
  route = (await import("../../app/api/v1/report.pdf/route")).GET;
  prisma = getPrisma();
  token = (await createToken(prisma, { name: "reader", scopes: ["readiness:read"], createdBy: "test" })).token;
}, 60_000);

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { preflightPrisma?: unknown }).preflightPrisma;
  delete (globalThis as { preflightConfig?: unknown }).preflightConfig;
  await database.drop();
  await rm(dir, { recursive: true, force: true });
  process.env = savedEnv;
});

const slowRender = () =>
  renderPdf("<p>x</p>", { executablePath: slowBrowser, timeoutMs: 20_000 }).then(
    () => "rendered",
    (error: unknown) => error,
  );

const getPdf = () =>
  route(new Request("http://preflight.test/api/v1/report.pdf", { headers: { authorization: `Bearer ${token}` } }));

describe("the PDF render queue", () => {
  it("renders one at a time, lets two wait, refuses the fourth with PdfBusyError, and frees itself after failures", async () => {
    await writeFile(log, "");
    const accepted = [slowRender(), slowRender(), slowRender()];
    const refused = await slowRender();
    expect(refused).toBeInstanceOf(PdfBusyError);
    expect((refused as Error).message).toBe("the PDF renderer is busy, try again in a few seconds");
    const outcomes = await Promise.all(accepted);
    for (const outcome of outcomes) expect(outcome).toBeInstanceOf(PdfUnavailableError);
    expect((await readFile(log, "utf8")).trim().split("\n")).toEqual(["start", "end", "start", "end", "start", "end"]);
    // Three failed renders later the queue is empty again: the next one runs (and fails on its own terms).
    await expect(renderPdf("<p>x</p>", { executablePath: join(dir, "missing") })).rejects.toBeInstanceOf(
      PdfUnavailableError,
    );
  }, 30_000);

  it("answers 429 with Retry-After and a JSON error while the queue is full, then renders again", async () => {
    const accepted = [slowRender(), slowRender(), slowRender()];
    const response = await getPdf();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toEqual({ error: "the PDF renderer is busy, try again in a few seconds" });
    await Promise.all(accepted);
    process.env.CHROMIUM_PATH = join(dir, "missing");
    try {
      // The slot came back after the failures: this request reaches the renderer (503: no Chromium), not the queue.
      expect((await getPdf()).status).toBe(503);
      expect((await getPdf()).status).toBe(503);
    } finally {
      delete process.env.CHROMIUM_PATH;
    }
  }, 30_000);
});
