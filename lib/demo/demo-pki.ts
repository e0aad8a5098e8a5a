// The mesh gateway's PKI: a demo CA, a server certificate for 127.0.0.1/localhost and a client certificate for
// Preflight's probe, made with the openssl CLI (EC P-256: instant, unlike RSA) and kept in the demo's data
// directory, so the configuration can point the probe at files that outlive a restart.
import { execFile } from "node:child_process";
import { randomBytes, X509Certificate, createPrivateKey } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const DAY_MS = 86_400_000;
const CA_DAYS = 3650;
const LEAF_DAYS = 397;
/** A certificate closer than this to its end is replaced at the next start, not on the day it lapses. */
export const MIN_REMAINING_DAYS = 30;

export type DemoPkiPaths = {
  readonly dir: string;
  readonly caPath: string;
  readonly serverCertPath: string;
  readonly serverKeyPath: string;
  readonly clientCertPath: string;
  readonly clientKeyPath: string;
};

export type DemoPki = DemoPkiPaths & {
  /** PEM text, for the gateway simulator's listener. */
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
};

export function demoPkiPaths(dir: string): DemoPkiPaths {
  return {
    dir,
    caPath: join(dir, "ca.pem"),
    serverCertPath: join(dir, "server.pem"),
    serverKeyPath: join(dir, "server.key"),
    clientCertPath: join(dir, "client.pem"),
    clientKeyPath: join(dir, "client.key"),
  };
}

/**
 * The PKI in `dir`: reused when every file is there, chains to the CA, matches its key and stays valid for more
 * than MIN_REMAINING_DAYS; otherwise made afresh. The directory is 0700 and the keys 0600.
 */
export async function ensureDemoPki(dir: string, now = new Date()): Promise<{ pki: DemoPki; created: boolean }> {
  const paths = demoPkiPaths(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const existing = await readUsablePki(paths, now);
  if (existing !== null) {
    await Promise.all([chmod(paths.serverKeyPath, 0o600), chmod(paths.clientKeyPath, 0o600)]);
    return { pki: existing, created: false };
  }
  await issuePki(paths);
  // openssl dates the new certificates by the real clock, whatever `now` the caller decided reuse by.
  const made = await readUsablePki(paths, new Date());
  if (made === null) throw new Error(`the demo PKI made in ${dir} does not verify`);
  return { pki: made, created: true };
}

/** A PKI in a fresh temporary directory, for a stack started without one (tests); `remove` deletes it. */
export async function createTemporaryDemoPki(): Promise<{ pki: DemoPki; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "preflight-demo-pki-"));
  try {
    const { pki } = await ensureDemoPki(dir);
    return { pki, remove: () => rm(dir, { recursive: true, force: true }) };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function readUsablePki(paths: DemoPkiPaths, now: Date): Promise<DemoPki | null> {
  const all = [paths.caPath, paths.serverCertPath, paths.serverKeyPath, paths.clientCertPath, paths.clientKeyPath];
  let files: string[];
  try {
    files = await Promise.all(all.map((p) => readFile(p, "utf8")));
  } catch {
    return null;
  }
  const [ca, serverCert, serverKey, clientCert, clientKey] = files as [string, string, string, string, string];
  try {
    const caCert = new X509Certificate(ca);
    const server = new X509Certificate(serverCert);
    const client = new X509Certificate(clientCert);
    const lastsLongEnough = (cert: X509Certificate) =>
      new Date(cert.validTo).getTime() - now.getTime() > MIN_REMAINING_DAYS * DAY_MS;
    const chains = (cert: X509Certificate) => cert.checkIssued(caCert) && cert.verify(caCert.publicKey);
    const usable =
      [caCert, server, client].every(lastsLongEnough) &&
      chains(server) &&
      chains(client) &&
      server.checkIP("127.0.0.1") !== undefined &&
      server.checkPrivateKey(createPrivateKey(serverKey)) &&
      client.checkPrivateKey(createPrivateKey(clientKey));
    return usable ? { ...paths, ca, serverCert, serverKey } : null;
  } catch {
    // A truncated or foreign file: made afresh rather than served.
    return null;
  }
}

/** Made in a staging directory and moved in, so a crash halfway never leaves a mix of old and new files. */
async function issuePki(paths: DemoPkiPaths): Promise<void> {
  const staging = await mkdtemp(join(paths.dir, ".new-"));
  const openssl = async (...args: string[]): Promise<void> => {
    try {
      await run("openssl", args, { cwd: staging });
    } catch (error) {
      const { code, stderr } = error as { code?: unknown; stderr?: unknown };
      const reason =
        code === "ENOENT"
          ? "the demo's mesh gateway needs the openssl command to make its certificates (install openssl)"
          : `openssl ${args[0] ?? ""} failed: ${
              String(stderr ?? error)
                .trim()
                .split("\n")[0] ?? ""
            }`;
      throw new Error(reason, { cause: error });
    }
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const issue = async (name: string, subject: string, extensions: string): Promise<void> => {
    await openssl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
    await writeFile(join(staging, `${name}.ext`), extensions);
    const serial = `0x${randomBytes(16).toString("hex")}`;
    await openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-set_serial",
      serial,
      "-days",
      String(LEAF_DAYS),
      "-extfile",
      `${name}.ext`,
      "-out",
      `${name}.pem`,
    );
  };
  try {
    await openssl(
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      String(CA_DAYS),
      "-subj",
      "/O=Preflight demo/CN=x0tta6bl4 mesh demo CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
    const leaf = (usage: string, extra = "") =>
      `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=${usage}\n${extra}`;
    await Promise.all([
      issue(
        "server",
        "/O=Preflight demo/CN=localhost",
        leaf("serverAuth", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"),
      ),
      issue("client", "/O=Preflight demo/CN=preflight-probe", leaf("clientAuth")),
    ]);
    for (const key of ["server.key", "client.key"]) await chmod(join(staging, key), 0o600);
    // The CA key is not kept: nothing is issued later, a PKI near its end is replaced whole.
    const moves = [
      ["ca.pem", paths.caPath],
      ["server.key", paths.serverKeyPath],
      ["server.pem", paths.serverCertPath],
      ["client.key", paths.clientKeyPath],
      ["client.pem", paths.clientCertPath],
    ] as const;
    for (const [from, to] of moves) await rename(join(staging, from), to);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
