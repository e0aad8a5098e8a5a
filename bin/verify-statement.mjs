#!/usr/bin/env node
// `preflight verify statement.json --key pub.pem [--digest sha256:…]`: checks a Preflight readiness statement
// offline. The statement is an in-toto Statement v1 (https://github.com/in-toto/attestation, spec/v1) in a DSSE
// envelope (https://github.com/secure-systems-lab/dsse, protocol.md and envelope.md), signed with Ed25519.
//
// Exit codes, as for `preflight gate`: 0 the statement is valid, 1 it is not (why is printed on stderr), 2 the
// question could not be asked (usage, a file that cannot be read, a key that is not an Ed25519 public key).
//
// This file is the one implementation of the envelope: PAE, the keyid, the checks and their reasons. The dashboard
// imports it (lib/statement/envelope.ts re-exports it) to sign and to verify, so what it signs is exactly what this
// checks. Plain JavaScript on node:crypto and node:fs only, so that it runs from an installed package, offline.
// Whether the statement's sign-offs have gone stale since it was issued is not an offline question: the dashboard's
// gate answers that (lib/statement/standing.ts).
import { createHash, createPublicKey, KeyObject, verify as verifySignature } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

/** DSSE's payloadType for in-toto statements (in-toto attestation spec, envelope layer). */
export const PAYLOAD_TYPE = "application/vnd.in-toto+json";
export const STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
/**
 * Preflight's predicate: what was approved for go-live and on what evidence. A predicate type names its schema and
 * major version; a change that a v1 reader would misread gets a new one.
 */
export const PREDICATE_TYPE = "https://preflight.dev/readiness/v1";

const USAGE = `usage: preflight verify STATEMENT.json --key PUBLIC_KEY.pem [--digest ALG:HEX]
  STATEMENT.json  the DSSE envelope the dashboard issued when go-live was approved
  --key      the dashboard's statement public key (GET /api/v1/statements/public-key), PEM
  --digest   the artefact being deployed: sha256:<64 hex> (an image digest; image@sha256:… also works),
             gitCommit:<hex>, or a bare 40-hex commit; the statement must name it among its subjects`;

// ---------------------------------------------------------------------------------------------------------------
// DSSE

/**
 * PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN the byte length in ASCII decimal
 * without leading zeros (DSSE protocol.md). The lengths make the encoding unambiguous, so the payload type is signed
 * together with the payload and neither can be swapped for another.
 */
export function pae(payloadType, body) {
  const type = Buffer.from(payloadType, "utf8");
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, "ascii"),
    type,
    Buffer.from(` ${bytes.length} `, "ascii"),
    bytes,
  ]);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * DSSE verifiers must accept standard and URL-safe base64. Only the canonical encoding of the bytes is accepted:
 * Buffer.from skips characters it does not know and ignores the unused bits of the last one, so a changed
 * character could otherwise decode to the same bytes and a changed envelope would still verify.
 */
