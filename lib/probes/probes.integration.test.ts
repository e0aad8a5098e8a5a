import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_POSTGRES_URL, TEST_REDIS_URL } from "../testing/database";
import { runHttpProbe } from "./http";
import { runPostgresProbe } from "./postgres";
import { runRedisProbe } from "./redis";
import { runProbe } from "./run";

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
    if (req.url === "/health") return res.writeHead(200, { "content-type": "application/json" }).end('{"status":"healthy"}');
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
    const outcome = await runPostgresProbe({ type: "postgres", url: `postgresql://x@127.0.0.1:${closedPort}/x` }, 2_000);
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
  });
});
