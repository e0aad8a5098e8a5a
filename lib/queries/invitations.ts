import { createHash } from "node:crypto";
import type { Prisma } from "../generated/prisma/client";

// One invitation as its link finds it: for the page the invitee opens, and for the service to say why a link no
// longer works. Revoked and replaced share one column (revoked_at): a replacement is the newer invitation to the
// same address made in the same moment (inviteUser revokes the open one with the new one's creation time).

export type TInvitationState = "open" | "accepted" | "expired" | "revoked" | "replaced";

export type TInvitationByToken = { email: string; name: string; role: string; state: TInvitationState };

/** Only the hash of a link's token is stored. */
export const hashInviteToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

type TDb = Pick<Prisma.TransactionClient, "invitation">;

export async function getInvitationByToken(
  db: TDb,
  token: string,
  now = new Date(),
): Promise<TInvitationByToken | null> {
  const invitation = await db.invitation.findUnique({ where: { tokenHash: hashInviteToken(token) } });
  if (!invitation) return null;
  let state: TInvitationState = "open";
  if (invitation.acceptedAt) state = "accepted";
  else if (invitation.revokedAt) {
    const replacement = await db.invitation.count({
      where: { email: invitation.email, createdAt: invitation.revokedAt, id: { not: invitation.id } },
    });
    state = replacement > 0 ? "replaced" : "revoked";
  } else if (invitation.expiresAt <= now) state = "expired";
  return { email: invitation.email, name: invitation.name, role: invitation.role, state };
}
