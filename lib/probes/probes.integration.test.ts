import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from "../testing/database";
import { runHttpProbe } from "./http";
import { runPostgresProbe } from "./postgres";
import { runRedisProbe } from "./redis";
import { runProbe } from "./run";
import { runTcpProbe } from "./tcp";

// Probes against real servers: the machine's PostgreSQL and Redis, a local HTTP server, a port nobody
// listens on, and a TCP server that accepts connections and never answers (a hung service).

let http: Server;
let httpUrl: string;
let silent: TcpServer;
let silentPort: number;
let closedPort: number;
const silentSockets = new Set<import("node:net").Socket>();

async function listen(server: Server | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url === "/health")
      return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"healthy"}');
    if (req.url === "/broken") return res.writeHead(503).end("unavailable");
    if (req.url === "/moved") return res.writeHead(302, { location: "/health" }).end();
    if (req.url === "/slow") return void setTimeout(() => res.writeHead(200).end("late"), 1_500);
    res.writeHead(404).end();
  });
  httpUrl = `http://127.0.0.1:${await listen(http)}`;
  // Reads and discards what it is sent and never answers: a hung service.
  silent = createTcpServer((socket) => {
    socket.resume();
    silentSockets.add(socket);
    socket.on("close", () => silentSockets.delete(socket));
  });
  silentPort = await listen(silent);
  const temp = createTcpServer();
  closedPort = await listen(temp);
  await new Promise((resolve) => temp.close(resolve));
});

afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
  await new Promise((resolve) => silent.close(resolve));
});

it("leaves no connection open after a timed-out probe", async () => {
  await runHttpProbe({ ...httpProbe("/"), url: `http://127.0.0.1:${silentPort}/` }, 200);
  await runPostgresProbe({ type: "postgres", url: `postgresql://x@127.0.0.1:${silentPort}/x` }, 200);
  await runRedisProbe({ type: "redis", url: `redis://127.0.0.1:${silentPort}` }, 200);
  await runTcpProbe({ type: "tcp", host: "127.0.0.1", port: silentPort }, 200);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(silentSockets.size).toBe(0);
});

const httpProbe = (path: string, extra: Partial<Parameters<typeof runHttpProbe>[0]> = {}) => ({
  type: "http" as const,
  url: `${httpUrl}${path}`,
  method: "GET" as const,
  headers: {},
  followRedirects: false,
  ...extra,
});

describe("HTTP probe", () => {
  it("passes on 200 and reports the status and latency", async () => {
    const outcome = await runHttpProbe(httpProbe("/health"), 2_000);
    expect(outcome).toMatchObject({ ok: true, detail: "HTTP 200", error: null });
    expect(outcome.latencyMs).toBeGreaterThan(0);
  });

  it("fails on 503 with the status in the reason", async () => {
    const outcome = await runHttpProbe(httpProbe("/broken"), 2_000);
    expect(outcome).toMatchObject({ ok: false, detail: "HTTP 503", error: "HTTP 503, expected 2xx" });
  });

  it("honours expectStatus", async () => {
    expect((await runHttpProbe(httpProbe("/broken", { expectStatus: [503] }), 2_000)).ok).toBe(true);
    expect((await runHttpProbe(httpProbe("/health", { expectStatus: [204] }), 2_000)).ok).toBe(false);
  });

  it("does not follow a redirect unless configured, so a redirect is not up by accident", async () => {
    const plain = await runHttpProbe(httpProbe("/moved"), 2_000);
    expect(plain.ok).toBe(false);
    expect(plain.error).toMatch(/HTTP 302.*redirect to \/health, not followed/);
    const followed = await runHttpProbe(httpProbe("/moved", { followRedirects: true }), 2_000);
    expect(followed).toMatchObject({ ok: true, detail: "HTTP 200" });
  });

  it("times out a slow response at the configured timeout", async () => {
    const started = Date.now();
    const outcome = await runHttpProbe(httpProbe("/slow"), 300);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/timed out after 300 ms|no response headers in time/);
    expect(Date.now() - started).toBeLessThan(1_200);
  });

  it("reports a closed port as connection refused", async () => {
    const outcome = await runHttpProbe({ ...httpProbe("/"), url: `http://127.0.0.1:${closedPort}/health` }, 2_000);
    expect(outcome).toMatchObject({ ok: false, error: "connection refused (ECONNREFUSED)" });
  });

  it("times out a server that accepts and never answers", async () => {
    const outcome = await runHttpProbe({ ...httpProbe("/"), url: `http://127.0.0.1:${silentPort}/health` }, 300);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/timed out after 300 ms|no response headers in time/);
  });
});

