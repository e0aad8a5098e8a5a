// x0tta6bl4's mesh gateway, the zero-trust ingress: HTTPS on TLS 1.3 only, and only for a client whose
// certificate the mesh CA signed. Everything else is refused in the handshake, before any HTTP is spoken, which
// is what Preflight's mTLS check (a second connection without the certificate) must see.
import type { Server } from "node:net";
import type { DemoPki } from "./demo-pki.js";
import { buildHttpsServer, replyJson, type HttpRoutes } from "./http-sim.js";
import type { SimulatorContext } from "./switchable-server.js";

export function createGatewayRoutes(): HttpRoutes {
  return (request, ctx) => {
    // Up but without a healthy upstream, as an Envoy-style ingress answers while the mesh behind it is broken.
    if (ctx.state().mode === "failing") return replyJson(503, { status: "unhealthy", detail: "no healthy upstream" });
    if (request.path !== "/health") return replyJson(404, { detail: "Not Found" });
    if (request.method !== "GET" && request.method !== "HEAD") return replyJson(405, { detail: "Method Not Allowed" });
    return replyJson(200, { status: "healthy" });
  };
}

export function buildGatewayServer(pki: DemoPki): (ctx: SimulatorContext) => Server {
  return buildHttpsServer(createGatewayRoutes(), {
    key: pki.serverKey,
    cert: pki.serverCert,
    ca: pki.ca,
    minVersion: "TLSv1.3",
    requestCert: true,
    rejectUnauthorized: true,
  });
}
