import { hashPassword } from "better-auth/crypto";
import type { PrismaClient } from "../generated/prisma/client";
import { appendAudit } from "../audit/append";
import { insertUser } from "../services/users/schema";

// The demo's people: one per role, and one approver per sign-off role of the example configuration, all with
// the password the demo prints at start. Only `npm run demo` (and the end-to-end servers) call this.

export const DEMO_DOMAIN = "x0tta6bl4.demo";

export const DEMO_USERS: { email: string; name: string; role: string; signOffRoles: string[] }[] = [
  { email: `admin@${DEMO_DOMAIN}`, name: "Ada Admin", role: "admin", signOffRoles: [] },
  { email: `editor@${DEMO_DOMAIN}`, name: "Eddie Editor", role: "editor", signOffRoles: [] },
  { email: `viewer@${DEMO_DOMAIN}`, name: "Vic Viewer", role: "viewer", signOffRoles: [] },
  { email: `tech-lead@${DEMO_DOMAIN}`, name: "Tia Tech-Lead", role: "approver", signOffRoles: ["technical-lead"] },
  { email: `security@${DEMO_DOMAIN}`, name: "Sam Security", role: "approver", signOffRoles: ["security-officer"] },
  { email: `ops@${DEMO_DOMAIN}`, name: "Oli Operations", role: "approver", signOffRoles: ["operations-lead"] },
  { email: `product@${DEMO_DOMAIN}`, name: "Pat Product", role: "approver", signOffRoles: ["product-owner"] },
  { email: `exec@${DEMO_DOMAIN}`, name: "Eve Executive", role: "approver", signOffRoles: ["executive"] },
];

/** Creates the demo users, or resets their password to this start's, so what the demo prints always works. */
export async function seedDemoUsers(
  prisma: PrismaClient,
  password: string,
  knownSignOffRoles: Set<string>,
): Promise<void> {
  const hash = await hashPassword(password);
  for (const user of DEMO_USERS) {
    const signOffRoles = user.signOffRoles.filter((r) => knownSignOffRoles.has(r));
    await prisma.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({ where: { email: user.email } });
      if (existing) {
        await tx.account.updateMany({
          where: { userId: existing.id, providerId: "credential" },
          data: { password: hash },
        });
        return;
      }
      const created = await insertUser(tx, { ...user, signOffRoles, password });
      await appendAudit(tx, {
        actor: { type: "system", id: null, name: "demo seed" },
        action: "user.create_demo",
        entityType: "user",
        entityId: created.id,
        after: { ...created, signOffRoles },
      });
    });
  }
}
