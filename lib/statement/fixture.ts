import { generateKeyPairSync } from "node:crypto";
import type { TConfig } from "../config/schema";
import { ZScorecard } from "../config/scorecard-schema";
import type { TRoleStatus, TSignOffRecord } from "../signoff/status";
import { buildReadinessStatement, type TStatementInput } from "./build";
import type { TReadinessStatement } from "./envelope";
import { keyIdOf } from "./envelope";
import type { TSigningKey } from "./keys";

// Test data for the statement tests: a release whose two required roles approved against one snapshot, as the
// sign-off view reports it, and fresh keys. Unique values per call, nothing shared between test files.

export const COMMIT = "4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e6d5c4b3a";
export const IMAGE = `sha256:${"c0ffee".repeat(10)}abcd`;
export const SNAPSHOT_HASH = "5e".repeat(32);

export function makeKey(): TSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey,
    publicKey,
    keyid: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    source: "file",
    file: null,
  };
}

export function record(
  role: string,
  userName: string,
  signedAt: string,
  decision: TSignOffRecord["decision"] = "approve",
): TSignOffRecord {
  return {
    role,
    userId: `user-${userName}`,
    userName,
    userEmail: `${userName}@example.com`,
    decision,
    comment: "",
    signedAt: new Date(signedAt),
    snapshot: {
      id: "41",
      hash: SNAPSHOT_HASH,
      takenAt: new Date("2026-03-02T09:00:00.000Z"),
      overallPct: 93.4,
      criticalFailed: 0,
    },
  };
}

export function roleStatus(
  role: string,
  name: string,
  latest: TSignOffRecord | null,
  state: TRoleStatus["state"] = latest ? "approved" : "pending",
): TRoleStatus {
  return { role, name, required: true, latest, state, reason: null, regressed: [], regressedNote: null };
}

/** A real scorecard section, parsed as the configuration loader parses it (defaults applied). */
export function scorecard(minPassRatePct = 99): TConfig["scorecard"] {
  return ZScorecard.parse({
    gate: { minScorePct: 90 },
    categories: [
      {
        id: "security",
        name: "Security & Compliance",
        weight: 2,
        checks: [
          { id: "security-tests", kind: "testSuite", name: "Security suite", suite: "security", minPassRatePct },
        ],
      },
    ],
  });
}

export function approvedRoles(): TRoleStatus[] {
  return [
    roleStatus("tech-lead", "Technical Lead", record("tech-lead", "alice", "2026-03-02T09:10:00.000Z")),
    roleStatus("qa", "QA Lead", record("qa", "bob", "2026-03-02T09:20:00.000Z")),
  ];
}

export function statementInput(overrides: Partial<TStatementInput> = {}): TStatementInput {
  return {
    system: { name: "x0tta6bl4", environment: "production" },
    artefacts: [
      { name: "github.com/example/x0tta6bl4", digest: `gitCommit:${COMMIT}` },
      { name: "ghcr.io/example/x0tta6bl4", digest: IMAGE },
    ],
    signOff: {
      release: { name: "1.4.0", targetDate: "2026-03-05" },
      roles: approvedRoles(),
      goLive: { approved: true, missing: [] },
    },
    snapshot: { id: "41", hash: SNAPSHOT_HASH, takenAt: "2026-03-02T09:00:00.000Z", overallPct: 93.4 },
    gate: { minScorePct: 90, passed: true },
    scorecard: scorecard(),
    auditHead: {
      chain: "a1".repeat(32),
      id: "1207",
      hash: "b2".repeat(32),
      at: "2026-03-02T09:20:00.000Z",
      entries: 1207,
    },
    issuedAt: new Date("2026-03-02T09:20:01.000Z"),
    ...overrides,
  };
}

export function makeStatement(overrides: Partial<TStatementInput> = {}): TReadinessStatement {
  const built = buildReadinessStatement(statementInput(overrides));
  if (!built.ok) throw new Error(built.reason);
  return built.statement;
}
