// Plumbing shared by the HTTP simulators: body reading, slow-mode latency, and turning a plain reply value into
// a response, so each simulator file is only its service's routes and bodies.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer, type ServerOptions as HttpsServerOptions } from "node:https";
import type { Server as NetServer } from "node:net";
import type { SimulatorContext } from "./switchable-server.js";

export type HttpRequestInfo = {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
};

export type HttpReply = {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
};

export type HttpRoutes = (request: HttpRequestInfo, ctx: SimulatorContext) => HttpReply;

const MAX_BODY_BYTES = 64 * 1024;

export function replyJson(status: number, value: unknown, pretty = false): HttpReply {
  const body = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  return { status, contentType: "application/json", body };
}

export function replyText(status: number, body: string, contentType = "text/plain; charset=utf-8"): HttpReply {
  return { status, contentType, body };
}

/** Go's net/http answer for an unknown path, which Prometheus, Alertmanager and Jaeger all inherit. */
export const GO_NOT_FOUND: HttpReply = replyText(404, "404 page not found\n");

export function buildHttpServer(routes: HttpRoutes): (ctx: SimulatorContext) => Server {
  return (ctx) => {
    const server = createServer(handleRequests(routes, ctx));
    // Probes that hang up mid-request are normal traffic for a health target.
    server.on("clientError", (_err, socket) => socket.destroy());
    return server;
  };
}

/** The same over TLS; a handshake the server refuses (no client certificate, an old protocol) just closes. */
export function buildHttpsServer(routes: HttpRoutes, tls: HttpsServerOptions): (ctx: SimulatorContext) => NetServer {
  return (ctx) => {
    const server = createHttpsServer(tls, handleRequests(routes, ctx));
    server.on("clientError", (_err, socket) => socket.destroy());
    server.on("tlsClientError", (_err, socket) => socket.destroy());
    return server;
  };
}

function handleRequests(
  routes: HttpRoutes,
  ctx: SimulatorContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void readBody(req).then(async (body) => {
      if (body === null) {
        res.writeHead(413, { "content-type": "text/plain" }).end("request body too large\n");
        return;
      }
      const { mode, delayMs } = ctx.state();
      if (mode === "slow" && !(await ctx.sleep(delayMs))) return;
      const url = new URL(req.url ?? "/", "http://demo.invalid");
      const request = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      let reply: HttpReply;
      try {
        reply = routes(request, ctx);
      } catch (err) {
        reply = replyText(500, `demo simulator error: ${err instanceof Error ? err.message : String(err)}\n`);
      }
      if (res.destroyed) return;
      res.writeHead(reply.status, {
        "content-type": reply.contentType,
        "content-length": Buffer.byteLength(reply.body),
      });
      res.end(reply.body);
    });
  };
}

/** The request body as text, or null when it is larger than `maxBytes` or the request fails. */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > maxBytes ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(null));
  });
}

/** Formats like Go's time.Duration.String(), which is what Jaeger and Alertmanager print for uptimes. */
export function formatGoDuration(ms: number): string {
  if (ms <= 0) return "0s";
  if (ms < 1000) return `${trimFraction(ms.toFixed(3))}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = trimFraction((totalSeconds % 60).toFixed(3));
  return `${hours > 0 ? `${hours}h` : ""}${hours > 0 || minutes > 0 ? `${minutes}m` : ""}${seconds}s`;
}

function trimFraction(fixed: string): string {
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}
