import { createServer } from "node:http";

// The loopback target of the poller benchmark, in its own process so its CPU is not counted as ours.
// Answers like a health endpoint: 200 with a small JSON body.
const body = JSON.stringify({ status: "healthy" });
const server = createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
