import type { KeyObject } from "node:crypto";
import { formatDigest, parseDigest, verifyEnvelope, type TReadinessStatement } from "./envelope";
import { statementStanding, type TCurrentSignOffs } from "./standing";

// The gate's question "may this artefact be deployed?", as far as the statement answers it: a statement the
// dashboard issued names the digest, verifies with the dashboard's key, and still stands. Pure: the caller reads the
// stored envelopes, the public key and the sign-off view.

export type TDeploymentVerdict =
  | { passed: true; statement: TReadinessStatement; keyid: string }
  | {
      passed: false;
      /** "usage": the digest is not one; "none": no statement names it; "invalid": the stored one does not verify. */
      code: "usage" | "none" | "invalid" | "void";
      reason: string;
    };

/**
 * The newest statement among `envelopes` (newest first, as stored) that verifies for `digest`, judged against the
 * release's current sign-offs. A stored envelope that no longer verifies (a rotated key, a row edited in the
 * database) is reported, not skipped silently, when no other one verifies.
 */
export function judgeDeployment(input: {
  digest: string;
  envelopes: readonly unknown[];
  publicKey: KeyObject | string;
  signOffs: TCurrentSignOffs;
}): TDeploymentVerdict {
  const digest = parseDigest(input.digest);
  if (!digest)
    return {
      passed: false,
      code: "usage",
      reason: `"${input.digest}" is not a digest: expected sha256:<64 hex>, gitCommit:<hex> or a 40-hex commit`,
    };
  const named = formatDigest(digest.algorithm, digest.value);
  let invalid: string | null = null;
  for (const envelope of input.envelopes) {
    const result = verifyEnvelope(envelope, input.publicKey, { digest });
    if (result.ok) {
      const standing = statementStanding(result.statement, input.signOffs);
      if (standing.standing === "valid") return { passed: true, statement: result.statement, keyid: result.keyid };
      return {
        passed: false,
        code: "void",
        reason: `the readiness statement for ${named} (release "${result.statement.predicate.release.name}") is ${standing.reason}`,
      };
    }
    // An envelope about another artefact is not this one's; any other failure is worth saying if nothing verifies.
    if (result.code !== "digest") invalid ??= result.reason;
  }
  if (invalid !== null)
    return { passed: false, code: "invalid", reason: `the stored readiness statement does not verify: ${invalid}` };
  return {
    passed: false,
    code: "none",
    reason: `no readiness statement names ${named}: go-live was not approved for this artefact`,
  };
}
