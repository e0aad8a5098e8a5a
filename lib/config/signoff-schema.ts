import { z } from "zod";

// Reference section 11: the sign-off roles of a release, who must approve before go-live.

const ZRoleId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "expected an id of lowercase letters, digits and dashes" });

export const ZSignOff = z
  .strictObject({
    roles: z
      .array(
        z.strictObject({
          id: ZRoleId,
          name: z.string().min(1).max(100),
          /** A required role must approve before go-live; an optional one is shown but does not gate. */
          required: z.boolean().default(true),
        }),
      )
      .min(1, { error: "declare at least one sign-off role" }),
    /** One person may not sign two roles of the same release. */
    separationOfDuties: z.boolean().default(true),
    /** A sign-off older than this no longer counts and must be given again. */
    expiresAfterDays: z.number().int().min(1).max(365).default(30),
    /**
     * Minutes a regression may last and recover without making a sign-off stale (a blip of a probe, a push being
     * replaced). A critical check failing that had not failed at signing makes it stale at once, whatever this says;
     * so does a regression still going on. 0: every regression counts.
     */
    regressionGraceMinutes: z
      .number({ error: "expected a whole number of minutes, 0 or more" })
      .int({ error: "expected a whole number of minutes, 0 or more" })
      .min(0, { error: "expected a whole number of minutes, 0 or more" })
      .default(10),
  })
  .superRefine((signoff, ctx) => {
    const seen = new Set<string>();
    signoff.roles.forEach((role, i) => {
      if (seen.has(role.id))
        ctx.addIssue({ code: "custom", path: ["roles", i, "id"], message: `duplicate sign-off role "${role.id}"` });
      seen.add(role.id);
    });
  });

export type TSignOffConfig = z.output<typeof ZSignOff>;
