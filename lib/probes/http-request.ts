// One HTTP(S) exchange on node:http / node:https rather than undici, because a readiness check needs the TLS
// socket itself: the negotiated protocol and the peer certificate's expiry.
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import type { ConditionValues } from "../conditions/types";
import type { TlsMaterial } from "./tls-material";

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_REDIRECTS = 5;
const USER_AGENT = "Preflight/0.1 (health check)";
const DAY_MS = 86_400_000;
/** Headers that must not travel to another origin when a redirect is followed. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

export type HttpMethod = "GET" | "HEAD" | "POST";

export type HttpExchange = {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: string;
  tls: TlsMaterial;
  followRedirects: boolean;
  signal: AbortSignal;
};

export type TlsDetails = { protocol: string | null; certValidTo: Date | null };

export type HttpReply = {
  status: number;
  /** Lowercase names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The body was longer than MAX_BODY_BYTES and was cut there. */
  truncated: boolean;
  tls: TlsDetails | null;
  /** Location of a redirect that was not followed. */
  location: string | null;
};

/** Sends the request, following redirects only when asked (at most MAX_REDIRECTS hops). */
export async function sendHttpRequest(exchange: HttpExchange): Promise<HttpReply> {
  let url = new URL(exchange.url);
  let { method, body, tls } = exchange;
  let headers: Record<string, string> = { "user-agent": USER_AGENT, ...exchange.headers };
  for (let hop = 0; ; hop++) {
    const reply = await requestOnce(url, method, headers, body, tls, exchange.signal);
    const location = reply.headers.location;
    if (!isRedirect(reply.status) || location === undefined) return { ...reply, location: null };
    if (!exchange.followRedirects) return { ...reply, location };
    if (hop >= MAX_REDIRECTS) throw new Error(`too many redirects (more than ${MAX_REDIRECTS})`);
    const next = resolveRedirect(location, url);
    // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do; 307/308 repeat the request.
    if (
      (reply.status === 303 && method !== "HEAD") ||
      ((reply.status === 301 || reply.status === 302) && method === "POST")
    ) {
      method = "GET";
      body = undefined;
      headers = withoutHeaders(headers, ["content-type", "content-length"]);
    }
    if (next.origin !== url.origin) {
      headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
      tls = { ...tls, servername: undefined };
    }
    url = next;
  }
}

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function resolveRedirect(location: string, base: URL): URL {
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    throw new Error("redirect to an invalid URL");
  }
  if (next.protocol !== "http:" && next.protocol !== "https:")
    throw new Error(`redirect to an unsupported scheme (${next.protocol})`);
  return next;
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.includes(name.toLowerCase())));
}

function requestOnce(
  url: URL,
  method: HttpMethod,
  headers: Record<string, string>,
  body: string | undefined,
  tls: TlsMaterial,
  signal: AbortSignal,
): Promise<Omit<HttpReply, "location">> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "https:";
    // agent: false gives a fresh connection per check: a check measures what a client sees after an idle
    // period, and never reuses a socket that a restarted service has closed.
    const options = { method, headers, agent: false as const, signal };
    const request = secure ? https.request(url, { ...options, ...withoutUndefined(tls) }) : http.request(url, options);
    request.on("error", reject);
    request.once("response", (response) => {
      const tlsDetails = secure ? readTlsDetails(response) : null;
      readBody(response)
        .then(({ data, truncated }) => {
          resolve({
            status: response.statusCode ?? 0,
            headers: flattenHeaders(response),
            body: data,
            truncated,
            tls: tlsDetails,
          });
        }, reject)
        .finally(() => request.destroy());
    });
    request.end(body);
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function readTlsDetails(response: IncomingMessage): TlsDetails {
  const socket = response.socket as TLSSocket;
  const validTo = socket.getPeerCertificate?.()?.valid_to;
  const parsed = validTo ? new Date(validTo) : null;
  return {
    protocol: socket.getProtocol?.() ?? null,
    certValidTo: parsed && !Number.isNaN(parsed.getTime()) ? parsed : null,
  };
}

function readBody(response: IncomingMessage): Promise<{ data: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (truncated: boolean) => {
      settled = true;
      resolve({ data: Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES), truncated });
    };
    const fail = (error: Error) => {
      settled = true;
      reject(error);
    };
    response.on("data", (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      received += chunk.length;
      if (received > MAX_BODY_BYTES) {
        // Enough to judge a health reply; the rest could be a multi-megabyte page.
        finish(true);
        response.destroy();
      }
    });
    response.once("end", () => settled || finish(false));
    response.on("error", (error) => settled || fail(error));
    response.once("close", () => settled || fail(new Error("response cut off by the server")));
  });
}

function flattenHeaders(response: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** The placeholders an HTTP reply provides: STATUS, RESPONSE_TIME, BODY, HEADER and, over TLS, the TLS ones. */
export function describeHttpReply(reply: HttpReply, latencyMs: number, now = Date.now()): ConditionValues {
  const values: ConditionValues = {
    STATUS: reply.status,
    RESPONSE_TIME: latencyMs,
    BODY: parseBody(reply),
    HEADER: reply.headers,
  };
  if (reply.tls?.protocol) values.TLS_VERSION = reply.tls.protocol;
  if (reply.tls?.certValidTo) values.CERT_EXPIRY_DAYS = (reply.tls.certValidTo.getTime() - now) / DAY_MS;
  return values;
}

/** Parsed JSON when the body is JSON, else its text. */
export function parseBody(reply: Pick<HttpReply, "body" | "headers">): unknown {
  const text = reply.body.toString("utf8");
  const looksJson = /json/i.test(reply.headers["content-type"] ?? "") || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** "TLSv1.3, cert 87 d" for a TLS reply; null over plain HTTP. */
export function describeTls(values: ConditionValues): string | null {
  if (typeof values.TLS_VERSION !== "string") return null;
  const days = values.CERT_EXPIRY_DAYS;
  if (typeof days !== "number") return values.TLS_VERSION;
  const cert = days < 0 ? `cert expired ${Math.ceil(-days)} d ago` : `cert ${Math.floor(days)} d`;
  return `${values.TLS_VERSION}, ${cert}`;
}
