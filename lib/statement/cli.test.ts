import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verify } from "../../bin/verify-statement.mjs";
import { signStatement } from "./envelope";
import { COMMIT, IMAGE, makeKey, makeStatement } from "./fixture";

// `node bin/verify-statement.mjs` as CI runs it: a child process, files on disk, exit code and stderr.

const BIN = join(import.meta.dirname, "..", "..", "bin", "verify-statement.mjs");
let dir = "";
const path = (name: string) => join(dir, name);

function run(...args: string[]) {
  const child = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", timeout: 20_000 });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "preflight-verify-cli-"));
  const key = makeKey();
  const envelope = signStatement(makeStatement(), key);
  writeFileSync(path("statement.json"), `${JSON.stringify(envelope, null, 2)}\n`);
  writeFileSync(path("pub.pem"), key.publicKeyPem);
  writeFileSync(path("other.pem"), makeKey().publicKeyPem);
  writeFileSync(path("private.pem"), key.privateKey.export({ type: "pkcs8", format: "pem" }).toString());
  // One byte of the statement changed: the release "1.4.0" becomes "1.4.1".
  const body = Buffer.from(envelope.payload, "base64").toString("utf8");
  expect(body).toContain('"name":"1.4.0"');
  const changed = {
    ...envelope,
    payload: Buffer.from(body.replace('"name":"1.4.0"', '"name":"1.4.1"')).toString("base64"),
  };
  writeFileSync(path("changed.json"), JSON.stringify(changed));
  writeFileSync(path("broken.json"), JSON.stringify({ ...envelope, signatures: undefined }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("node bin/verify-statement.mjs", () => {
  it("exits 0 for a valid statement and says what it vouches for on stdout", () => {
    const r = run(path("statement.json"), "--key", path("pub.pem"), "--digest", IMAGE);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toContain(
      'statement valid: release "1.4.0" of x0tta6bl4 approved for go-live at 2026-03-02T09:20:00.000Z',
    );
    expect(r.stdout).toContain(`gitCommit:${COMMIT}`);
    expect(r.stdout).toContain("Technical Lead: approve by alice");
    expect(r.stdout).toContain("snapshot:  " + "5e".repeat(32) + " (93.4 %, gate 90 %)");
  });

  it("exits 1 for a changed byte, naming the signature on stderr", () => {
    const r = run(path("changed.json"), "--key", path("pub.pem"));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^preflight: statement invalid: the signature does not verify with key /);
  });

  it("exits 1 for another key, naming the key", () => {
    const r = run(path("statement.json"), "--key", path("other.pem"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^preflight: statement invalid: signed by another key: the signature names keyid /);
  });

  it("exits 1 for another digest, naming the digests the statement is about", () => {
    const other = `sha256:${"1".repeat(64)}`;
    const r = run(path("statement.json"), "--key", path("pub.pem"), "--digest", other);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `preflight: statement invalid: the statement is not about ${other}: it names gitCommit:${COMMIT}, ${IMAGE}`,
    );
  });

  it("exits 1 for a malformed envelope, naming the file and the field", () => {
    const r = run(path("broken.json"), "--key", path("pub.pem"));
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `preflight: statement invalid: ${path("broken.json")}: the envelope's signatures is missing`,
    );
  });

  it.each([
    ["no statement file", [], /the statement file is required/],
    ["no --key", ["statement.json"], /--key .* is required/],
    ["an unknown option", ["statement.json", "--key", "pub.pem", "--keys"], /Unknown option '--keys'/],
    [
      "a --digest that is not one",
      ["statement.json", "--key", "pub.pem", "--digest", "v1.4.0"],
      /--digest "v1.4.0" is not a digest/,
    ],
  ])("exits 2 with usage for %s", (_name, args, message) => {
    const r = run(...args.map((a) => (a.endsWith(".json") || a.endsWith(".pem") ? path(a) : a)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("usage: preflight verify STATEMENT.json --key PUBLIC_KEY.pem");
  });

  it("exits 2 when a file cannot be read or the key is not a public key", () => {
    const missing = run(path("statement.json"), "--key", path("nope.pem"));
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(
      `preflight: cannot verify: cannot read the key ${path("nope.pem")}: no such file`,
    );
    const secret = run(path("statement.json"), "--key", path("private.pem"));
    expect(secret.code).toBe(2);
    expect(secret.stderr).toMatch(/cannot verify: the key given is a private key: give the public key/);
  });

  it("--help prints the usage and exits 0", () => {
    const r = run("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: preflight verify");
  });
});

describe("verify() for the preflight command", () => {
  it("returns the exit code and writes to the given console, as gate() does", () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) };
    expect(verify([path("statement.json"), "--key", path("pub.pem")], out)).toBe(0);
    expect(lines.join("\n")).toContain("statement valid");
    expect(verify([path("changed.json"), "--key", path("pub.pem")], out)).toBe(1);
    expect(errors.join("\n")).toContain("the signature does not verify");
  });
});
