import { Redis, type RedisOptions } from "ioredis";
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "./stack.js";
import { captureError, errorCode, findService, timeCall } from "./test-support.js";

describe("Redis simulator with a real ioredis client", () => {
  let stack: DemoStack;
  let port: number;
  const clients: Redis[] = [];

  beforeAll(async () => {
    stack = await startDemoStack({ basePort: 0 });
    port = findService(stack, "redis").port;
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
    await stack.setMode("redis", "healthy");
  });
  afterAll(async () => {
    await stack.stop();
  });

  // No retries, so an outage surfaces as an error instead of an endless reconnect loop in the test.
  const open = (options: RedisOptions = {}): Redis => {
    const client = new Redis({
      host: "127.0.0.1",
      port,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      ...options,
    });
    client.on("error", () => undefined);
    clients.push(client);
    return client;
  };

  it("completes ioredis' default handshake (HELLO 3 fallback, SETNAME, ready check) and answers probes", async () => {
    const client = open({ connectionName: "preflight-probe" });
    expect(await client.ping()).toBe("PONG");
    expect(await client.ping("hello")).toBe("hello");
    expect(client.status).toBe("ready");
    expect(await client.client("GETNAME")).toBe("preflight-probe");

    const info = await client.info();
    expect(info).toMatch(/^# Server\r\nredis_version:7\.2\.4\r\n/);
    expect(info).toContain("# Replication\r\nrole:master\r\n");
    expect(await client.info("replication")).toMatch(/^# Replication\r\nrole:master\r\n/);
    expect(await client.info("server")).not.toContain("# Replication");
  });

  it("rejects unknown commands the way Redis does", async () => {
    const client = open();
    const err = await captureError(() => client.call("FLUSHALL"));
    expect(String(err)).toContain("ERR unknown command 'FLUSHALL'");
    expect(await client.ping()).toBe("PONG");
  });

  it("answers LOADING while failing, to open and to new connections", async () => {
    const existing = open();
    expect(await existing.ping()).toBe("PONG");
    await stack.setMode("redis", "failing");
    expect(String(await captureError(() => existing.ping()))).toContain(
      "LOADING Redis is loading the dataset in memory",
    );
    const fresh = open();
    expect(String(await captureError(() => fresh.ping()))).toContain("LOADING");
  });

  it("delays replies while slow", async () => {
    const client = open();
    await client.ping();
    await stack.setMode("redis", "slow", { delayMs: 300 });
    const { result, elapsedMs } = await timeCall(() => client.ping());
    expect(result).toBe("PONG");
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
  });

  it("refuses connections while down and comes back on the same port", async () => {
    const before = open();
    await before.ping();
    await stack.setMode("redis", "down");
    // ioredis rejects the call with "Connection is closed." and reports the cause on its error event.
    const refused = open({ lazyConnect: true });
    const firstError = new Promise<unknown>((resolve) => refused.once("error", resolve));
    await captureError(() => refused.connect());
    expect(errorCode(await firstError)).toBe("ECONNREFUSED");

    await stack.setMode("redis", "healthy");
    const after = open();
    expect(await after.ping()).toBe("PONG");
  });

  it("understands inline commands and QUIT from a bare socket", async () => {
    const transcript = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port });
      let received = "";
      socket.on("data", (chunk) => (received += chunk.toString("utf8")));
      socket.on("end", () => resolve(received));
      socket.on("error", reject);
      socket.write('PING\r\nECHO "two words"\r\nNOSUCH a b\r\nQUIT\r\n');
    });
    expect(transcript).toBe(
      "+PONG\r\n$9\r\ntwo words\r\n-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n+OK\r\n",
    );
  });
});
