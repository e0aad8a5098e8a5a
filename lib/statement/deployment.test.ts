import { describe, expect, it } from "vitest";
import type { TRoleStatus } from "../signoff/status";
import { judgeDeployment } from "./deployment";
import { signStatement } from "./envelope";
import { approvedRoles, COMMIT, IMAGE, makeKey, makeStatement } from "./fixture";

const release = { name: "1.4.0", targetDate: "2026-03-05" };

describe("judgeDeployment", () => {
  const key = makeKey();
  const envelope = signStatement(makeStatement(), key);

  it("passes for a digest the statement names while its sign-offs stand", () => {
    for (const digest of [IMAGE, COMMIT]) {
      const verdict = judgeDeployment({
        digest,
        envelopes: [JSON.stringify(envelope)],
        publicKey: key.publicKeyPem,
        signOffs: { release, roles: approvedRoles() },
      });
      expect(verdict).toMatchObject({ passed: true, keyid: key.keyid });
    }
  });

  it("finds the statement about this artefact among those of others", () => {
    const other = signStatement(
      makeStatement({ artefacts: [{ name: "other", digest: `sha256:${"9".repeat(64)}` }] }),
      key,
    );
    const verdict = judgeDeployment({
      digest: IMAGE,
      envelopes: [other, envelope],
      publicKey: key.publicKeyPem,
      signOffs: { release, roles: approvedRoles() },
    });
    expect(verdict.passed).toBe(true);
  });

  it("fails as void, saying why, once a sign-off went stale", () => {
    const [tech, qa] = approvedRoles() as [TRoleStatus, TRoleStatus];
    const stale = { ...qa, state: "stale" as const, reason: "readiness regressed after signing: the score fell" };
    const verdict = judgeDeployment({
      digest: IMAGE,
      envelopes: [envelope],
      publicKey: key.publicKeyPem,
      signOffs: { release, roles: [tech, stale] },
    });
    expect(verdict).toMatchObject({ passed: false, code: "void" });
    expect(!verdict.passed && verdict.reason).toBe(
      `the readiness statement for ${IMAGE} (release "1.4.0") is void: the QA Lead sign-off by bob went stale: ` +
        "readiness regressed after signing: the score fell",
    );
  });

  it("fails when no statement names the digest, or the one stored does not verify with the key", () => {
    const unknown = `sha256:${"0".repeat(64)}`;
    const none = judgeDeployment({
      digest: unknown,
      envelopes: [envelope],
      publicKey: key.publicKeyPem,
      signOffs: { release, roles: approvedRoles() },
    });
    expect(none).toMatchObject({ passed: false, code: "none" });
    expect(!none.passed && none.reason).toBe(
      `no readiness statement names ${unknown}: go-live was not approved for this artefact`,
    );

    const rotated = judgeDeployment({
      digest: IMAGE,
      envelopes: [envelope],
      publicKey: makeKey().publicKeyPem,
      signOffs: { release, roles: approvedRoles() },
    });
    expect(rotated).toMatchObject({ passed: false, code: "invalid" });
    expect(!rotated.passed && rotated.reason).toMatch(/does not verify: signed by another key/);

    expect(
      judgeDeployment({
        digest: "latest",
        envelopes: [],
        publicKey: key.publicKeyPem,
        signOffs: { release, roles: [] },
      }),
    ).toMatchObject({ passed: false, code: "usage" });
  });
});
