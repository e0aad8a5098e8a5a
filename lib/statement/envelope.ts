import { sign } from "node:crypto";
import canonicalize from "canonicalize";
import {
  checkStatement,
  pae,
  PAYLOAD_TYPE,
  type TEnvelope,
  type TReadinessStatement,
} from "../../bin/verify-statement.mjs";
import type { TSigningKey } from "./keys";

// Signing a readiness statement into a DSSE envelope. Verification, PAE and the keyid are the offline verifier's own
// (bin/verify-statement.mjs), re-exported here: one implementation, so the dashboard never signs what `preflight
// verify` would read differently.

export {
  checkStatement,
  decodeBase64,
  describeStatement,
  exitCodeOf,
  formatDigest,
  keyIdOf,
  pae,
  parseDigest,
  PAYLOAD_TYPE,
  PREDICATE_TYPE,
  readPublicKey,
  STATEMENT_TYPE,
  statementNamesDigest,
  subjectDigests,
  verifyEnvelope,
  verifyStatementFile,
  type TDigest,
  type TEnvelope,
  type TReadinessPredicate,
  type TReadinessStatement,
  type TStatementSignOff,
  type TSubject,
  type TVerifyCode,
  type TVerifyFailure,
  type TVerifyResult,
} from "../../bin/verify-statement.mjs";

/**
 * The statement signed with the key: DSSE over PAE(payloadType, payload), the payload the statement's RFC 8785
 * JSON. Canonical JSON is not needed for DSSE (the signature covers the bytes as sent), but it makes the same
 * statement always the same envelope (Ed25519 is deterministic), so a stored statement can be re-derived and
 * compared. A statement the verifier would refuse is a programming error and throws before anything is signed.
 */
export function signStatement(
  statement: TReadinessStatement,
  key: Pick<TSigningKey, "privateKey" | "keyid">,
): TEnvelope {
  const wrong = checkStatement(statement);
  if (wrong) throw new Error(`refusing to sign an invalid readiness statement: ${wrong.message}`);
  const text = canonicalize(statement);
  if (text === undefined) throw new Error("readiness statement is not serialisable");
  const payload = Buffer.from(text, "utf8");
  const sig = sign(null, pae(PAYLOAD_TYPE, payload), key.privateKey);
  return {
    payloadType: PAYLOAD_TYPE,
    payload: payload.toString("base64"),
    signatures: [{ keyid: key.keyid, sig: sig.toString("base64") }],
  };
}
