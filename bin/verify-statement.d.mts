import type { KeyObject } from "node:crypto";

// Types of verify-statement.mjs, for the TypeScript side (tsconfig has allowJs off, as for commands.d.mts). The
// statement's types live here, beside the checks that define them, and lib/statement re-exports them.

export const PAYLOAD_TYPE: "application/vnd.in-toto+json";
export const STATEMENT_TYPE: "https://in-toto.io/Statement/v1";
export const PREDICATE_TYPE: "https://preflight.dev/readiness/v1";

/** An in-toto ResourceDescriptor, as far as a subject needs one: "sha256" for an image, "gitCommit" for a commit. */
export type TSubject = { name?: string; digest: Record<string, string> };

export type TStatementSignOff = {
  role: string;
  /** The role's display name as configured when the statement was issued. */
  roleName?: string;
  /** The account that signed (its id and its name as of signing; the email stays in the dashboard). */
  user: { id: string; name: string };
  decision: "approve" | "ready" | "reject";
  /** When it was signed (UTC, ISO 8601). */
  at: string;
  snapshotId: string;
  snapshotHash: string;
};

export type TReadinessPredicate = {
  system: { name: string; environment?: string };
  release: { name: string; targetDate?: string };
  /** When the last required approval made go-live approved. */
  approvedAt: string;
  issuedAt: string;
  /** The readiness snapshot the approval stands on: its hash is the SHA-256 of RFC 8785 JSON of { takenAt, result }. */
  snapshot: {
    id: string;
    hash: string;
    takenAt: string;
    overallPct: number | null;
    gate: { minScorePct: number; passed: boolean };
  };
  /** SHA-256 of the RFC 8785 JSON of the configuration's scorecard section; null without a scorecard. */
  scorecard: { digest: { sha256: string } } | null;
  /** The audit chain as of issuing: its last entry (seq, hash) and its first entry's hash, which names the chain. */
  auditHead: { seq: string; hash: string; chain: string };
  signOffs: TStatementSignOff[];
};

export type TReadinessStatement = {
  _type: typeof STATEMENT_TYPE;
  subject: TSubject[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: TReadinessPredicate;
};

export type TEnvelope = {
  payloadType: string;
  /** base64 (standard, padded) of the statement's bytes. */
  payload: string;
  signatures: { keyid?: string; sig: string }[];
};

/** Why a statement was not accepted; the first seven make `preflight verify` exit 1, the others 2. */
export type TVerifyCode =
  | "malformed"
  | "payload-type"
  | "key"
  | "signature"
  | "statement"
  | "predicate-type"
  | "digest"
  | "key-invalid"
  | "usage"
  | "unreadable";

export type TVerifyFailure = { ok: false; code: TVerifyCode; reason: string };
export type TVerifyResult = { ok: true; statement: TReadinessStatement; keyid: string } | TVerifyFailure;

export type TDigest = { algorithm: "sha256" | "sha512" | "sha1" | "gitCommit"; value: string };

export function pae(payloadType: string, body: Uint8Array | string): Buffer;
export function decodeBase64(text: unknown): Buffer | null;
export function keyIdOf(publicKey: KeyObject | string): string;
export function readPublicKey(
  pem: KeyObject | string | Buffer,
): { ok: true; key: KeyObject } | { ok: false; reason: string };
export function parseDigest(text: unknown): TDigest | null;
export function formatDigest(algorithm: string, value: string): string;
export function subjectDigests(statement: Pick<TReadinessStatement, "subject">): string[];
export function statementNamesDigest(
  statement: Pick<TReadinessStatement, "subject">,
  digest: string | TDigest,
): boolean;
export function checkStatement(statement: unknown): { code: "statement" | "predicate-type"; message: string } | null;
export function verifyEnvelope(
  envelope: unknown,
  publicKeyPem: KeyObject | string | Buffer,
  options?: { digest?: string | TDigest | null },
): TVerifyResult;
export function verifyStatementFile(path: string, keyPath: string, digest?: string): TVerifyResult;
export function exitCodeOf(result: TVerifyResult): 0 | 1 | 2;
export function describeStatement(statement: TReadinessStatement, keyid: string): string;
export function verify(argv: string[], out?: Pick<Console, "log" | "error">): number;
