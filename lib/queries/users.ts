import type { PrismaClient } from "../generated/prisma/client";

// The people who can sign in and the invitations still waiting, for the users page.

export type TUserListEntry = {
  id: string;
  name: string;
  email: string;
  role: string;
  signOffRoles: string[];
  disabled: boolean;
  disabledAt: Date | null;
  createdAt: Date;
  /** When a session of theirs was last refreshed (better-auth refreshes it at most daily); null with none left. */
  lastSeenAt: Date | null;
};

export type TOpenInvitation = {
  id: string;
  name: string;
  email: string;
  role: string;
  signOffRoles: string[];
  createdAt: Date;
  expiresAt: Date;
  /** The inviting admin's name, or their id when that account is gone. */
  invitedBy: string;
};

export async function listUsers(prisma: PrismaClient): Promise<TUserListEntry[]> {
  const users = await prisma.user.findMany({
    orderBy: [{ disabledAt: { sort: "asc", nulls: "first" } }, { name: "asc" }, { email: "asc" }],
    include: {
      signOffRoles: { select: { role: true } },
      sessions: { select: { updatedAt: true }, orderBy: { updatedAt: "desc" }, take: 1 },
    },
  });
  return users.map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    signOffRoles: u.signOffRoles.map((r) => r.role).sort(),
    disabled: u.disabledAt !== null,
    disabledAt: u.disabledAt,
    createdAt: u.createdAt,
    lastSeenAt: u.sessions[0]?.updatedAt ?? null,
  }));
}

/** Invitations neither accepted, replaced nor expired at `now`. */
export async function listOpenInvitations(prisma: PrismaClient, now: Date): Promise<TOpenInvitation[]> {
  const rows = await prisma.invitation.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: "desc" },
  });
  const inviters = await prisma.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.createdBy))] } },
    select: { id: true, name: true },
  });
  const names = new Map(inviters.map((u) => [u.id, u.name]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    signOffRoles: [...r.signOffRoles].sort(),
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    invitedBy: names.get(r.createdBy) ?? r.createdBy,
  }));
}
