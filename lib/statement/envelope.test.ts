import { createHash, createPrivateKey, createPublicKey, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildReadinessStatement, scorecardDigest } from "./build";
import {
  decodeBase64,
  keyIdOf,
  pae,
  parseDigest,
  PAYLOAD_TYPE,
  signStatement,
  verifyEnvelope,
  type TEnvelope,
  type TReadinessStatement,
} from "./envelope";
import { COMMIT, IMAGE, makeKey, makeStatement, scorecard, statementInput } from "./fixture";

const hex = (b: Buffer) => b.toString("hex");

/** Signs any payload with the key, bypassing signStatement's own check: how a statement of another kind arrives. */
function signRaw(payload: unknown, key = makeKey(), payloadType: string = PAYLOAD_TYPE): TEnvelope {
  const body = Buffer.from(JSON.stringify(payload), "utf8");
  return {
    payloadType,
    payload: body.toString("base64"),
    signatures: [{ keyid: key.keyid, sig: sign(null, pae(payloadType, body), key.privateKey).toString("base64") }],
  };
}

describe("PAE (DSSE protocol.md)", () => {
  it("is the protocol's own example: DSSEv1 29 http://example.com/HelloWorld 11 hello world", () => {
    // protocol.md "Test Vectors": PAYLOAD_TYPE http://example.com/HelloWorld (29 bytes), body "hello world" (11).
    expect(pae("http://example.com/HelloWorld", Buffer.from("hello world")).toString("latin1")).toBe(
      "DSSEv1 29 http://example.com/HelloWorld 11 hello world",
    );
  });

  // secure-systems-lab/dsse testvectors/vectors.json: each vector's payloadType, base64 payload and the hex of the
  // PAE its signatures cover. (The payload-type-swapped vector lists the PAE of the type that was signed.)
  const vectors = [
    {
      id: "single-signature",
      type: "application/vnd.in-toto+json",
      payload: "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==",
      pae: "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d",
    },
    {
      id: "url-safe-base64",
      type: "application/vnd.in-toto+json",
      payload: "-_-_Pj8=",
      pae: "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203520fbffbf3e3f",
    },
    {
      // LEN counts bytes: "ä" is two in UTF-8, so 29 for a 28-character type.
      id: "non-ascii-payload-type",
      type: "application/vnd.exämple+json",
      payload: "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==",
      pae: "445353457631203239206170706c69636174696f6e2f766e642e6578c3a46d706c652b6a736f6e203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d",
    },
    {
      // An empty body still has its length and the space before it: "... 0 ".
      id: "empty-payload",
      type: "application/vnd.in-toto+json",
      payload: "",
      pae: "445353457631203238206170706c69636174696f6e2f766e642e696e2d746f746f2b6a736f6e203020",
    },
    {
      id: "empty-payload-type",
      type: "",
      payload: "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==",
      pae: "445353457631203020203433207b225f74797065223a2268747470733a2f2f696e2d746f746f2e696f2f53746174656d656e742f7631227d",
    },
  ];
  it.each(vectors)("matches the $id vector", (v) => {
    const body = decodeBase64(v.payload);
    expect(body).not.toBeNull();
    expect(hex(pae(v.type, body as Buffer))).toBe(v.pae);
  });

  // The vectors' key A is RFC 8032 section 7.1 TEST 1 (seed 9d61…7f60, public d75a…511a); Ed25519 is deterministic,
  // so signing our PAE with it must give the vector's signature byte for byte.
  const keyA = createPrivateKey({
    key: Buffer.from(
      `302e020100300506032b657004220420${"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"}`,
      "hex",
    ),
    format: "der",
    type: "pkcs8",
  });
  const publicA = createPublicKey(keyA);
  const vectorSig = "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==";
  const vectorPayload = "eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90by5pby9TdGF0ZW1lbnQvdjEifQ==";

  it("reproduces the single-signature vector's Ed25519 signature with RFC 8032 key A", () => {
    expect(hex(publicA.export({ type: "spki", format: "der" })).slice(-64)).toBe(
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    );
    const message = pae(PAYLOAD_TYPE, Buffer.from(vectorPayload, "base64"));
    expect(sign(null, message, keyA).toString("base64")).toBe(vectorSig);
    expect(verify(null, message, publicA, Buffer.from(vectorSig, "base64"))).toBe(true);
  });

  it("accepts the vector's signature, then refuses its payload as no readiness statement (it has no subject)", () => {
    const envelope = { payloadType: PAYLOAD_TYPE, payload: vectorPayload, signatures: [{ sig: vectorSig }] };
    const result = verifyEnvelope(envelope, publicA);
    expect(result).toMatchObject({ ok: false, code: "statement" });
    expect(!result.ok && result.reason).toMatch(/subject is missing/);
  });

  it("refuses the payload-type-swapped vector for its payload type", () => {
    const envelope = {
      payloadType: "application/vnd.example.other+json",
      payload: vectorPayload,
      signatures: [{ sig: vectorSig, keyid: keyIdOf(publicA) }],
    };
    const result = verifyEnvelope(envelope, publicA);
    expect(result).toMatchObject({ ok: false, code: "payload-type" });
    expect(!result.ok && result.reason).toContain('payloadType is "application/vnd.example.other+json"');
  });

  it("decodes URL-safe base64 as DSSE requires (the url-safe-base64 vector's signature verifies)", () => {
    const sig = "P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==";
    const result = verifyEnvelope({ payloadType: PAYLOAD_TYPE, payload: "-_-_Pj8=", signatures: [{ sig }] }, publicA);
    // Past the signature: the bytes fb ff bf 3e 3f are not JSON, which is the next thing checked.
    expect(result).toMatchObject({ ok: false, code: "statement" });
    expect(!result.ok && result.reason).toMatch(/signed payload is not JSON/);
  });
});