describe("PostgreSQL probe (real server)", () => {
  it("connects and runs SELECT 1", async () => {
    const outcome = await runPostgresProbe({ type: "postgres", url: TEST_POSTGRES_URL }, 3_000);
    expect(outcome).toMatchObject({ ok: true, detail: "SELECT 1 → 1", error: null });
  });

  it("fails with the server's reason for a database that does not exist", async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = "/preflight_no_such_database";
    const outcome = await runPostgresProbe({ type: "postgres", url: url.toString() }, 3_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/database "preflight_no_such_database" does not exist/);
  });

  it("reports a closed port as connection refused", async () => {
    const outcome = await runPostgresProbe(
      { type: "postgres", url: `postgresql://x@127.0.0.1:${closedPort}/x` },
      2_000,
    );
    expect(outcome).toMatchObject({ ok: false, error: "connection refused (ECONNREFUSED)" });
  });

  it("times out a server that never completes the handshake", async () => {
    const started = Date.now();
    const outcome = await runPostgresProbe({ type: "postgres", url: `postgresql://x@127.0.0.1:${silentPort}/x` }, 300);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/timed out|timeout/i);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe("PostgreSQL probe: query and conditions (real server)", () => {
  const pgProbe = (query: string | undefined, conditions?: string[]) => ({
    type: "postgres" as const,
    url: TEST_POSTGRES_URL,
    ...(query !== undefined && { query }),
    ...(conditions !== undefined && { conditions }),
  });

  it("compares a bigint count, which arrives as text, with a number", async () => {
    const outcome = await runPostgresProbe(
      pgProbe("SELECT count(*) FROM pg_database WHERE datname = current_database()", ["[RESULT] == 1", "[ROWS] == 1"]),
      3_000,
    );
    expect(outcome).toMatchObject({ ok: true, error: null, detail: "SELECT count(*) FROM pg_database WHERE… → 1" });
    expect(outcome.values).toMatchObject({ RESULT: "1", ROWS: 1 });
  });

  it("fails a condition on the result with what it got", async () => {
    const outcome = await runPostgresProbe(pgProbe("SELECT 'replica'::text AS role", ["[RESULT] == primary"]), 3_000);
    expect(outcome).toMatchObject({
      ok: false,
      detail: "SELECT 'replica'::text AS role → replica",
      error: '[RESULT] == primary (got "replica")',
    });
  });

  it("counts rows, and reports an empty result as no rows", async () => {
    const outcome = await runPostgresProbe(
      pgProbe("SELECT datname FROM pg_database WHERE false", ["[ROWS] > 0"]),
      3_000,
    );
    expect(outcome).toMatchObject({
      ok: false,
      detail: "SELECT datname FROM pg_database WHERE f… → no rows",
      error: "[ROWS] > 0 (got 0)",
    });
  });

  it("reads booleans and JSON results", async () => {
    expect(
      (await runPostgresProbe(pgProbe("SELECT pg_is_in_recovery() = false", ["[RESULT] == true"]), 3_000)).ok,
    ).toBe(true);
    const json = await runPostgresProbe(
      pgProbe(`SELECT '{"role":"primary","lag":[0]}'::jsonb`, ["[RESULT].role == primary", "[RESULT].lag[0] < 1"]),
      3_000,
    );
    expect(json).toMatchObject({ ok: true, error: null });
  });

  it("keeps the default [RESULT] == 1 check next to other conditions on SELECT 1", async () => {
    const outcome = await runPostgresProbe(pgProbe(undefined, ["[RESPONSE_TIME] < 3000"]), 3_000);
    expect(outcome).toMatchObject({ ok: true, detail: "SELECT 1 → 1" });
  });

  it("fails with the server's reason for a bad query", async () => {
    const outcome = await runPostgresProbe(pgProbe("SELECT * FROM preflight_no_such_table"), 3_000);
    expect(outcome).toMatchObject({
      ok: false,
      detail: null,
      error: 'relation "preflight_no_such_table" does not exist',
    });
  });

  it("never shows the password of the connection string", async () => {
    const url = new URL(TEST_POSTGRES_URL);
    url.password = "pw-S3cret-value";
    url.port = String(closedPort);
    const outcome = await runPostgresProbe({ type: "postgres", url: url.toString(), query: "SELECT 2" }, 2_000);
    expect(JSON.stringify(outcome)).not.toContain("pw-S3cret-value");
  });
});

describe("Redis probe: INFO conditions (real server)", () => {
  it("reads INFO fields only when a condition needs them", async () => {
    const outcome = await runRedisProbe(
      {
        type: "redis",
        url: TEST_REDIS_URL,
        conditions: ["[INFO].role == master", String.raw`[INFO].redis_version matches "^\d+\."`],
      },
      2_000,
    );
    expect(outcome).toMatchObject({ ok: true, detail: "PONG, role master", error: null });
    expect(outcome.values).not.toHaveProperty("INFO");
    expect((await runRedisProbe({ type: "redis", url: TEST_REDIS_URL }, 2_000)).detail).toBe("PONG");
  });

  it("fails an INFO condition with what it got", async () => {
    const outcome = await runRedisProbe(
      { type: "redis", url: TEST_REDIS_URL, conditions: ["[INFO].role == slave", "[INFO].no_such_field == 1"] },
      2_000,
    );
    expect(outcome).toMatchObject({
      ok: false,
      error: '[INFO].role == slave (got "master"); [INFO].no_such_field == 1 (got nothing)',
    });
  });
});

describe("TCP probe", () => {
  it("connects to an open port", async () => {
    const outcome = await runTcpProbe({ type: "tcp", host: "127.0.0.1", port: silentPort }, 2_000);
    expect(outcome).toMatchObject({ ok: true, detail: "connected", error: null, values: { CONNECTED: true } });
  });

  it("reports a closed port as connection refused", async () => {
    const outcome = await runTcpProbe({ type: "tcp", host: "127.0.0.1", port: closedPort }, 2_000);
    expect(outcome).toMatchObject({
      ok: false,
      detail: null,
      error: "connection refused (ECONNREFUSED)",
      values: { CONNECTED: false },
    });
  });

  it("can assert that a port is closed", async () => {
    const closed = await runTcpProbe(
      { type: "tcp", host: "127.0.0.1", port: closedPort, conditions: ["[CONNECTED] == false"] },
      2_000,
    );
    expect(closed).toMatchObject({
      ok: true,
      detail: "not connected (connection refused (ECONNREFUSED))",
      error: null,
    });
    const open = await runTcpProbe(
      { type: "tcp", host: "127.0.0.1", port: silentPort, conditions: ["[CONNECTED] == false"] },
      2_000,
    );
    expect(open).toMatchObject({ ok: false, error: "[CONNECTED] == false (got true)" });
  });
});

describe("Redis probe (real server)", () => {
  it("answers PING with PONG", async () => {
    const outcome = await runRedisProbe({ type: "redis", url: TEST_REDIS_URL }, 2_000);
    expect(outcome).toMatchObject({ ok: true, detail: "PONG", error: null });
  });

  it("reports a closed port as connection refused", async () => {
    const outcome = await runRedisProbe({ type: "redis", url: `redis://127.0.0.1:${closedPort}` }, 2_000);
    expect(outcome).toMatchObject({ ok: false, error: "connection refused (ECONNREFUSED)" });
  });

  it("times out a server that never answers", async () => {
    const started = Date.now();
    const outcome = await runRedisProbe({ type: "redis", url: `redis://127.0.0.1:${silentPort}` }, 300);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/timed out|timeout/i);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe("runProbe", () => {
  it("dispatches by probe type", async () => {
    expect((await runProbe({ type: "redis", url: TEST_REDIS_URL }, 2_000)).detail).toBe("PONG");
    expect((await runProbe({ type: "postgres", url: TEST_POSTGRES_URL }, 2_000)).detail).toBe("SELECT 1 → 1");
    expect((await runProbe({ type: "tcp", host: "127.0.0.1", port: silentPort }, 2_000)).detail).toBe("connected");
    expect(
      (
        await runProbe(
          { type: "http", url: `${httpUrl}/health`, method: "GET", headers: {}, followRedirects: false },
          2_000,
        )
      ).detail,
    ).toBe("HTTP 200");
  });
});
