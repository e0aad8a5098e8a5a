import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { THttpProbe } from "../config/probe-schema";
import { runHttpProbe } from "./http";

// HTTP conditions, redirects and request shaping against real local servers.

const servers: Server[] = [];
let base = "";
let other = "";

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<string> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
  void res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));

beforeAll(async () => {
  // A second origin, to see which headers survive a cross-origin redirect.
  other = await serve((req, res) =>
    json(res, 200, { authorization: req.headers.authorization ?? null, method: req.method }),
  );
  base = await serve((req, res, body) => {
    const path = req.url ?? "/";
    if (path === "/health") {
      return json(
        res,
        200,
        {
          status: "healthy",
          checks: [
            { name: "db", status: "ok" },
            { name: "cache", status: "degraded" },
          ],
        },
        { "X-Version": "2.4.1" },
      );
    }
    if (path === "/down") return json(res, 503, { status: "DOWN" });
    if (path === "/html") return void res.writeHead(200, { "content-type": "text/html" }).end("<html>OK</html>");
    if (path === "/echo")
      return json(res, 200, {
        method: req.method,
        body,
        authorization: req.headers.authorization ?? null,
        agent: req.headers["user-agent"],
      });
    if (path === "/slowish") return void setTimeout(() => json(res, 200, { status: "healthy" }), 150);
    if (path === "/huge")
      return void res.writeHead(200, { "content-type": "application/json" }).end(`{"pad":"${"x".repeat(1_000_000)}"}`);
    if (path === "/login")
      return void res.writeHead(302, { location: "http://admin:hunter22@127.0.0.1:1/login" }).end();
    if (path === "/moved") return void res.writeHead(301, { location: "/health" }).end();
    if (path === "/see-other") return void res.writeHead(303, { location: "/echo" }).end();
    if (path === "/temporary") return void res.writeHead(307, { location: "/echo" }).end();
    if (path === "/elsewhere") return void res.writeHead(302, { location: `${other}/` }).end();
    const loop = /^\/loop\/(\d+)$/.exec(path);
    if (loop) return void res.writeHead(302, { location: `/loop/${Number(loop[1]) + 1}` }).end();
    res.writeHead(404).end();
  });
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const probe = (path: string, extra: Partial<THttpProbe> = {}): THttpProbe => ({
  type: "http",
  url: `${base}${path}`,
  method: "GET",
  headers: {},
  followRedirects: false,
  ...extra,
});

describe("HTTP probe: conditions", () => {
  it("passes JSON path conditions and reports the measured values", async () => {
    const outcome = await runHttpProbe(
      probe("/health", {
        conditions: [
          "[BODY].status == healthy",
          "[BODY].checks[0].status == ok",
          "len([BODY].checks) == 2",
          "[RESPONSE_TIME] < 2000",
        ],
      }),
      2_000,
    );
    expect(outcome).toMatchObject({ ok: true, detail: "HTTP 200", error: null, failedConditions: [] });
    expect(outcome.values).toMatchObject({ STATUS: 200 });
    // BODY and HEADER stay out of what a probe hands on: large, and they may hold cookies.
    expect(outcome.values).not.toHaveProperty("BODY");
    expect(outcome.values).not.toHaveProperty("HEADER");
  });

  it("lists every failed condition with what it got", async () => {
    const outcome = await runHttpProbe(
      probe("/health", {
        conditions: ["[BODY].status == UP", "[BODY].checks[1].status == ok", "[BODY].status != healthy"],
      }),
      2_000,
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.failedConditions).toEqual([
      '[BODY].status == UP (got "healthy")',
      '[BODY].checks[1].status == ok (got "degraded")',
      '[BODY].status != healthy (got "healthy")',
    ]);
    expect(outcome.error).toBe(
      '[BODY].status == UP (got "healthy"); [BODY].checks[1].status == ok (got "degraded"); [BODY].status != healthy (got "healthy")',
    );
  });

  it("says when a JSON path meets a body that is not JSON", async () => {
    const outcome = await runHttpProbe(probe("/html", { conditions: ["[BODY].status == UP"] }), 2_000);
    expect(outcome).toMatchObject({ ok: false, error: "[BODY].status: body is not JSON" });
    expect((await runHttpProbe(probe("/html", { conditions: ["[BODY] contains OK"] }), 2_000)).ok).toBe(true);
  });

  it("reads headers case-insensitively", async () => {
    const outcome = await runHttpProbe(
      probe("/health", { conditions: ["[HEADER].content-type contains json", "[HEADER].X-Version == 2.4.1"] }),
      2_000,
    );
    expect(outcome).toMatchObject({ ok: true, error: null });
    const failed = await runHttpProbe(probe("/health", { conditions: ["[HEADER].x-version == 2.5.0"] }), 2_000);
    expect(failed.error).toBe('[HEADER].x-version == 2.5.0 (got "2.4.1")');
  });

  it("reports the default 2xx check and a failing body condition together", async () => {
    const outcome = await runHttpProbe(probe("/down", { conditions: ["[BODY].status == UP"] }), 2_000);
    expect(outcome).toMatchObject({
      ok: false,
      detail: "HTTP 503",
      error: 'HTTP 503, expected 2xx; [BODY].status == UP (got "DOWN")',
    });
  });

  it("drops the default 2xx check when a condition looks at [STATUS]", async () => {
    expect(await runHttpProbe(probe("/down", { conditions: ["[STATUS] == 503"] }), 2_000)).toMatchObject({
      ok: true,
      error: null,
    });
    expect(await runHttpProbe(probe("/health", { conditions: ["[STATUS] == 204"] }), 2_000)).toMatchObject({
      ok: false,
      error: "[STATUS] == 204 (got 200)",
    });
  });

  it("measures the response time of the whole request", async () => {
    const outcome = await runHttpProbe(probe("/slowish", { conditions: ["[RESPONSE_TIME] < 100"] }), 2_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.latencyMs).toBeGreaterThanOrEqual(140);
    expect(outcome.error).toMatch(/^\[RESPONSE_TIME\] < 100 \(got 1\d\d(\.\d+)?\)$/);
  });

  it("reads at most 64 KiB of a large body, so a JSON condition on it fails rather than hangs", async () => {
    const outcome = await runHttpProbe(probe("/huge", { conditions: ["[BODY].pad != x"] }), 2_000);
    expect(outcome).toMatchObject({ ok: false, detail: "HTTP 200", error: "[BODY].pad: body is not JSON" });
  });
});

describe("HTTP probe: requests and redirects", () => {
  it("sends the configured method, headers and body", async () => {
    const outcome = await runHttpProbe(
      probe("/echo", {
        method: "POST",
        body: '{"ping":1}',
        headers: { authorization: "Bearer t0ken" },
        conditions: [
          "[BODY].body == '{\"ping\":1}'",
          "[BODY].method == POST",
          "[BODY].authorization == 'Bearer t0ken'",
          "[BODY].agent contains Preflight",
        ],
      }),
      2_000,
    );
    expect(outcome).toMatchObject({ ok: true, error: null });
  });

  it("does not follow a redirect unless told to, and names where it pointed (password masked)", async () => {
    const outcome = await runHttpProbe(probe("/login"), 2_000);
    expect(outcome).toMatchObject({
      ok: false,
      detail: "HTTP 302",
      error: "HTTP 302, expected 2xx (redirect to http://admin:****@127.0.0.1:1/login, not followed)",
    });
    expect(outcome.error).not.toContain("hunter22");
    const viaCondition = await runHttpProbe(probe("/moved", { conditions: ["[STATUS] == 200"] }), 2_000);
    expect(viaCondition.error).toBe("[STATUS] == 200 (got 301); redirect to /health, not followed");
  });

  it("follows redirects when told to, and judges the final answer", async () => {
    const outcome = await runHttpProbe(
      probe("/moved", { followRedirects: true, conditions: ["[BODY].status == healthy"] }),
      2_000,
    );
    expect(outcome).toMatchObject({ ok: true, detail: "HTTP 200", error: null });
  });

  it("turns a POST into a GET on 303 and repeats it on 307", async () => {
    const seeOther = await runHttpProbe(
      probe("/see-other", {
        method: "POST",
        body: "x",
        followRedirects: true,
        conditions: ["[BODY].method == GET", "[BODY].body == ''"],
      }),
      2_000,
    );
    expect(seeOther).toMatchObject({ ok: true, error: null });
    const temporary = await runHttpProbe(
      probe("/temporary", {
        method: "POST",
        body: "x",
        followRedirects: true,
        conditions: ["[BODY].method == POST", "[BODY].body == x"],
      }),
      2_000,
    );
    expect(temporary).toMatchObject({ ok: true, error: null });
  });

  it("does not carry credentials to another origin", async () => {
    const outcome = await runHttpProbe(
      probe("/elsewhere", {
        followRedirects: true,
        headers: { Authorization: "Bearer t0ken" },
        conditions: ["[BODY].authorization == null"],
      }),
      2_000,
    );
    expect(outcome).toMatchObject({ ok: true, error: null });
  });

  it("stops after five redirects", async () => {
    const outcome = await runHttpProbe(probe("/loop/0", { followRedirects: true }), 2_000);
    expect(outcome).toMatchObject({ ok: false, detail: null, error: "too many redirects (more than 5)" });
  });
});
