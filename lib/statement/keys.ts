import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { keyIdOf } from "../../bin/verify-statement.mjs";

// The Ed25519 key readiness statements are signed with. Several replicas must sign with the same key, so it can be
// given as a PKCS#8 PEM in the environment (from the configuration's `${VAR}`, or a secret store); a single
// instance keeps one in the data directory, made on first use and readable by this user only.

/** The file in the data directory; the PEM of a PKCS#8 Ed25519 private key. */
export const SIGNING_KEY_FILE = "statement-signing-key.pem";
export const DEFAULT_KEY_VARIABLE = "PREFLIGHT_STATEMENT_KEY";

export type TSigningKey = {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SHA-256 (hex) of the public key's SPKI DER: the keyid in every signature (bin/verify-statement.mjs keyIdOf). */
  keyid: string;
  /** The public key as SPKI PEM: what `preflight verify --key` reads. */
  publicKeyPem: string;
  source: "env" | "file";
  /** The key file, when it came from one. */
  file: string | null;
};

function fromPrivateKey(privateKey: KeyObject, source: TSigningKey["source"], file: string | null): TSigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyid: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    source,
    file,
  };
}

/** A private Ed25519 key from PEM text, or an error that says where the text came from (never the text itself). */
function parsePrivateKey(pem: string, where: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new Error(`${where} is not a PEM private key (expected -----BEGIN PRIVATE KEY-----, PKCS#8)`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new Error(`${where} is a ${key.asymmetricKeyType} key: statements are signed with Ed25519`);
  return key;
}

/**
 * An environment variable often holds a PEM with its line breaks written as "\n" (docker env files, CI secrets
 * entered on one line); those are turned back into line breaks.
 */
function unescapePem(text: string): string {
  return text.includes("\n") ? text : text.replace(/\\n/g, "\n");
}

/**
 * The signing key: the PEM in `envPem` when it is set (it wins, so replicas share one key and a rotated secret is
 * used without touching the data directory), else `<dataDir>/statement-signing-key.pem`, created on first use
 * (0600, in a directory made 0700). A key file that others may read is refused, as ssh does: whoever can read it
 * can issue statements. Throws with a message naming the variable or the file.
 */
export function loadOrCreateSigningKey(options: {
  dataDir: string;
  envPem?: string | undefined;
  /** Named in messages about `envPem`. */
  envName?: string;
}): TSigningKey {
  const { dataDir, envPem, envName = DEFAULT_KEY_VARIABLE } = options;
  if (envPem !== undefined && envPem.trim() !== "")
    return fromPrivateKey(parsePrivateKey(unescapePem(envPem.trim()), envName), "env", null);

  const file = join(dataDir, SIGNING_KEY_FILE);
  const existing = readKeyFile(file);
  if (existing) return existing;

  if (mkdirSync(dataDir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dataDir, 0o700);
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  // Written in full under a temporary name, then linked into place: link() fails if the file exists, so two
  // processes starting at once agree on one key, and neither ever reads a half-written file.
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}`;
  writeFileSync(temporary, pem, { mode: 0o600, flag: "wx" });
  try {
    chmodSync(temporary, 0o600);
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const theirs = readKeyFile(file);
    if (theirs) return theirs;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
  return fromPrivateKey(privateKey, "file", file);
}

function readKeyFile(file: string): TSigningKey | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`cannot read the statement signing key ${file}: ${(error as Error).message}`);
  }
  // Windows has no such permission bits to check.
  if (process.platform !== "win32") {
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0)
      throw new Error(
        `the statement signing key ${file} may be read by others (mode ${mode.toString(8)}): run chmod 600 on it`,
      );
  }
  return fromPrivateKey(parsePrivateKey(text, file), "file", file);
}

/** The PEM that `GET /api/v1/statements/public-key` serves and `preflight verify --key` reads. */
export function statementPublicKeyPem(options: Parameters<typeof loadOrCreateSigningKey>[0]): string {
  return loadOrCreateSigningKey(options).publicKeyPem;
}
