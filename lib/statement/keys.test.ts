import { generateKeyPairSync } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { signStatement, verifyEnvelope } from "./envelope";
import { makeStatement } from "./fixture";
import { loadOrCreateSigningKey, SIGNING_KEY_FILE, statementPublicKeyPem } from "./keys";

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "preflight-statement-key-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;
const ed25519Pem = () => generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();

describe.skipIf(process.platform === "win32")("loadOrCreateSigningKey", () => {
  it("creates the key on first use, 0600 in a data directory made 0700, and keeps it", () => {
    const dataDir = join(scratch(), "data");
    const first = loadOrCreateSigningKey({ dataDir });
    const file = join(dataDir, SIGNING_KEY_FILE);
    expect(first).toMatchObject({ source: "file", file });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    // No temporary file is left beside it.
    expect(readdirSync(dataDir)).toEqual([SIGNING_KEY_FILE]);
    const again = loadOrCreateSigningKey({ dataDir });
    expect(again.keyid).toBe(first.keyid);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
  });

  it("leaves an existing data directory's mode as it is (the embedded database shares it)", () => {
    const dataDir = scratch();
    chmodSync(dataDir, 0o750);
    loadOrCreateSigningKey({ dataDir });
    expect(mode(dataDir)).toBe(0o750);
    expect(mode(join(dataDir, SIGNING_KEY_FILE))).toBe(0o600);
  });

  it("the PEM in the environment takes precedence over the file, and no file is made", () => {
    const dataDir = scratch();
    const fromFile = loadOrCreateSigningKey({ dataDir });
    const envPem = ed25519Pem();
    const fromEnv = loadOrCreateSigningKey({ dataDir, envPem });
    expect(fromEnv.source).toBe("env");
    expect(fromEnv.file).toBeNull();
    expect(fromEnv.keyid).not.toBe(fromFile.keyid);

    const fresh = join(scratch(), "never-made");
    expect(loadOrCreateSigningKey({ dataDir: fresh, envPem }).keyid).toBe(fromEnv.keyid);
    expect(existsSync(fresh)).toBe(false);
  });

  it("reads a PEM whose line breaks were written as \\n, as in a one-line secret", () => {
    const envPem = ed25519Pem();
    const oneLine = envPem.trim().replace(/\n/g, "\\n");
    expect(loadOrCreateSigningKey({ dataDir: scratch(), envPem: oneLine }).keyid).toBe(
      loadOrCreateSigningKey({ dataDir: scratch(), envPem }).keyid,
    );
  });

  it("an empty variable counts as unset", () => {
    expect(loadOrCreateSigningKey({ dataDir: scratch(), envPem: "" }).source).toBe("file");
  });

  it("refuses a variable that is not an Ed25519 private key, naming the variable and not its value", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(() => loadOrCreateSigningKey({ dataDir: scratch(), envPem: rsa, envName: "STATEMENT_KEY" })).toThrow(
      "STATEMENT_KEY is a rsa key: statements are signed with Ed25519",
    );
    let message = "";
    try {
      loadOrCreateSigningKey({ dataDir: scratch(), envPem: "s3cret-not-a-pem" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^PREFLIGHT_STATEMENT_KEY is not a PEM private key/);
    expect(message).not.toContain("s3cret");
  });

  it("refuses a key file that others may read", () => {
    const dataDir = scratch();
    const file = join(dataDir, SIGNING_KEY_FILE);
    writeFileSync(file, ed25519Pem(), { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(() => loadOrCreateSigningKey({ dataDir })).toThrow(/may be read by others \(mode 644\): run chmod 600/);
    chmodSync(file, 0o600);
    expect(loadOrCreateSigningKey({ dataDir }).source).toBe("file");
  });

  it("the public key PEM it serves verifies what the key signs", () => {
    const dataDir = scratch();
    const key = loadOrCreateSigningKey({ dataDir });
    const pem = statementPublicKeyPem({ dataDir });
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(verifyEnvelope(signStatement(makeStatement(), key), pem)).toMatchObject({ ok: true, keyid: key.keyid });
  });
});
