// HTTP control plane for the demo stack: list the simulators and flip their modes, so a user (or the e2e suite)
// can stage an outage and its recovery without restarting anything.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { readBody } from "./http-sim.js";
import type { DemoStack } from "./stack.js";
import { DEFAULT_HOST, DEMO_MODES, isDemoServiceId, MAX_SLOW_DELAY_MS, type DemoServiceId } from "./types.js";

export const DEFAULT_CONTROL_PORT = 17399;
const MAX_BODY_BYTES = 16 * 1024;

export type ControlServerOptions = {
  readonly stack: DemoStack;
  readonly host?: string;
  /** 0 picks an ephemeral port. */
  readonly port?: number;
};

export type ControlServer = {
  readonly url: string;
  readonly port: number;
  readonly stop: () => Promise<void>;
};

export const modeRequestSchema = z
  .strictObject({
    mode: z.enum(DEMO_MODES),
    delayMs: z.number().int().min(0).max(MAX_SLOW_DELAY_MS).optional(),
  })
  .refine((body) => body.delayMs === undefined || body.mode === "slow", {
    path: ["delayMs"],
    message: 'only allowed when mode is "slow"',
  });

export type ModeRequest = z.infer<typeof modeRequestSchema>;

type JsonReply = { readonly status: number; readonly body: unknown; readonly headers?: Record<string, string> };

export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const host = options.host ?? DEFAULT_HOST;
  const server = createServer((req, res) => {
    void routeControlRequest(req, options.stack).then(
      (reply) => sendJson(res, reply),
      (err: unknown) =>
        sendJson(res, { status: 500, body: { error: err instanceof Error ? err.message : String(err) } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port: options.port ?? DEFAULT_CONTROL_PORT }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function routeControlRequest(req: IncomingMessage, stack: DemoStack): Promise<JsonReply> {
  const path = new URL(req.url ?? "/", "http://control.invalid").pathname.replace(/\/+$/, "");
  const method = req.method ?? "GET";
  if (path === "/services") {
    return method === "GET" ? { status: 200, body: listServices(stack) } : methodNotAllowed("GET");
  }
  const match = /^\/services\/([^/]+)(\/mode)?$/.exec(path);
  if (match === null) return { status: 404, body: { error: `no route for ${method} ${path || "/"}` } };
  const id = decodeURIComponent(match[1] ?? "");
  if (!isDemoServiceId(id)) return { status: 404, body: { error: `unknown service "${id}"` } };
  if (match[2] === undefined) {
    return method === "GET" ? { status: 200, body: findService(stack, id) } : methodNotAllowed("GET");
  }
  if (method !== "POST") return methodNotAllowed("POST");

  const raw = await readBody(req, MAX_BODY_BYTES);
  if (raw === null) return { status: 413, body: { error: `body: larger than ${MAX_BODY_BYTES} bytes` } };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { status: 400, body: { error: "body: not valid JSON" } };
  }
  const parsed = modeRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      field: issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "body",
      message: issue.code === "unrecognized_keys" ? "unknown field" : issue.message,
    }));
    return { status: 400, body: { error: issues.map((i) => `${i.field}: ${i.message}`).join("; "), issues } };
  }
  const { mode, delayMs } = parsed.data;
  await stack.setMode(id, mode, delayMs === undefined ? {} : { delayMs });
  return { status: 200, body: findService(stack, id) };
}

function listServices(stack: DemoStack): unknown[] {
  const modes = stack.getModes();
  return stack.services.map((service) => ({ ...service, ...modes[service.id] }));
}

function findService(stack: DemoStack, id: DemoServiceId): unknown {
  const service = stack.services.find((candidate) => candidate.id === id);
  return { ...service, ...stack.getModes()[id] };
}

function methodNotAllowed(allow: string): JsonReply {
  return { status: 405, body: { error: `method not allowed; use ${allow}` }, headers: { allow } };
}

function sendJson(res: ServerResponse, reply: JsonReply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    ...reply.headers,
  });
  res.end(body);
}
