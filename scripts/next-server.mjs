// The web server: Next.js's request handler behind Node's own http server, instead of `next start`, for one reason
// `next start` cannot serve: it keeps a client-sent X-Forwarded-For as it is, so any client could name its own
// address and walk around the per-address sign-in throttle. Here the address comes from the socket, and a forwarded
// header counts only when the socket is one of PREFLIGHT_TRUSTED_PROXIES. Plain JavaScript: it runs before any build.
import { createServer } from "node:http";
import { isIP } from "node:net";

/** Longer request targets are refused at once (414) rather than left to time out in the framework. */
export const MAX_URL_BYTES = 4096;

/** "10.0.0.1, 10.0.0.0/8, ::1" -> matchers; an entry that is neither an address nor a CIDR range is an error. */
export function parseTrustedProxies(text) {
  const entries = (text ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const [address, bits] = entry.split("/");
    const family = isIP(address ?? "");
    if (family === 0) throw new Error(`PREFLIGHT_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const max = family === 4 ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
      throw new Error(`PREFLIGHT_TRUSTED_PROXIES: "${entry}" has a bad prefix length`);
    return { family, bytes: toBytes(address ?? ""), prefix };
  });
}

function toBytes(address) {
  const plain = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.split(".").map(Number);
  const [head, tail] = plain.split("::");
  const part = (s) => (s ? s.split(":") : []);
  const groups = [...part(head), ...Array(8 - part(head).length - part(tail).length).fill("0"), ...part(tail)];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g || "0", 16);
    return [n >> 8, n & 0xff];
  });
}

function matches(address, trusted) {
  const bytes = toBytes(address);
  return trusted.some((t) => {
    if (bytes.length !== t.bytes.length) return false;
    let left = t.prefix;
    for (let i = 0; i < bytes.length && left > 0; i += 1, left -= 8) {
      const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
      if (((bytes[i] ?? 0) & mask) !== ((t.bytes[i] ?? 0) & mask)) return false;
    }
    return true;
  });
}

/**
 * The client's address: the socket's, unless the socket is a trusted proxy; then the right-most address of the
 * forwarded chain that is not itself a trusted proxy (the left part of the chain is whatever the client wrote).
 */
export function resolveClientAddress(socketAddress, forwardedFor, trusted) {
  const socket = socketAddress ?? "";
  if (trusted.length === 0 || !isIP(socket) || !matches(socket, trusted)) return socket;
  const hops = String(forwardedFor ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => isIP(s) !== 0);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] ?? "";
    if (!matches(hop, trusted)) return hop;
  }
  return hops[0] ?? socket;
}

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  // Not HOSTNAME: shells set it to the machine's name.
  const hostname = process.env.PREFLIGHT_HOST || undefined;
  const trusted = parseTrustedProxies(process.env.PREFLIGHT_TRUSTED_PROXIES);
  process.env.NODE_ENV = "production";
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: process.cwd(), hostname: hostname ?? "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    if ((req.url ?? "").length > MAX_URL_BYTES) {
      res.writeHead(414, { "content-type": "application/json", connection: "close" });
      res.end(JSON.stringify({ error: `the request URL is longer than ${MAX_URL_BYTES} bytes` }));
      return;
    }
    // Every forwarded-for header the client sent is replaced by the one address this server vouches for.
    const client = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
    req.headers["x-forwarded-for"] = client;
    void handle(req, res);
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 15_000;
  server.listen(port, hostname, () =>
    console.log(`preflight: listening on ${hostname ?? "every interface"}, port ${port}`),
  );
  // Stop taking requests, let the embedded worker (its own SIGTERM handler) write what it holds, then exit; open
  // event streams would otherwise keep server.close() waiting forever.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    await new Promise((resolve) => setImmediate(resolve));
    const worker = globalThis.preflightWorkerStopping;
    await Promise.race([worker ?? Promise.resolve(), new Promise((resolve) => setTimeout(resolve, 8_000))]).catch(
      () => undefined,
    );
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(
      `preflight: the web server could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
