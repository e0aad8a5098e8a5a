import { z } from "zod";

// Reference section 11: the sign-off roles of a release, who must approve before go-live.

const ZRoleId = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: "expected an id of lowercase letters, digits and dashes" });

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
  })
  .superRefine((signoff, ctx) => {
    const seen = new Set<string>();
    signoff.roles.forEach((role, i) => {
      if (seen.has(role.id)) ctx.addIssue({ code: "custom", path: ["roles", i, "id"], message: `duplicate sign-off role "${role.id}"` });
      seen.add(role.id);
    });
  });

export type TSignOffConfig = z.output<typeof ZSignOff>;
