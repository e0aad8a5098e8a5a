import { connect, type Socket } from "node:net";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDemoStack, type DemoStack } from "./stack.js";
import { captureError, errorCode, findService, timeCall } from "./test-support.js";

describe("Postgres simulator with a real pg client", () => {
  let stack: DemoStack;
  let port: number;
  const clients: pg.Client[] = [];

  beforeAll(async () => {
    stack = await startDemoStack({ basePort: 0 });
    port = findService(stack, "postgres").port;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
    await stack.setMode("postgres", "healthy");
  });
  afterAll(async () => {
    await stack.stop();
  });

  const open = (config: pg.ClientConfig = {}): pg.Client => {
    const client = new pg.Client({ host: "127.0.0.1", port, user: "x", database: "x", ...config });
    client.on("error", () => undefined);
    clients.push(client);
    return client;
  };

  it("connects and answers SELECT 1, version() and SHOW over the simple protocol", async () => {
    const client = open();
    await client.connect();
    expect((await client.query("SELECT 1")).rows).toEqual([{ "?column?": 1 }]);
    expect((await client.query("  select   1 ;")).rows).toEqual([{ "?column?": 1 }]);
    const version = await client.query("SELECT version()");
    expect(version.rows[0]).toEqual({ version: expect.stringMatching(/^PostgreSQL 16\.4 /) });
    expect((await client.query("SHOW server_version")).rows).toEqual([{ server_version: "16.4" }]);
  });

  it("answers prepared and binary-result queries over the extended protocol", async () => {
    const client = open();
    await client.connect();
    expect((await client.query({ name: "probe", text: "SELECT 1" })).rows).toEqual([{ "?column?": 1 }]);
    expect((await client.query({ name: "probe", text: "SELECT 1" })).rows).toEqual([{ "?column?": 1 }]);
    const binary = await client.query({ text: "SELECT now()", binary: true } as pg.QueryConfig);
    const now = (binary.rows[0] as { now: Date }).now;
    expect(Math.abs(now.getTime() - Date.now())).toBeLessThan(5000);
  });

  it("rejects other SQL with an ErrorResponse and stays usable", async () => {
    const client = open();
    await client.connect();
    const unsupported = await captureError(() => client.query("DELETE FROM users"));
    expect(errorCode(unsupported)).toBe("0A000");
    const syntax = await captureError(() => client.query({ name: "bad", text: "garbage in" }));
    expect(errorCode(syntax)).toBe("42601");
    expect((await client.query("SELECT 1")).rows).toEqual([{ "?column?": 1 }]);
  });

  it("refuses startup with 57P03 while failing, and drops open sessions", async () => {
    const existing = open();
    await existing.connect();
    const ended = new Promise<void>((resolve) => existing.once("end", () => resolve()));
    await stack.setMode("postgres", "failing");
    await ended;

    const err = await captureError(() => open().connect());
    expect(errorCode(err)).toBe("57P03");
    expect(String(err)).toContain("the database system is starting up");
  });

  it("answers only after the delay while slow", async () => {
    await stack.setMode("postgres", "slow", { delayMs: 300 });
    const client = open();
    const { elapsedMs } = await timeCall(async () => {
      await client.connect();
      return client.query("SELECT 1");
    });
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
  });

  it("refuses connections while down and comes back on the same port", async () => {
    await stack.setMode("postgres", "down");
    expect(errorCode(await captureError(() => open().connect()))).toBe("ECONNREFUSED");
    await stack.setMode("postgres", "healthy");
    const client = open();
    await client.connect();
    expect((await client.query("SELECT 1")).rows).toEqual([{ "?column?": 1 }]);
  });

  it("declines SSL with 'N' so an ssl-requiring client fails fast instead of hanging", async () => {
    const err = await captureError(() => open({ ssl: { rejectUnauthorized: false } }).connect());
    expect(String(err)).toContain("does not support SSL");
  });
});

describe("Postgres simulator on the raw wire", () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startDemoStack({ basePort: 0 });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it("sends the startup sequence and recovers from an extended-protocol error at Sync", async () => {
    const socket = connect({ host: "127.0.0.1", port: findService(stack, "postgres").port });
    try {
      const reader = createMessageReader(socket);
      socket.write(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])); // SSLRequest
      expect((await reader.raw(1)).toString()).toBe("N");

      socket.write(startupMessage({ user: "probe", database: "probe" }));
      const startup = await reader.until("Z");
      expect(startup.map((m) => m.type).join("")).toMatch(/^RS+KZ$/);
      const parameters = Object.fromEntries(
        startup
          .filter((m) => m.type === "S")
          .map((m) => m.body.toString("utf8").split("\0").slice(0, 2) as [string, string]),
      );
      expect(parameters).toMatchObject({
        server_version: "16.4",
        client_encoding: "UTF8",
        DateStyle: "ISO, MDY",
        integer_datetimes: "on",
        standard_conforming_strings: "on",
        server_encoding: "UTF8",
        TimeZone: "UTC",
      });
      expect(startup.at(-1)?.body.toString()).toBe("I");

      // Parse fails, so Bind/Execute are skipped and only Sync's ReadyForQuery follows the error.
      socket.write(
        Buffer.concat([
          frame("P", "\0DROP TABLE t\0\0\0"),
          frame("B", "\0\0\0\0\0\0\0\0"),
          frame("E", "\0\0\0\0\0"),
          frame("S", ""),
        ]),
      );
      const afterError = await reader.until("Z");
      expect(afterError.map((m) => m.type).join("")).toBe("EZ");
      expect(afterError[0]?.body.toString("utf8")).toContain("C0A000");

      socket.write(frame("X", ""));
    } finally {
      socket.destroy();
    }
  });
});

type WireMessage = { type: string; body: Buffer };

function frame(type: string, body: string): Buffer {
  const payload = Buffer.from(body, "latin1");
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(payload.length + 4, 1);
  return Buffer.concat([header, payload]);
}

function startupMessage(params: Record<string, string>): Buffer {
  const pairs = Object.entries(params)
    .map(([key, value]) => `${key}\0${value}\0`)
    .join("");
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), Buffer.from(`${pairs}\0`, "utf8")]);
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([length, body]);
}

function createMessageReader(socket: Socket): {
  raw: (n: number) => Promise<Buffer>;
  until: (type: string) => Promise<WireMessage[]>;
} {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  socket.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  });
  const waitForData = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const raw = async (n: number): Promise<Buffer> => {
    while (buffered.length < n) await waitForData();
    const out = buffered.subarray(0, n);
    buffered = buffered.subarray(n);
    return out;
  };
  const until = async (type: string): Promise<WireMessage[]> => {
    const messages: WireMessage[] = [];
    for (;;) {
      const head = await raw(5);
      const message = { type: String.fromCharCode(head[0] ?? 0), body: await raw(head.readInt32BE(1) - 4) };
      messages.push(message);
      if (message.type === type) return messages;
    }
  };
  return { raw, until };
}
