// A throwaway PKI for the TLS probe tests (not used at runtime): a CA, server certificates and a client
// certificate, made with the openssl CLI so the tests exercise real certificates, not mocks of node:tls.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type TestCertificate = { cert: string; key: string; certPath: string; keyPath: string };

export type TestPki = {
  dir: string;
  caPath: string;
  ca: string;
  /** For 127.0.0.1 and localhost, valid for `serverDays` from now. */
  server: TestCertificate;
  /** For the name preflight.test only, to exercise tls.servername. */
  named: TestCertificate;
  /** Client certificate (extendedKeyUsage clientAuth) signed by the same CA. */
  client: TestCertificate;
  remove: () => void;
};

export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function createTestPki({ serverDays = 10 } = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "preflight-pki-"));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  // EC keys: generated instantly, unlike RSA, on a machine whose two cores are shared.
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "30",
    "-subj",
    "/CN=Preflight Test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );

  const issue = (name: string, subject: string, days: number, extensions: string): TestCertificate => {
    openssl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
    writeFileSync(path(`${name}.ext`), extensions);
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      String(days),
      "-extfile",
      `${name}.ext`,
    );
    return {
      cert: readFileSync(path(`${name}.pem`), "utf8"),
      key: readFileSync(path(`${name}.key`), "utf8"),
      certPath: path(`${name}.pem`),
      keyPath: path(`${name}.key`),
    };
  };

  const serverExt = (names: string) =>
    `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${names}\n`;
  return {
    dir,
    caPath: path("ca.pem"),
    ca: readFileSync(path("ca.pem"), "utf8"),
    server: issue("server", "/CN=localhost", serverDays, serverExt("DNS:localhost,IP:127.0.0.1")),
    named: issue("named", "/CN=preflight.test", 30, serverExt("DNS:preflight.test")),
    client: issue("client", "/CN=preflight-probe", 30, "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