export function decodeBase64(text) {
  if (typeof text !== "string" || !BASE64.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  const standard = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  return bytes.toString("base64").replace(/=+$/, "") === standard ? bytes : null;
}

/**
 * The keyid Preflight writes into its signatures: the SHA-256 (hex) of the public key's SubjectPublicKeyInfo DER.
 * Anyone holding the PEM can recompute it (`openssl pkey -pubin -in pub.pem -outform DER | sha256sum`), and it
 * names the key alone, not an account or a file.
 */
export function keyIdOf(publicKey) {
  const key = publicKey instanceof KeyObject ? publicKey : createPublicKey(publicKey);
  return createHash("sha256")
    .update(key.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** The key to verify with, or why it cannot be one. A private key is refused: it has no business in a pipeline. */
export function readPublicKey(pem) {
  if (pem instanceof KeyObject) {
    if (pem.type !== "public") return { ok: false, reason: "the key given is a private key: give the public key" };
    if (pem.asymmetricKeyType !== "ed25519")
      return { ok: false, reason: `the key is ${pem.asymmetricKeyType}, not Ed25519` };
    return { ok: true, key: pem };
  }
  const text = Buffer.isBuffer(pem) ? pem.toString("utf8") : String(pem ?? "");
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
    return {
      ok: false,
      reason:
        "the key given is a private key: give the public key (the dashboard's GET /api/v1/statements/public-key), and keep the private key out of pipelines",
    };
  let key;
  try {
    key = createPublicKey(text);
  } catch {
    return { ok: false, reason: "the key is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)" };
  }
  if (key.asymmetricKeyType !== "ed25519")
    return { ok: false, reason: `the key is ${key.asymmetricKeyType}, not Ed25519` };
  return { ok: true, key };
}

// ---------------------------------------------------------------------------------------------------------------
// Digests (in-toto ResourceDescriptor digest sets)

const DIGEST_FORMS = {
  sha256: /^[0-9a-f]{64}$/,
  sha512: /^[0-9a-f]{128}$/,
  sha1: /^[0-9a-f]{40}$/,
  // A git object name: SHA-1 (40) or, in SHA-256 repositories, 64 hex digits.
  gitCommit: /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/,
};
const ALGORITHMS = new Map(Object.keys(DIGEST_FORMS).map((name) => [name.toLowerCase(), name]));

/**
 * "sha256:<hex>", "gitCommit:<hex>", an image reference ending in "@sha256:<hex>", or a bare 40-hex commit (what
 * CI has in GITHUB_SHA) -> { algorithm, value } with the hex lowercased, or null. A bare 64-hex value is refused:
 * it could be an image digest or a commit of a SHA-256 repository.
 */
export function parseDigest(text) {
  if (typeof text !== "string") return null;
  const trimmed = text.trim();
  const ref = trimmed.includes("@") ? trimmed.slice(trimmed.lastIndexOf("@") + 1) : trimmed;
  const colon = ref.indexOf(":");
  if (colon === -1) {
    const value = ref.toLowerCase();
    return DIGEST_FORMS.sha1.test(value) ? { algorithm: "gitCommit", value } : null;
  }
  const algorithm = ALGORITHMS.get(ref.slice(0, colon).toLowerCase());
  const value = ref.slice(colon + 1).toLowerCase();
  if (!algorithm || !DIGEST_FORMS[algorithm].test(value)) return null;
  return { algorithm, value };
}

/** "gitCommit:0123abcd…", as the statement's digests are named in messages. */
export function formatDigest(algorithm, value) {
  return `${algorithm}:${value}`;
}

/** Every digest the statement's subjects carry, as "alg:hex". */
export function subjectDigests(statement) {
  const out = [];
  for (const subject of Array.isArray(statement?.subject) ? statement.subject : [])
    for (const [algorithm, value] of Object.entries(subject?.digest ?? {})) out.push(formatDigest(algorithm, value));
  return out;
}

/** Whether one of the statement's subjects is the artefact with this digest. */
export function statementNamesDigest(statement, digest) {
  const wanted = typeof digest === "string" ? parseDigest(digest) : digest;
  if (!wanted) return false;
  return (Array.isArray(statement?.subject) ? statement.subject : []).some(
    (subject) =>
      typeof subject?.digest?.[wanted.algorithm] === "string" &&
      subject.digest[wanted.algorithm].toLowerCase() === wanted.value,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// The statement's shape: checked after the signature, so these messages describe what the dashboard signed.

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const HEX64 = /^[0-9a-f]{64}$/;
const hex64 = (v) => typeof v === "string" && HEX64.test(v);
const DECISIONS = ["approve", "ready", "reject"];

const kind = (v) =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : JSON.stringify(v);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** A problem at a field: "predicate.signOffs[1].at is not a UTC date-time (got 12)". */
function problem(field, expected, value) {
  return `${field} ${value === undefined ? "is missing" : `is not ${expected} (got ${kind(value)})`}`;
}

const text = (v) => typeof v === "string" && v.length > 0;
const time = (v) => typeof v === "string" && ISO_TIME.test(v) && Number.isFinite(Date.parse(v));

/**
 * The first thing wrong with a Preflight readiness statement, or null. `code` says which kind: "statement" (not an
 * in-toto Statement v1, or a predicate field missing or wrong) or "predicate-type" (a statement, but not Preflight's).
 */
export function checkStatement(statement) {
  const bad = (message) => ({ code: "statement", message });
  if (!isObject(statement)) return bad(`the payload is ${kind(statement)}, not a JSON object`);
  if (statement._type !== STATEMENT_TYPE)
    return bad(
      statement._type === undefined
        ? `_type is missing: not an in-toto statement`
        : `_type is ${kind(statement._type)}, expected "${STATEMENT_TYPE}"`,
    );
  if (!Array.isArray(statement.subject) || statement.subject.length === 0)
    return bad(problem("subject", "a non-empty array", statement.subject));
  for (const [i, subject] of statement.subject.entries()) {
    const at = `subject[${i}]`;
    if (!isObject(subject)) return bad(problem(at, "an object", subject));
    if (subject.name !== undefined && typeof subject.name !== "string")
      return bad(problem(`${at}.name`, "a string", subject.name));
    if (!isObject(subject.digest) || Object.keys(subject.digest).length === 0)
      return bad(problem(`${at}.digest`, "a non-empty digest set", subject.digest));
    for (const [algorithm, value] of Object.entries(subject.digest)) {
      const form = Object.hasOwn(DIGEST_FORMS, algorithm) ? DIGEST_FORMS[algorithm] : undefined;
      if (typeof value !== "string" || (form && !form.test(value)))
        return bad(problem(`${at}.digest.${algorithm}`, `a lowercase hex ${algorithm} digest`, value));
    }
  }
  if (typeof statement.predicateType !== "string")
    return bad(problem("predicateType", "a type URI", statement.predicateType));
  if (statement.predicateType !== PREDICATE_TYPE)
    return {
      code: "predicate-type",
      message: `predicateType is "${statement.predicateType}": this verifier knows "${PREDICATE_TYPE}" only`,
    };
  const p = statement.predicate;
  if (!isObject(p)) return bad(problem("predicate", "an object", p));
  const checks = [
    ["predicate.system", isObject(p.system), "an object", p.system],
    ["predicate.system.name", text(p.system?.name), "a name", p.system?.name],
    ["predicate.release", isObject(p.release), "an object", p.release],
    ["predicate.release.name", text(p.release?.name), "a name", p.release?.name],
    ["predicate.approvedAt", time(p.approvedAt), "a UTC date-time", p.approvedAt],
    ["predicate.issuedAt", time(p.issuedAt), "a UTC date-time", p.issuedAt],
    ["predicate.snapshot", isObject(p.snapshot), "an object", p.snapshot],
    ["predicate.snapshot.id", text(p.snapshot?.id), "an id", p.snapshot?.id],
    ["predicate.snapshot.hash", hex64(p.snapshot?.hash), "a SHA-256 hex hash", p.snapshot?.hash],
    ["predicate.snapshot.takenAt", time(p.snapshot?.takenAt), "a UTC date-time", p.snapshot?.takenAt],
    [
      "predicate.snapshot.overallPct",
      p.snapshot?.overallPct === null || Number.isFinite(p.snapshot?.overallPct),
      "a number or null",
      p.snapshot?.overallPct,
    ],
    ["predicate.snapshot.gate", isObject(p.snapshot?.gate), "an object", p.snapshot?.gate],
    [
      "predicate.snapshot.gate.minScorePct",
      Number.isFinite(p.snapshot?.gate?.minScorePct),
      "a number",
      p.snapshot?.gate?.minScorePct,
    ],
    [
      "predicate.snapshot.gate.passed",
      typeof p.snapshot?.gate?.passed === "boolean",
      "true or false",
      p.snapshot?.gate?.passed,
    ],
    ["predicate.scorecard", p.scorecard === null || isObject(p.scorecard), "an object or null", p.scorecard],
    [
      "predicate.scorecard.digest.sha256",
      p.scorecard === null || hex64(p.scorecard?.digest?.sha256),
      "a SHA-256 hex digest",
      p.scorecard?.digest?.sha256,
    ],
    ["predicate.auditHead", isObject(p.auditHead), "an object", p.auditHead],
    ["predicate.auditHead.seq", text(p.auditHead?.seq), "an entry id", p.auditHead?.seq],
    ["predicate.auditHead.hash", hex64(p.auditHead?.hash), "a SHA-256 hex hash", p.auditHead?.hash],
    ["predicate.auditHead.chain", hex64(p.auditHead?.chain), "a SHA-256 hex hash", p.auditHead?.chain],
    ["predicate.signOffs", Array.isArray(p.signOffs) && p.signOffs.length > 0, "a non-empty array", p.signOffs],
  ];
  for (const [field, passes, expected, value] of checks) if (!passes) return bad(problem(field, expected, value));
  for (const [i, s] of p.signOffs.entries()) {
    const at = `predicate.signOffs[${i}]`;
    const fields = [
      [at, isObject(s), "an object", s],
      [`${at}.role`, text(s?.role), "a role id", s?.role],
      [`${at}.roleName`, s?.roleName === undefined || typeof s.roleName === "string", "a name", s?.roleName],
      [`${at}.user`, isObject(s?.user), "an object", s?.user],
      [`${at}.user.id`, text(s?.user?.id), "a user id", s?.user?.id],
      [`${at}.user.name`, typeof s?.user?.name === "string", "a name", s?.user?.name],
      [`${at}.decision`, DECISIONS.includes(s?.decision), `one of ${DECISIONS.join(", ")}`, s?.decision],
      [`${at}.at`, time(s?.at), "a UTC date-time", s?.at],
      [`${at}.snapshotId`, text(s?.snapshotId), "a snapshot id", s?.snapshotId],
      [`${at}.snapshotHash`, hex64(s?.snapshotHash), "a SHA-256 hex hash", s?.snapshotHash],
    ];
    for (const [field, passes, expected, value] of fields) if (!passes) return bad(problem(field, expected, value));
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Verification

const refuse = (code, reason) => ({ ok: false, code, reason });
const short = (hex) => (typeof hex === "string" && hex.length > 16 ? `${hex.slice(0, 16)}…` : String(hex));

/**
 * Checks a DSSE envelope (the parsed JSON, or its text) against the dashboard's public key, and, given a digest,
 * that the statement is about that artefact. `{ ok: true, statement, keyid }`, or `{ ok: false, code, reason }`
 * with one reason, checked in this order:
 *   malformed       the envelope is not one (the reason names the field)
 *   payload-type    not an in-toto payload
 *   key-invalid     the key given is not an Ed25519 public key
 *   key             signed by another key: every signature names a keyid that is not this key's
 *   signature       no signature verifies with this key: the envelope was changed after signing
 *   statement       the signed payload is not a readiness statement (names the field)
 *   predicate-type  a statement of another kind
 *   usage           the digest asked about is not one (sha256:<hex>, gitCommit:<hex>)
 *   digest          the statement is about other artefacts (the reason names the digests it does carry)
 * Per DSSE, the keyid is a hint that narrows which signatures are tried with the key; a signature that names
 * another key is not tried, so that a statement from another dashboard says so instead of "changed".
 */
export function verifyEnvelope(envelope, publicKeyPem, options = {}) {
  let env = envelope;
  if (typeof envelope === "string" || Buffer.isBuffer(envelope)) {
    try {
      env = JSON.parse(envelope.toString());
    } catch (error) {
      return refuse("malformed", `the envelope is not JSON: ${error.message}`);
    }
  }
  if (!isObject(env)) return refuse("malformed", `the envelope is ${kind(env)}, not a JSON object`);
  if (typeof env.payloadType !== "string")
    return refuse("malformed", `the envelope's ${problem("payloadType", "a string", env.payloadType)}`);
  if (typeof env.payload !== "string")
    return refuse("malformed", `the envelope's ${problem("payload", "a base64 string", env.payload)}`);
  const body = decodeBase64(env.payload);
  if (body === null) return refuse("malformed", "the envelope's payload is not base64 (standard or URL-safe)");
  if (!Array.isArray(env.signatures) || env.signatures.length === 0)
    return refuse("malformed", `the envelope's ${problem("signatures", "a non-empty array", env.signatures)}`);
  const signatures = [];
  for (const [i, s] of env.signatures.entries()) {
    const at = `signatures[${i}]`;
    if (!isObject(s)) return refuse("malformed", `the envelope's ${problem(at, "an object", s)}`);
    if (typeof s.sig !== "string")
      return refuse("malformed", `the envelope's ${problem(`${at}.sig`, "a base64 string", s.sig)}`);
    const sig = decodeBase64(s.sig);
    if (sig === null) return refuse("malformed", `the envelope's ${at}.sig is not base64 (standard or URL-safe)`);
    if (s.keyid !== undefined && typeof s.keyid !== "string")
      return refuse("malformed", `the envelope's ${problem(`${at}.keyid`, "a string", s.keyid)}`);
    signatures.push({ sig, keyid: s.keyid });
  }
  // A payload of another type would be read by other rules. Checked before the signature (a string comparison,
  // nothing parsed yet) so the reason says what is wrong rather than only that the signature fails: the type is
  // part of what is signed (PAE), so changing it could never pass anyway.
  if (env.payloadType !== PAYLOAD_TYPE)
    return refuse("payload-type", `payloadType is "${env.payloadType}", expected "${PAYLOAD_TYPE}"`);

  const key = readPublicKey(publicKeyPem);
  if (!key.ok) return refuse("key-invalid", key.reason);
  const keyid = keyIdOf(key.key);
  const tried = signatures.filter((s) => s.keyid === undefined || s.keyid === "" || s.keyid === keyid);
  if (tried.length === 0) {
    const named = [...new Set(signatures.map((s) => short(s.keyid)))].join(", ");
    return refuse(
      "key",
      `signed by another key: the signature names keyid ${named}, and this key's is ${short(keyid)}; is --key the public key of the dashboard that issued the statement?`,
    );
  }
  const message = pae(env.payloadType, body);
  const verified = tried.some(({ sig }) => {
    try {
      return verifySignature(null, message, key.key, sig);
    } catch {
      return false;
    }
  });
  if (!verified)
    return refuse(
      "signature",
      `the signature does not verify with key ${short(keyid)}: the statement (its payload, type or signature) was changed after it was signed`,
    );

  let statement;
  try {
    statement = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return refuse("statement", `the signed payload is not JSON: ${error.message}`);
  }
  const wrong = checkStatement(statement);
  if (wrong)
    return refuse(
      wrong.code,
      wrong.code === "statement" ? `the statement is malformed: ${wrong.message}` : wrong.message,
    );

  if (options.digest !== undefined && options.digest !== null) {
    const wanted = typeof options.digest === "string" ? parseDigest(options.digest) : options.digest;
    if (!wanted)
      return refuse(
        "usage",
        `--digest "${options.digest}" is not a digest: expected sha256:<64 hex>, gitCommit:<hex> or a 40-hex commit`,
      );
    if (!statementNamesDigest(statement, wanted))
      return refuse(
        "digest",
        `the statement is not about ${formatDigest(wanted.algorithm, wanted.value)}: it names ${subjectDigests(statement).join(", ")}`,
      );
  }
  return { ok: true, statement, keyid };
}

/** Reason codes after which the statement was checked and found wanting (exit 1); the others mean it could not be. */
const INVALID = new Set(["malformed", "payload-type", "key", "signature", "statement", "predicate-type", "digest"]);

/** The exit code for a verification result: 0 valid, 1 invalid, 2 not checked (usage, unreadable file, bad key). */
export function exitCodeOf(result) {
  if (result.ok) return 0;
  return INVALID.has(result.code) ? 1 : 2;
}

const READ_ERRORS = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "it is a directory",
};

function readText(path, what) {
  try {
    return { ok: true, text: readFileSync(path, "utf8") };
  } catch (error) {
    return refuse("unreadable", `cannot read the ${what} ${path}: ${READ_ERRORS[error.code] ?? error.message}`);
  }
}

/** verifyEnvelope over files: the statement's envelope JSON and the public key's PEM. */
export function verifyStatementFile(path, keyPath, digest) {
  const envelope = readText(path, "statement");
  if (!envelope.ok) return envelope;
  const key = readText(keyPath, "key");
  if (!key.ok) return key;
  const result = verifyEnvelope(envelope.text, key.text, { digest });
  // A file that is not JSON says which file, since two were given.
  if (!result.ok && result.code === "malformed") return { ...result, reason: `${path}: ${result.reason}` };
  return result;
}

// The CLI has no lib/format.ts to import (it runs offline from the package); a score is shown as the dashboard
// shows it, rounded down to a tenth.
const pct = (n) => (n === null ? "no score" : `${(Math.floor(n * 10) / 10).toFixed(1)} %`); // format-ok: offline CLI

/** One line that says what a valid statement vouches for. */
export function describeStatement(statement, keyid) {
  const p = statement.predicate;
  const roles = p.signOffs
    .map((s) => `${s.roleName ?? s.role}: ${s.decision} by ${s.user.name || s.user.id}`)
    .join(", ");
  return [
    `statement valid: release "${p.release.name}" of ${p.system.name} approved for go-live at ${p.approvedAt}`,
    `  subject:   ${subjectDigests(statement).join(", ")}`,
    `  snapshot:  ${p.snapshot.hash} (${pct(p.snapshot.overallPct)}, gate ${p.snapshot.gate.minScorePct} %)`,
    `  sign-offs: ${roles}`,
    `  audit:     entry ${p.auditHead.seq}, ${p.auditHead.hash}`,
    `  signed by: key ${keyid}`,
    "  (checked offline: whether the sign-offs have gone stale since is for the dashboard's gate to say)",
  ].join("\n");
}

function usage(out, message) {
  if (message) out.error(`preflight: ${message}`);
  out.error(USAGE);
  return 2;
}

/** `preflight verify …` (argv after "verify") -> exit code; a valid statement on stdout, a failure on stderr. */
export function verify(argv, out = console) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { key: { type: "string" }, digest: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    return usage(out, error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    return usage(out, positionals.length === 0 ? "the statement file is required" : "give one statement file");
  if (!values.key) return usage(out, "--key (the dashboard's statement public key, PEM) is required");
  if (values.digest !== undefined && !parseDigest(values.digest))
    return usage(
      out,
      `--digest "${values.digest}" is not a digest: expected sha256:<64 hex>, gitCommit:<hex> or a 40-hex commit`,
    );
  const result = verifyStatementFile(positionals[0], values.key, values.digest);
  if (result.ok) {
    out.log(describeStatement(result.statement, result.keyid));
    return 0;
  }
  const code = exitCodeOf(result);
  out.error(`preflight: ${code === 1 ? "statement invalid" : "cannot verify"}: ${result.reason}`);
  return code;
}

// Run as a program (node bin/verify-statement.mjs …, or through a symlink such as node_modules/.bin), not when
// imported by the preflight command or the dashboard.
const invoked = (() => {
  try {
    return (
      process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
})();
if (invoked) process.exitCode = verify(process.argv.slice(2));