describe("signStatement and verifyEnvelope", () => {
  it("a signed statement verifies with the key's public PEM and comes back as it was", () => {
    const key = makeKey();
    const statement = makeStatement();
    const envelope = signStatement(statement, key);
    expect(envelope.payloadType).toBe("application/vnd.in-toto+json");
    expect(envelope.signatures).toEqual([{ keyid: key.keyid, sig: expect.any(String) }]);
    const result = verifyEnvelope(JSON.stringify(envelope), key.publicKeyPem);
    expect(result).toEqual({ ok: true, statement, keyid: key.keyid });
  });

  it("keyid is the SHA-256 of the public key's SPKI DER", () => {
    const key = makeKey();
    const der = key.publicKey.export({ type: "spki", format: "der" });
    expect(key.keyid).toBe(createHash("sha256").update(der).digest("hex"));
    expect(keyIdOf(key.publicKeyPem)).toBe(key.keyid);
  });

  it("signs the same statement into the same envelope (canonical JSON, deterministic Ed25519)", () => {
    const key = makeKey();
    const a = makeStatement();
    // The same content with the keys of every object in another order.
    const reordered = JSON.parse(
      JSON.stringify(a, (_k, v: unknown) =>
        v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
      ),
    ) as TReadinessStatement;
    expect(signStatement(reordered, key)).toEqual(signStatement(a, key));
  });

  it("refuses to sign a statement the verifier would refuse", () => {
    const statement = makeStatement();
    const broken = { ...statement, predicate: { ...statement.predicate, signOffs: [] } };
    expect(() => signStatement(broken, makeKey())).toThrow(/predicate\.signOffs is not a non-empty array/);
  });

  it("one changed byte anywhere in the payload fails, naming the signature", () => {
    const key = makeKey();
    const envelope = signStatement(makeStatement(), key);
    const body = Buffer.from(envelope.payload, "base64");
    for (let i = 0; i < body.length; i += 1) {
      const changed = Buffer.from(body);
      changed[i] = (changed[i] as number) ^ 0x01;
      const result = verifyEnvelope({ ...envelope, payload: changed.toString("base64") }, key.publicKeyPem);
      expect(result.ok, `byte ${i}`).toBe(false);
      if (result.ok) continue;
      expect(result.code, `byte ${i}`).toBe("signature");
      expect(result.reason).toMatch(
        /^the signature does not verify with key [0-9a-f]{16}…: the statement .* was changed after it was signed$/,
      );
    }
  });

  it("one changed byte anywhere in the envelope file fails and says why, unless it only drops the keyid hint", () => {
    const key = makeKey();
    const statement = makeStatement();
    const text = JSON.stringify(signStatement(statement, key));
    const bytes = Buffer.from(text, "utf8");
    const span = (start: string) => {
      const from = text.indexOf(start) + start.length;
      return [from, text.indexOf('"', from)] as const;
    };
    const [payloadStart, payloadEnd] = span('"payload":"');
    const keyidName = text.indexOf('"keyid"') + 1;
    const codes = new Set<string>();
    for (let i = 0; i < bytes.length; i += 1) {
      const changed = Buffer.from(bytes);
      changed[i] = (changed[i] as number) ^ 0x01;
      const result = verifyEnvelope(changed.toString("utf8"), key.publicKeyPem);
      if (result.ok) {
        // DSSE's keyid is an unauthenticated hint: renaming its member leaves a signature without one, which is
        // tried with the key and verifies, because nothing signed was changed.
        expect(i, `byte ${i} (${text[i]})`).toBeGreaterThanOrEqual(keyidName);
        expect(i).toBeLessThan(keyidName + "keyid".length);
        expect(result.statement).toEqual(statement);
        continue;
      }
      codes.add(result.code);
      // Inside the payload's base64 a change either decodes to other bytes (the signature) or is no base64.
      if (i >= payloadStart && i < payloadEnd) expect(["signature", "malformed"]).toContain(result.code);
      if (result.code === "malformed") expect(result.reason).toMatch(/envelope/);
    }
    // Each part of the envelope is reached: JSON and fields, the type, the keyid, the signature.
    expect([...codes].sort()).toEqual(["key", "malformed", "payload-type", "signature"]);
  });

  it("another key fails, naming both keys", () => {
    const signer = makeKey();
    const other = makeKey();
    const result = verifyEnvelope(signStatement(makeStatement(), signer), other.publicKeyPem);
    expect(result).toMatchObject({ ok: false, code: "key" });
    expect(!result.ok && result.reason).toContain(`keyid ${signer.keyid.slice(0, 16)}…`);
    expect(!result.ok && result.reason).toContain(`this key's is ${other.keyid.slice(0, 16)}…`);
  });

  it("another key without a keyid to tell it by fails at the signature", () => {
    const signer = makeKey();
    const envelope = signStatement(makeStatement(), signer);
    const anonymous = { ...envelope, signatures: envelope.signatures.map(({ sig }) => ({ sig })) };
    expect(verifyEnvelope(anonymous, signer.publicKeyPem)).toMatchObject({ ok: true });
    expect(verifyEnvelope(anonymous, makeKey().publicKeyPem)).toMatchObject({ ok: false, code: "signature" });
  });

  it("accepts the signature among several that is by this key", () => {
    const key = makeKey();
    const envelope = signStatement(makeStatement(), key);
    const foreign = signStatement(makeStatement(), makeKey()).signatures[0];
    const both = { ...envelope, signatures: [foreign as TEnvelope["signatures"][number], ...envelope.signatures] };
    expect(verifyEnvelope(both, key.publicKeyPem)).toMatchObject({ ok: true, keyid: key.keyid });
  });

  it("another digest fails, naming the digests the statement is about", () => {
    const key = makeKey();
    const envelope = signStatement(makeStatement(), key);
    const other = `sha256:${"0".repeat(64)}`;
    const result = verifyEnvelope(envelope, key.publicKeyPem, { digest: other });
    expect(result).toMatchObject({ ok: false, code: "digest" });
    expect(!result.ok && result.reason).toBe(
      `the statement is not about ${other}: it names gitCommit:${COMMIT}, ${IMAGE}`,
    );
  });

  it.each([
    ["the commit", `gitCommit:${COMMIT}`],
    ["the bare commit CI has in GITHUB_SHA", COMMIT],
    ["the image digest", IMAGE],
    ["the digest in upper case", IMAGE.toUpperCase()],
    ["an image reference by digest", `ghcr.io/example/x0tta6bl4@${IMAGE}`],
  ])("the digest of a subject verifies: %s", (_name, digest) => {
    const key = makeKey();
    expect(verifyEnvelope(signStatement(makeStatement(), key), key.publicKeyPem, { digest })).toMatchObject({
      ok: true,
    });
  });

  it("a digest that is not one is a usage error, not a verdict", () => {
    const key = makeKey();
    const result = verifyEnvelope(signStatement(makeStatement(), key), key.publicKeyPem, { digest: "latest" });
    expect(result).toMatchObject({ ok: false, code: "usage" });
    expect(parseDigest("c0ffee".repeat(10) + "abcd")).toBeNull(); // bare 64 hex: image or SHA-256 commit?
    expect(parseDigest("md5:abc")).toBeNull();
  });

  it("a statement of another predicate type fails, naming the type", () => {
    const key = makeKey();
    const statement = { ...makeStatement(), predicateType: "https://slsa.dev/provenance/v1" };
    const result = verifyEnvelope(signRaw(statement, key), key.publicKeyPem);
    expect(result).toMatchObject({ ok: false, code: "predicate-type" });
    expect(!result.ok && result.reason).toContain('"https://slsa.dev/provenance/v1"');
  });

  it.each([
    [
      "_type",
      (s: TReadinessStatement) => ({ ...s, _type: "https://in-toto.io/Statement/v0.1" }),
      /_type is "https:\/\/in-toto.io\/Statement\/v0.1"/,
    ],
    [
      "a subject's digest",
      (s: TReadinessStatement) => ({ ...s, subject: [{ name: "x", digest: { sha256: "abc" } }] }),
      /subject\[0\]\.digest\.sha256 is not a lowercase hex sha256 digest/,
    ],
    [
      "a sign-off's time",
      (s: TReadinessStatement) => ({
        ...s,
        predicate: { ...s.predicate, signOffs: [{ ...s.predicate.signOffs[0], at: 12 }] },
      }),
      /predicate\.signOffs\[0\]\.at is not a UTC date-time \(got 12\)/,
    ],
    [
      "the snapshot hash",
      (s: TReadinessStatement) => ({
        ...s,
        predicate: { ...s.predicate, snapshot: { ...s.predicate.snapshot, hash: undefined } },
      }),
      /predicate\.snapshot\.hash is missing/,
    ],
  ])("a signed payload that is not a readiness statement fails, naming %s", (_name, change, reason) => {
    const key = makeKey();
    const result = verifyEnvelope(signRaw(change(makeStatement()), key), key.publicKeyPem);
    expect(result).toMatchObject({ ok: false, code: "statement" });
    expect(!result.ok && result.reason).toMatch(reason);
  });
});

