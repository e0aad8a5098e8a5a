import { createPrivateKey, X509Certificate } from "node:crypto";
import { chmod, mkdtemp, readdir, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoPkiPaths, ensureDemoPki, MIN_REMAINING_DAYS } from "./demo-pki.js";

const DAY_MS = 86_400_000;
let root: string;
let n = 0;
const freshDir = () => join(root, `pki-${++n}`, "demo-pki");

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "pf-demo-pki-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("ensureDemoPki", () => {
  it("makes a CA, a server certificate for 127.0.0.1 and localhost, and a client certificate, private to the owner", async () => {
    const dir = freshDir();
    const { pki, created } = await ensureDemoPki(dir);
    expect(created).toBe(true);
    expect(pki).toMatchObject(demoPkiPaths(dir));
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(pki.serverKeyPath)).toBe(0o600);
    expect(await mode(pki.clientKeyPath)).toBe(0o600);
    // Only what the gateway and the probe read: no CA key, no CSR, no staging directory left behind.
    expect((await readdir(dir)).sort()).toEqual(["ca.pem", "client.key", "client.pem", "server.key", "server.pem"]);

    const ca = new X509Certificate(pki.ca);
    const server = new X509Certificate(pki.serverCert);
    expect(ca.ca).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(server.checkHost("localhost")).toBe("localhost");
    expect(server.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: "prime256v1" });
    expect(new Date(server.validTo).getTime() - Date.now()).toBeGreaterThan(300 * DAY_MS);
  });

  it("reuses a valid PKI on the next start, and tightens loosened permissions", async () => {
    const dir = freshDir();
    const first = await ensureDemoPki(dir);
    await chmod(first.pki.clientKeyPath, 0o644);
    const second = await ensureDemoPki(dir);
    expect(second.created).toBe(false);
    expect(second.pki).toEqual(first.pki);
    expect(await mode(first.pki.clientKeyPath)).toBe(0o600);
  });

  it(`makes a new one when a certificate has ${MIN_REMAINING_DAYS} days or less left`, async () => {
    const dir = freshDir();
    const first = await ensureDemoPki(dir);
    const validTo = new Date(new X509Certificate(first.pki.serverCert).validTo).getTime();
    const shortly = await ensureDemoPki(dir, new Date(validTo - (MIN_REMAINING_DAYS + 1) * DAY_MS));
    expect(shortly.created).toBe(false);
    const late = await ensureDemoPki(dir, new Date(validTo - (MIN_REMAINING_DAYS - 1) * DAY_MS));
    expect(late.created).toBe(true);
    expect(late.pki.ca).not.toBe(first.pki.ca);
  });

  it.each([
    ["a missing client key", async (dir: string) => unlink(demoPkiPaths(dir).clientKeyPath)],
    [
      "a truncated server certificate",
      async (dir: string) => writeFile(demoPkiPaths(dir).serverCertPath, "-----BEGIN CERTIFICATE-----\nMIIB\n"),
    ],
    [
      "a server key of another pair",
      async (dir: string) =>
        writeFile(demoPkiPaths(dir).serverKeyPath, (await ensureDemoPki(freshDir())).pki.serverKey),
    ],
  ])("makes a new one over %s", async (_name, damage) => {
    const dir = freshDir();
    const first = await ensureDemoPki(dir);
    await damage(dir);
    const again = await ensureDemoPki(dir);
    expect(again.created).toBe(true);
    expect(again.pki.ca).not.toBe(first.pki.ca);
    expect(new X509Certificate(again.pki.serverCert).checkPrivateKey(createPrivateKey(again.pki.serverKey))).toBe(true);
  });
});
