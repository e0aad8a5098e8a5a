import { createServer, type Server, type ServerOptions } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { THttpProbe } from "../config/probe-schema";
import { runHttpProbe } from "./http";
import { createTestPki, hasOpenssl, type TestPki } from "./test-certificates";

// HTTPS probes against real TLS servers with certificates made at test time by openssl.

let pki: TestPki;
const servers: Server[] = [];
const urls = { plain: "", tls12: "", mtls: "", mtlsByStatus: "", named: "" };

async function serve(options: ServerOptions, handler?: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(
    options,
    handler ?? ((_req, res) => void res.writeHead(200, { "content-type": "application/json" }).end('{"status":"UP"}')),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  if (!hasOpenssl()) return;
  pki = createTestPki({ serverDays: 10 });
  const identity = { cert: pki.server.cert, key: pki.server.key };
  urls.plain = await serve(identity);
  urls.tls12 = await serve({ ...identity, maxVersion: "TLSv1.2" });
  urls.mtls = await serve({ ...identity, ca: pki.ca, requestCert: true, rejectUnauthorized: true });
  // Asks for a certificate but lets the handshake through, and answers 401 to a client without one.
  urls.mtlsByStatus = await serve(
    { ...identity, ca: pki.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const authorized = (req.socket as TLSSocket).authorized;
      res.writeHead(authorized ? 200 : 401).end(authorized ? "hello" : "client certificate required");
    },
  );
  urls.named = await serve({ cert: pki.named.cert, key: pki.named.key });
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  pki?.remove();
});

const probe = (url: string, extra: Partial<THttpProbe> = {}): THttpProbe => ({
  type: "http",
  url: `${url}/health`,
  method: "GET",
  headers: {},
  followRedirects: false,
  tls: { ca: pki.caPath, rejectUnauthorized: true },
  ...extra,
});
const withClientCert = () => ({
  ca: pki.caPath,
  cert: pki.client.certPath,
  key: pki.client.keyPath,
  rejectUnauthorized: true,
});

describe.skipIf(!hasOpenssl())("HTTPS probe (openssl-made certificates)", () => {
  it("reports the TLS version and the certificate's days left", async () => {
    const outcome = await runHttpProbe(probe(urls.plain), 3_000);
    expect(outcome).toMatchObject({ ok: true, error: null, detail: "HTTP 200, TLSv1.3, cert 9 d" });
    expect(outcome.values?.TLS_VERSION).toBe("TLSv1.3");
    // openssl starts the validity now and ends it 10 days later.
    const days = outcome.values?.CERT_EXPIRY_DAYS as number;
    expect(days).toBeGreaterThan(9.9);
    expect(days).toBeLessThanOrEqual(10);
  });

  it("fails a certificate that expires too soon, with the days it has left", async () => {
    const outcome = await runHttpProbe(probe(urls.plain, { conditions: ["[CERT_EXPIRY_DAYS] > 30"] }), 3_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^\[CERT_EXPIRY_DAYS\] > 30 \(got (9\.99|10)\)$/);
  });

  it("compares TLS versions by protocol order", async () => {
    const tls12 = await runHttpProbe(probe(urls.tls12, { conditions: ["[TLS_VERSION] >= TLSv1.3"] }), 3_000);
    expect(tls12).toMatchObject({ ok: false, error: '[TLS_VERSION] >= TLSv1.3 (got "TLSv1.2")' });
    expect(tls12.detail).toMatch(/^HTTP 200, TLSv1\.2, cert 9 d$/);
    expect((await runHttpProbe(probe(urls.tls12, { conditions: ["[TLS_VERSION] >= TLSv1.2"] }), 3_000)).ok).toBe(true);
    expect((await runHttpProbe(probe(urls.plain, { conditions: ["[TLS_VERSION] >= TLSv1.3"] }), 3_000)).ok).toBe(true);
  });

  it("takes the CA as PEM text as well as a path", async () => {
    expect((await runHttpProbe(probe(urls.plain, { tls: { ca: pki.ca, rejectUnauthorized: true } }), 3_000)).ok).toBe(
      true,
    );
  });

  it("rejects a certificate it cannot verify, unless told not to", async () => {
    const untrusted = await runHttpProbe(probe(urls.plain, { tls: undefined }), 3_000);
    expect(untrusted.ok).toBe(false);
    expect(untrusted.error).toBe("unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)");
    const unchecked = await runHttpProbe(probe(urls.plain, { tls: { rejectUnauthorized: false } }), 3_000);
    expect(unchecked).toMatchObject({ ok: true, detail: "HTTP 200, TLSv1.3, cert 9 d" });
  });

  it("checks the name with tls.servername when connecting by address", async () => {
    const byAddress = await runHttpProbe(probe(urls.named), 3_000);
    expect(byAddress.ok).toBe(false);
    expect(byAddress.error).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/);
    const named = await runHttpProbe(
      probe(urls.named, { tls: { ca: pki.caPath, rejectUnauthorized: true, servername: "preflight.test" } }),
      3_000,
    );
    expect(named).toMatchObject({ ok: true, error: null });
  });

  it("names an unreadable tls file without echoing the value, which could be a mangled key", async () => {
    const outcome = await runHttpProbe(
      probe(urls.plain, { tls: { ca: "/nonexistent/ca.pem", rejectUnauthorized: true } }),
      3_000,
    );
    expect(outcome).toMatchObject({
      ok: false,
      error: "cannot read tls.ca: no such file (expected a file path or a PEM block)",
    });
  });
});

describe.skipIf(!hasOpenssl())("mTLS enforcement", () => {
  it("is enforced by a server that requires a client certificate (refused in the handshake)", async () => {
    const outcome = await runHttpProbe(probe(urls.mtls, { tls: withClientCert(), mtlsEnforced: true }), 3_000);
    expect(outcome).toMatchObject({ ok: true, error: null, detail: "HTTP 200, TLSv1.3, cert 9 d, mTLS enforced" });
    expect(outcome.values?.MTLS_ENFORCED).toBe(true);
  });

  it("is enforced by a server that answers 401 without a client certificate", async () => {
    const outcome = await runHttpProbe(
      probe(urls.mtlsByStatus, { tls: withClientCert(), conditions: ["[MTLS_ENFORCED] == true"] }),
      3_000,
    );
    expect(outcome).toMatchObject({ ok: true, detail: "HTTP 200, TLSv1.3, cert 9 d, mTLS enforced" });
  });

  it("is not enforced by a server that answers anyone, which fails mtlsEnforced", async () => {
    const outcome = await runHttpProbe(probe(urls.plain, { tls: withClientCert(), mtlsEnforced: true }), 3_000);
    expect(outcome).toMatchObject({
      ok: false,
      error: "[MTLS_ENFORCED] == true (got false)",
      detail: "HTTP 200, TLSv1.3, cert 9 d, mTLS not enforced",
    });
    expect(outcome.values?.MTLS_ENFORCED).toBe(false);
    expect((await runHttpProbe(probe(urls.plain, { conditions: ["[MTLS_ENFORCED] == false"] }), 3_000)).ok).toBe(true);
  });

  it("fails the check itself when the probe has no client certificate for an mTLS server", async () => {
    const outcome = await runHttpProbe(probe(urls.mtls), 3_000);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/certificate required|connection reset/);
  });
});