describe("a malformed envelope: the reason names the field", () => {
  const key = makeKey();
  const good = signStatement(makeStatement(), key);
  const cases: [string, unknown, RegExp][] = [
    ["not JSON", "{ not json", /^the envelope is not JSON: /],
    ["an array", "[]", /the envelope is an array, not a JSON object/],
    ["no payloadType", { ...good, payloadType: undefined }, /payloadType is missing/],
    ["a payload that is a number", { ...good, payload: 7 }, /payload is not a base64 string \(got 7\)/],
    ["a payload that is not base64", { ...good, payload: "not base64!" }, /payload is not base64/],
    [
      "a payload with a stray character",
      { ...good, payload: `${good.payload.slice(0, 8)}*${good.payload.slice(9)}` },
      /payload is not base64/,
    ],
    ["no signatures", { ...good, signatures: [] }, /signatures is not a non-empty array/],
    ["a signature without sig", { ...good, signatures: [{ keyid: key.keyid }] }, /signatures\[0\]\.sig is missing/],
    [
      "a sig that is not base64",
      { ...good, signatures: [{ keyid: key.keyid, sig: "%%" }] },
      /signatures\[0\]\.sig is not base64/,
    ],
    [
      "a keyid that is a number",
      { ...good, signatures: [{ keyid: 5, sig: good.signatures[0]?.sig }] },
      /signatures\[0\]\.keyid is not a string/,
    ],
  ];
  it.each(cases)("%s", (_name, envelope, reason) => {
    const result = verifyEnvelope(typeof envelope === "string" ? envelope : JSON.stringify(envelope), key.publicKeyPem);
    expect(result).toMatchObject({ ok: false, code: "malformed" });
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it("base64 whose unused last bits were changed is not accepted as the same bytes", () => {
    // "QQ==" is the canonical encoding of "A"; "QR==" decodes to the same byte in Buffer.from.
    expect(Buffer.from("QR==", "base64").toString()).toBe("A");
    expect(decodeBase64("QQ==")?.toString()).toBe("A");
    expect(decodeBase64("QR==")).toBeNull();
    expect(decodeBase64("QQ")?.toString()).toBe("A");
  });

  it("a key that is not an Ed25519 public key is named as such", () => {
    expect(verifyEnvelope(good, "not a key")).toMatchObject({ ok: false, code: "key-invalid" });
    const privatePem = key.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const result = verifyEnvelope(good, privatePem);
    expect(result).toMatchObject({ ok: false, code: "key-invalid" });
    expect(!result.ok && result.reason).toMatch(/is a private key: give the public key/);
  });
});

describe("buildReadinessStatement", () => {
  it("carries the release, the artefacts, the snapshot, the scorecard digest, the audit head and each sign-off", () => {
    const input = statementInput();
    const s = makeStatement();
    expect(s.subject).toEqual([
      { name: "github.com/example/x0tta6bl4", digest: { gitCommit: COMMIT } },
      { name: "ghcr.io/example/x0tta6bl4", digest: { sha256: IMAGE.slice("sha256:".length) } },
    ]);
    expect(s.predicate.release).toEqual({ name: "1.4.0", targetDate: "2026-03-05" });
    expect(s.predicate.snapshot).toEqual({ ...input.snapshot, gate: { minScorePct: 90, passed: true } });
    expect(s.predicate.auditHead).toEqual({ seq: "1207", hash: "b2".repeat(32), chain: "a1".repeat(32) });
    expect(s.predicate.scorecard).toEqual({ digest: { sha256: scorecardDigest(input.scorecard) } });
    expect(s.predicate.signOffs.map((o) => [o.role, o.user.name, o.decision, o.at])).toEqual([
      ["tech-lead", "alice", "approve", "2026-03-02T09:10:00.000Z"],
      ["qa", "bob", "approve", "2026-03-02T09:20:00.000Z"],
    ]);
    // Approved when the last required approval came in; the email stays in the dashboard.
    expect(s.predicate.approvedAt).toBe("2026-03-02T09:20:00.000Z");
    expect(JSON.stringify(s)).not.toContain("@example.com");
  });

  it("the scorecard digest follows the rules, not how they are written", () => {
    expect(scorecardDigest(scorecard(99))).toBe(scorecardDigest(scorecard(99)));
    expect(scorecardDigest(scorecard(98))).not.toBe(scorecardDigest(scorecard(99)));
    expect(scorecardDigest(undefined)).toBeNull();
  });

  it.each([
    [
      "go-live is not approved",
      { signOff: { ...statementInput().signOff, goLive: { approved: false, missing: ["QA Lead: not signed"] } } },
      /go-live is not approved: QA Lead: not signed/,
    ],
    ["no artefact is named", { artefacts: [] }, /no artefact is named/],
    [
      "an artefact digest is not one",
      { artefacts: [{ name: "app", digest: "latest" }] },
      /artefact "app" has digest "latest"/,
    ],
    [
      "the audit chain is empty",
      { auditHead: { chain: null, id: null, hash: null, at: null, entries: 0 } },
      /audit chain is empty/,
    ],
  ])("refuses when %s", (_name, overrides, reason) => {
    const built = buildReadinessStatement(statementInput(overrides));
    expect(built.ok).toBe(false);
    expect(!built.ok && built.reason).toMatch(reason);
  });
});
