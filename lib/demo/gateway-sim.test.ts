import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type ConnectionOptions } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfigFile } from "../config/load";
import { ZHttpProbe } from "../config/probe-schema";
import { runProbe } from "../probes/run";
import { createTestPki, type TestPki } from "../probes/test-certificates";
import { ensureDemoPki, type DemoPki } from "./demo-pki.js";
import { startDemoStack, type DemoStack } from "./stack.js";
import { captureError, errorCode, findService } from "./test-support.js";

// The mesh gateway with a PKI made by the demo's own code, checked by Preflight's real HTTP probe as the shipped
// configuration runs it: TLS 1.3, a client certificate, and a second connection without one that must be refused.

const CONDITIONS = ["[STATUS] == 200", "[TLS_VERSION] >= TLSv1.3", "[MTLS_ENFORCED] == true"];
const TIMEOUT_MS = 3_000;

let dir: string;
let pki: DemoPki;
let stack: DemoStack;
let foreign: TestPki;
let url: string;
let client: { cert: string; key: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pf-gateway-"));
  pki = (await ensureDemoPki(join(dir, "demo-pki"))).pki;
  client = { cert: await readFile(pki.clientCertPath, "utf8"), key: await readFile(pki.clientKeyPath, "utf8") };
  stack = await startDemoStack({ basePort: 0, pki });
  url = findService(stack, "gateway").url;
  foreign = createTestPki();
}, 30_000);

afterAll(async () => {
  await stack.stop();
  foreign.remove();
  await rm(dir, { recursive: true, force: true });
});

const probe = (tls: Record<string, unknown>, conditions = CONDITIONS) =>
  ZHttpProbe.parse({ type: "http", url: `${url}/health`, tls, conditions });
const withClientCert = () => ({ ca: pki.caPath, cert: pki.clientCertPath, key: pki.clientKeyPath });

/** One GET over node:https with the given TLS options; the status, or the error that ended it. */
function get(options: ConnectionOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/health`, { ...options, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("demo mesh gateway", () => {
  it("is listed as an https service", () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("passes the shipped probe with the client certificate: TLS 1.3, mTLS enforced", async () => {
    const outcome = await runProbe(probe(withClientCert(), [...CONDITIONS, "[BODY].status == healthy"]), TIMEOUT_MS);
    expect(outcome).toMatchObject({
      ok: true,
      error: null,
      values: { STATUS: 200, TLS_VERSION: "TLSv1.3", MTLS_ENFORCED: true },
    });
    expect(outcome.detail).toMatch(/^HTTP 200, TLSv1\.3, cert \d+ d, mTLS enforced$/);
  });

  it("passes the gateway probe of the shipped configuration, with the variables `npm run demo` sets", async () => {
    const env = {
      X0_GATEWAY_URL: url,
      X0_GATEWAY_CA: pki.caPath,
      X0_GATEWAY_CERT: pki.clientCertPath,
      X0_GATEWAY_KEY: pki.clientKeyPath,
    };
    const { config } = loadConfigFile(join(import.meta.dirname, "..", "..", "preflight.config.yaml"), env);
    const gateway = config.components.find((c) => c.id === "gateway");
    if (gateway === undefined) throw new Error("the shipped configuration has no gateway component");
    const outcome = await runProbe(gateway.probe, TIMEOUT_MS);
    expect(outcome).toMatchObject({ ok: true, error: null, values: { TLS_VERSION: "TLSv1.3", MTLS_ENFORCED: true } });
  });

  it("refuses a client without a certificate in the handshake", async () => {
    const err = await captureError(() => get({ ca: pki.ca }));
    expect(errorCode(err)).toMatch(/^(ECONNRESET|ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED)$/);
    const outcome = await runProbe(probe({ ca: pki.caPath }, ["[STATUS] == 200"]), TIMEOUT_MS);
    expect(outcome).toMatchObject({ ok: false, detail: null });
    expect(outcome.error).toMatch(
      /^TLS tlsv13 alert certificate required \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\)$|^connection reset/,
    );
  });

  it("refuses a certificate that the mesh CA did not sign", async () => {
    const err = await captureError(() => get({ ca: pki.ca, cert: foreign.client.cert, key: foreign.client.key }));
    expect(errorCode(err)).toMatch(/^(ECONNRESET|ERR_SSL_TLSV13_ALERT_UNKNOWN_CA|ERR_SSL_TLSV1_ALERT_UNKNOWN_CA)$/);
  });

  it("refuses a TLS 1.2-only client, even with the right certificate", async () => {
    const socket = connect({
      host: "127.0.0.1",
      port: Number(new URL(url).port),
      ca: pki.ca,
      ...client,
      maxVersion: "TLSv1.2",
    });
    const outcome = await new Promise<unknown>((resolve) => {
      socket.once("secureConnect", () => resolve("handshake completed"));
      socket.once("error", resolve);
    });
    socket.destroy();
    expect(errorCode(outcome)).toBe("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
    // The same client on TLS 1.3 is let in: the refusal is the protocol's, not the certificate's.
    expect(await get({ ca: pki.ca, ...client })).toBe(200);
  });

  it("follows the demo controls: failing answers 503, slow answers late, down refuses, healthy is back on the same port", async () => {
    try {
      await stack.setMode("gateway", "failing");
      const failing = await runProbe(probe(withClientCert()), TIMEOUT_MS);
      expect(failing).toMatchObject({ ok: false, error: "[STATUS] == 200 (got 503)", values: { MTLS_ENFORCED: true } });

      await stack.setMode("gateway", "slow", { delayMs: 300 });
      const slow = await runProbe(probe(withClientCert()), TIMEOUT_MS);
      expect(slow.ok).toBe(true);
      expect(slow.latencyMs).toBeGreaterThanOrEqual(290);

      await stack.setMode("gateway", "down");
      const down = await runProbe(probe(withClientCert()), TIMEOUT_MS);
      expect(down).toMatchObject({ ok: false, error: expect.stringMatching(/^connection refused \(ECONNREFUSED\)/) });

      await stack.setMode("gateway", "healthy");
      expect((await runProbe(probe(withClientCert()), TIMEOUT_MS)).ok).toBe(true);
    } finally {
      await stack.setMode("gateway", "healthy");
    }
  });

  it("fails the probe, naming the field, when the PKI files are not there (npm start without the demo)", async () => {
    const outcome = await runProbe(
      probe({ ca: join(dir, "nowhere", "ca.pem"), cert: pki.clientCertPath, key: pki.clientKeyPath }),
      TIMEOUT_MS,
    );
    expect(outcome).toMatchObject({
      ok: false,
      error: "cannot read tls.ca: no such file (expected a file path or a PEM block)",
    });
  });
});
