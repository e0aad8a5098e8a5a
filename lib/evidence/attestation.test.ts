import { describe, expect, it } from "vitest";
import { buildAttestationSchema, parseAttestationInput, ZAttestationInput } from "./attestation";

const now = new Date("2026-11-27T00:00:00Z");
const valid = {
  check: "backup-restore",
  answer: "yes",
  evidenceUrl: "https://wiki.example.com/runbooks/restore#2026-11",
  comment: "Rehearsed on staging, 14 min to a clean restore.",
  expiresAt: "2027-02-01T00:00:00Z",
  attestedBy: "ops.lead@example.com",
};

describe("parseAttestationInput", () => {
  it("accepts a complete answer", () => {
    expect(parseAttestationInput(valid, now)).toEqual({ ok: true, attestation: valid });
  });

  it("accepts a no, an http link, an offset time, and no comment", () => {
    const result = parseAttestationInput(
      {
        ...valid,
        answer: "no",
        evidenceUrl: " http://intranet.local/audit ",
        expiresAt: "2026-11-27T01:00:01+01:00",
        comment: undefined,
      },
      now,
    );
    expect(result).toEqual({
      ok: true,
      attestation: {
        ...valid,
        answer: "no",
        evidenceUrl: "http://intranet.local/audit",
        expiresAt: "2026-11-27T01:00:01+01:00",
        comment: "",
      },
    });
  });

  it.each([
    [
      "a javascript: link",
      { evidenceUrl: "javascript:alert(document.cookie)" },
      { evidenceUrl: ["expected an http or https URL"] },
    ],
    [
      "a data: link",
      { evidenceUrl: "data:text/html,<script>alert(1)</script>" },
      { evidenceUrl: ["expected an http or https URL"] },
    ],
    [
      "an ftp link",
      { evidenceUrl: "ftp://files.example.com/audit.pdf" },
      { evidenceUrl: ["expected an http or https URL"] },
    ],
    ["a relative link", { evidenceUrl: "/runbooks/restore" }, { evidenceUrl: ["expected an http or https URL"] }],
    ["a link without a host", { evidenceUrl: "https://" }, { evidenceUrl: ["expected an http or https URL"] }],
    [
      "a link over 2000 characters",
      { evidenceUrl: `https://example.com/${"a".repeat(2000)}` },
      { evidenceUrl: ["expected a URL of at most 2000 characters"] },
    ],
    [
      "an expiry in the past",
      { expiresAt: "2026-11-26T23:59:59Z" },
      { expiresAt: ["expected a time after 2026-11-27T00:00:00.000Z"] },
    ],
    [
      "an expiry exactly now",
      { expiresAt: "2026-11-27T00:00:00Z" },
      { expiresAt: ["expected a time after 2026-11-27T00:00:00.000Z"] },
    ],
    [
      "an expiry without a zone",
      { expiresAt: "2027-02-01T00:00:00" },
      { expiresAt: ["expected an ISO 8601 time with a zone, such as 2027-01-31T00:00:00Z"] },
    ],
    [
      "a comment over 2000 characters",
      { comment: "x".repeat(2001) },
      { comment: ["expected a comment of at most 2000 characters"] },
    ],
    ["an answer other than yes or no", { answer: "Yes" }, { answer: ['expected "yes" or "no"'] }],
    [
      "a check that is no id",
      { check: "Backup Restore" },
      { check: ["expected an id of lowercase letters, digits and dashes, starting with a letter"] },
    ],
    ["a blank attester", { attestedBy: "   " }, { attestedBy: ["expected who attests"] }],
  ])("refuses %s", (_name, change, fieldErrors) => {
    expect(parseAttestationInput({ ...valid, ...change }, now)).toEqual({ ok: false, fieldErrors });
  });

  it("reports every bad field at once, for the form", () => {
    const result = parseAttestationInput(
      { check: 7, answer: "maybe", evidenceUrl: "nope", comment: 5, expiresAt: "soon" },
      now,
    );
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        check: ["expected the check's id"],
        answer: ['expected "yes" or "no"'],
        evidenceUrl: ["expected an http or https URL"],
        comment: ["expected string, received number"],
        expiresAt: ["expected an ISO 8601 time with a zone, such as 2027-01-31T00:00:00Z"],
        attestedBy: ["expected who attests"],
      },
    });
  });

  it("refuses input that is no object as a whole-form error", () => {
    expect(parseAttestationInput(null, now)).toEqual({
      ok: false,
      fieldErrors: { _form: ["expected object, received null"] },
    });
  });
});

describe("ZAttestationInput and buildAttestationSchema", () => {
  it("leaves the clock out of the static shape and puts it in the built schema", () => {
    const expired = { ...valid, expiresAt: "2020-01-01T00:00:00Z" };
    expect(ZAttestationInput.safeParse(expired).success).toBe(true);
    expect(buildAttestationSchema(now).safeParse(expired).success).toBe(false);
    expect(buildAttestationSchema(new Date("2019-12-31T00:00:00Z")).safeParse(expired).success).toBe(true);
  });
});
