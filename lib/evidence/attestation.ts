import { z } from "zod";
import { collectFieldErrors, ID_ERROR, ZID_PATTERN } from "./zod-issues";

// A person's answer to an attestation check ("Is the backup restore rehearsed?"), with the link that backs it and
// a date after which it no longer counts. Shared by the browser form (field errors) and the CI endpoint.

const ZEvidenceUrl = z
  .string()
  .trim()
  .max(2000, { error: "expected a URL of at most 2000 characters" })
  // Only http(s): a javascript: or data: link would run in the browser of whoever clicks it on the scorecard.
  .pipe(z.url({ protocol: /^https?$/, hostname: /^[^\s]+$/, error: "expected an http or https URL" }));

// Strict: a key this schema does not know is refused, not dropped.
export const ZAttestationInput = z.strictObject({
  /** The scorecard check's id. */
  check: z.string({ error: "expected the check's id" }).regex(ZID_PATTERN, { error: ID_ERROR }),
  answer: z.enum(["yes", "no"], { error: 'expected "yes" or "no"' }),
  evidenceUrl: ZEvidenceUrl,
  comment: z.string().max(2000, { error: "expected a comment of at most 2000 characters" }).default(""),
  expiresAt: z.iso.datetime({
    offset: true,
    error: "expected an ISO 8601 time with a zone, such as 2027-01-31T00:00:00Z",
  }),
  /** Who answers: the signed-in user's name or email, filled in by the server, never trusted from a form. */
  attestedBy: z.string({ error: "expected who attests" }).trim().min(1, { error: "expected who attests" }).max(200),
});

export type TAttestationInput = z.output<typeof ZAttestationInput>;

/** The schema with the one rule that needs the clock: an attestation must expire after `now`. */
export function buildAttestationSchema(now: Date) {
  return ZAttestationInput.refine((input) => Date.parse(input.expiresAt) > now.getTime(), {
    error: `expected a time after ${now.toISOString()}`,
    path: ["expiresAt"],
  });
}

export type TParseAttestationResult =
  | { ok: true; attestation: TAttestationInput }
  | { ok: false; fieldErrors: Record<string, string[]> };

export function parseAttestationInput(input: unknown, now: Date): TParseAttestationResult {
  const parsed = buildAttestationSchema(now).safeParse(input);
  return parsed.success
    ? { ok: true, attestation: parsed.data }
    : { ok: false, fieldErrors: collectFieldErrors(parsed.error) };
}
